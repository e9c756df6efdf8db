/**
 * embedkit's item2vec: leave-last-out evaluation of one embedding mode next to the popularity
 * and item-kNN baselines on the same split (the baselines are the references of item tasks, so
 * they are reported as metrics of the same run: `item2vec.ndcg`, `item-knn.ndcg`, …).
 */
import type { ItemMetadata, Session } from '@embedkit/item2vec';
import { registerMethod } from '../method';

interface LoadedSessions {
  sessions: Session[];
  events: number;
  /** Markets and categories of items (same-market negatives, market filter). */
  metadata: ReadonlyMap<string, ItemMetadata>;
}

type Item2vecModule = typeof import('@embedkit/item2vec');

async function loadSessions(item2vec: Item2vecModule, dataset: string, path: string): Promise<LoadedSessions> {
  const { EventLog, eventPreset, generateMarketplace, readEvents, sessionize } = item2vec;
  if (dataset === 'marketplace') {
    const marketplace = generateMarketplace({ seed: 7, users: 400 });
    const metadata = new Map(marketplace.items.map((item) => [item.id, { market: item.market, category: item.category }]));
    return { sessions: sessionize(EventLog.fromEvents(marketplace.events)).sessions, events: marketplace.events.length, metadata };
  }
  const { log, report } = await readEvents(path, eventPreset(dataset));
  // Long MovieLens histories are cut: item2vec's whole-session window is quadratic in length.
  const { sessions } = sessionize(log, { maxLength: dataset === 'movielens' ? 20 : 50 });
  return { sessions, events: report.events, metadata: log.metadataMap() };
}

registerMethod({
  id: 'embedkit-item2vec',
  label: 'embedkit',
  reference: false,
  runs: 'in-process',
  supports: (task) => task.kind === 'items',
  unavailableReason: () => null,
  async train({ task, inputPath, seed }) {
    if (task.kind !== 'items') throw new Error('item tasks only');
    const item2vec = await import('@embedkit/item2vec');
    const { sessions, events, metadata } = await loadSessions(item2vec, task.dataset, inputPath);
    const comparison = await item2vec.compareRecommenders(sessions, { k: 10, modes: [task.mode], train: { seed }, metadata });
    const metrics: Record<string, number> = {};
    for (const result of comparison.results) {
      const name = result.method === task.mode ? 'item2vec' : result.method;
      metrics[`${name}.hitRate@10`] = result.metrics.hitRate;
      metrics[`${name}.ndcg@10`] = result.metrics.ndcg;
    }
    return { metrics, notes: `${events} events, ${sessions.length} sessions, ${comparison.cases} cases` };
  },
});

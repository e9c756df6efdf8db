import { describe, it } from 'vitest';
import { trainWord2Vec } from '../index';
import { analogyAccuracy, plantedCorpus, topicNeighbourRate } from '../conformance';

describe.skipIf(!process.env.CALIBRATE)('calibration', () => {
  it('prints quality over seeds', async () => {
    for (const model of ['skipgram', 'cbow'] as const) {
      for (const hs of [false, true]) {
        const a: number[] = [];
        const n: number[] = [];
        let secs = 0;
        for (let seed = 1; seed <= Number(process.env.CALIBRATE); seed++) {
          const p = plantedCorpus(seed);
          const r = await trainWord2Vec(p.corpus, { model, hs, negative: hs ? 0 : 5, dim: 16, epochs: 10, sample: 0, seed, threads: Number(process.env.THREADS ?? 1) });
          secs += r.stats.seconds;
          a.push(analogyAccuracy(r.embeddings, p.entities));
          n.push(topicNeighbourRate(r.embeddings, p.entities, p.topics));
        }
        console.log(model, hs ? 'hs' : 'ns', 'analogy min', Math.min(...a).toFixed(3), 'mean', (a.reduce((x, y) => x + y) / a.length).toFixed(3), 'neigh min', Math.min(...n).toFixed(3), 'mean', (n.reduce((x, y) => x + y) / n.length).toFixed(3), 'secs', secs.toFixed(1));
      }
    }
  });
});

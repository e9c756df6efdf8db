/**
 * `embedkit item2vec tune --events FILE … --budget SECONDS --output tuned.json`: searches the
 * embedding recommender's settings on a validation split carved from the training period (the
 * leave-last-out cases `item2vec eval` scores are held out first and never seen), within a time
 * budget, prints the best and writes them for `item2vec train|eval|recommend --params FILE`.
 *
 * Built by `createTuneCommand` from the event options and loader of `item2vec.ts`, so both files
 * read events the same way without importing each other.
 */
import { CASE_METRICS, tuneItem2Vec, writeItem2VecParams } from '@embedkit/item2vec';
import type { CaseMetric, ItemMetadata, RecommendScoring, Session, TrainItemsOptions, TuneTrial } from '@embedkit/item2vec';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext, OptionSpec } from '../cli/command';
import { checkFiles, warnAboutThreads } from '../cli/preflight';

/** What the tune command borrows from `item2vec.ts`. */
export interface TuneCommandParts {
  eventOptions: readonly OptionSpec[];
  /** The training options; tune keeps those that stay fixed during the search. */
  trainOptions: readonly OptionSpec[];
  loadSessions(args: ParsedArgs, context: CommandContext): Promise<{ sessions: Session[]; metadata: Map<string, ItemMetadata> }>;
  describeSettings(o: TrainItemsOptions, recencyDecay: number, scoring: RecommendScoring): string;
}

/** Training flags that stay fixed while tuning (the rest are searched). */
const FIXED = new Set(['dim', 'negative', 'min-count', 'threads', 'seed', 'market-negatives']);

const METRIC_NAMES: Record<CaseMetric, string> = { hitRate: 'HitRate', ndcg: 'NDCG', mrr: 'MRR' };

/** The `item2vec tune` subcommand. */
export function createTuneCommand(parts: TuneCommandParts): Command {
  const run = async (args: ParsedArgs, context: CommandContext): Promise<number> => {
    const output = args.requireString('output');
    await checkFiles({ inputs: [{ flag: '--events', path: args.requireString('events') }], outputs: [{ flag: '--output', path: output }] });
    const budget = args.requireNumber('budget');
    const k = args.requireNumber('k');
    const metric = args.requireString('metric') as CaseMetric;
    const fixed: TrainItemsOptions = {
      dim: args.requireNumber('dim'), negative: args.requireNumber('negative'), minCount: args.requireNumber('min-count'),
      threads: args.requireNumber('threads'), seed: args.requireNumber('seed'), marketNegatives: args.requireNumber('market-negatives'),
    };
    warnAboutThreads(context, '--threads', fixed.threads ?? 1);
    const { sessions } = await parts.loadSessions(args, context);
    const maxTrials = args.number('max-trials');
    const label = `${METRIC_NAMES[metric]}@${k}`;
    const err = context.stderr;
    err.write(`Tuning for up to ${budget} s on a validation split carved from the training period (the eval split's test cases are held out)…\n`);
    let n = 0;
    const result = await tuneItem2Vec(sessions, {
      budgetSeconds: budget,
      k,
      metric,
      start: fixed,
      ...(maxTrials === undefined ? {} : { maxTrials }),
      signal: context.signal,
      onTrial: (t: TuneTrial) => {
        n++;
        err.write(`  trial ${n} (${t.seconds.toFixed(1)} s): ${parts.describeSettings(t.train, t.recommend.recencyDecay, t.recommend.scoring)} → ${label} ${t.metrics[metric].toFixed(4)}\n`);
      },
    });
    const best = result.best;
    await writeItem2VecParams(output, best);
    const m = result.metrics;
    const why = { budget: 'the budget ran out', converged: 'a whole pass changed nothing', maxTrials: '--max-trials reached', aborted: 'interrupted' }[result.stoppedBy];
    const out = context.stdout;
    out.write(`\nValidation split: ${result.validation.cases} cases from ${result.validation.trainSessions} training sessions ` +
      `(${result.heldOutCases} test cases held out); ${result.trials.length} trials in ${result.seconds.toFixed(1)} s, stopped because ${why}.\n`);
    out.write(`Best: ${parts.describeSettings(best.train, best.recommend.recencyDecay, best.recommend.scoring)}\n`);
    out.write(`Validation HitRate@${k} ${m.hitRate.toFixed(4)}, NDCG@${k} ${m.ndcg.toFixed(4)}, MRR@${k} ${m.mrr.toFixed(4)}\n`);
    out.write(`Wrote ${output}: use it with item2vec train|eval|recommend --params ${output}\n`);
    return 0;
  };
  return {
    name: 'tune',
    summary: 'Search item2vec settings on a validation split of the training period within a time budget; write them for --params.',
    style: 'gnu',
    options: [
      ...parts.eventOptions,
      ...parts.trainOptions.filter((o) => FIXED.has(o.name)),
      { name: 'budget', type: 'number', description: 'Time budget of the search in seconds, reading the events not included (no trial starts that cannot finish in it)', default: 300, greaterThan: 0, valueName: 'SECONDS' },
      { name: 'output', type: 'string', description: 'Where to write the best settings (JSON), for --params', required: true, valueName: 'FILE' },
      { name: 'k', type: 'integer', description: 'Cut-off of the metric', default: 10, min: 1 },
      { name: 'metric', type: 'choice', choices: CASE_METRICS, description: 'What to maximise on the validation cases', default: 'ndcg' },
      { name: 'max-trials', type: 'integer', description: 'Stop after this many trained models (default: the budget decides)', min: 1 },
    ],
    epilog: 'Examples:\n  embedkit item2vec tune --events ratings.csv --preset movielens --budget 600 --output tuned.json\n' +
      '  embedkit item2vec eval --events ratings.csv --preset movielens --params tuned.json',
    run,
  };
}

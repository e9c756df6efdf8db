// Hyper-parameter search for item embeddings within a time budget, on a validation split carved
// from the training period: the leave-last-out test cases are held out first and never seen.
// Caselles-Dupré, Lesaint & Royo-Letelier (2018) found the negative-sampling exponent, the
// window, the number of epochs and sub-sampling to matter most for recommendation, so those are
// searched first, one at a time from the current best (coordinate descent), repeated while the
// budget lasts; how recommendations are made from a model (recency decay, cosine or in-out
// scoring) costs no training and is scored for every trained model.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { item2vecError } from './errors';
import { CASE_METRICS, rankCases, rankingMetrics, type CaseMetric, type RankingMetrics } from './metrics';
import { RECOMMEND_SCORINGS, Recommender, type RecommendScoring } from './recommender';
import type { Session } from './sessions';
import { temporalSplit, type TemporalSplit } from './split';
import { checkDecay } from './top-k';
import { TRAINING_MODES, resolveTrainItemsOptions, trainItemEmbeddings, type TrainingMode, type TrainItemsOptions } from './train';

/** The training settings {@link tuneItem2Vec} searches and a params file stores. */
export interface TunedTrainSettings {
  mode: TrainingMode;
  window: number;
  negativeExponent: number;
  epochs: number;
  sample: number;
  alpha: number;
  dim: number;
  negative: number;
}

/** How recommendations are made from the trained vectors. */
export interface TunedRecommendSettings {
  /** Recency decay of the history (the last item weighs 1). */
  recencyDecay: number;
  /** `in-out` needs the context vectors (`item2vec train --context-output`). */
  scoring: RecommendScoring;
}

/** Tuned settings, as written to and read from a params file. */
export interface Item2VecParams {
  train: TunedTrainSettings;
  recommend: TunedRecommendSettings;
  /** How they were chosen (informative; not read back). */
  validation?: {
    metric: CaseMetric;
    k: number;
    score: number;
    cases: number;
    trials: number;
    seconds: number;
  };
}

/**
 * Candidate values per parameter. `mode` and `window` are searched together: `item2vec` uses the
 * whole session, so its window is irrelevant. Values are tried in the order given.
 */
export interface SearchSpace {
  negativeExponent: number[];
  /** `item2vec`, or `sequence` with each of `window`. */
  mode: TrainingMode[];
  window: number[];
  epochs: number[];
  sample: number[];
  alpha: number[];
  recencyDecay: number[];
  scoring: RecommendScoring[];
}

/** The default search space (see the README for why these values). */
export const DEFAULT_SEARCH_SPACE: Readonly<SearchSpace> = Object.freeze({
  negativeExponent: [-1, -0.5, 0, 0.5, 0.75, 1],
  mode: ['item2vec', 'sequence'] as TrainingMode[],
  window: [2, 3, 5, 10],
  epochs: [10, 30, 50, 100, 200],
  sample: [0, 1e-5, 1e-4, 1e-3],
  alpha: [0.025, 0.05, 0.1],
  recencyDecay: [0.3, 0.5, 0.7, 1],
  scoring: ['cosine', 'in-out'] as RecommendScoring[],
});

/** Options of {@link tuneItem2Vec}. */
export interface TuneOptions {
  /** Wall-clock budget in seconds: no trial starts that cannot finish in it, and a running one is aborted at the deadline. */
  budgetSeconds: number;
  /** Cut-off of the metrics (default 10). */
  k?: number;
  /** What to maximise on the validation cases (default `ndcg`). */
  metric?: CaseMetric;
  /** Starting point and fixed settings (dim, negative, threads, seed…); unset fields take `ITEM2VEC_DEFAULTS`' values. */
  start?: Omit<TrainItemsOptions, 'onProgress' | 'onEpochEnd' | 'signal'>;
  /** Candidate values; missing keys take {@link DEFAULT_SEARCH_SPACE}'s. */
  space?: Partial<SearchSpace>;
  /** Stop after this many trained models (default unlimited: the budget decides). */
  maxTrials?: number;
  /** Called after every trained model. */
  onTrial?: (trial: TuneTrial) => void;
  /** Stops the search early; the best so far is returned. */
  signal?: AbortSignal;
}

/** One trained model of the search, with its best recommend settings. */
export interface TuneTrial {
  train: TunedTrainSettings;
  recommend: TunedRecommendSettings;
  metrics: RankingMetrics;
  /** Training and scoring time, seconds. */
  seconds: number;
}

/** The result of {@link tuneItem2Vec}. */
export interface TuneResult {
  best: Item2VecParams;
  /** The best validation metrics. */
  metrics: RankingMetrics;
  trials: TuneTrial[];
  seconds: number;
  /** `budget`: the time ran out (or the next trial would not fit); `converged`: a full pass changed nothing; `maxTrials`; `aborted`. */
  stoppedBy: 'budget' | 'converged' | 'maxTrials' | 'aborted';
  /** The split the search scored on: carved from the training part of `temporalSplit(sessions)`. */
  validation: { cases: number; trainSessions: number; skippedRepeats: number };
  /** Leave-last-out test cases of `temporalSplit(sessions)`, held out and never used. */
  heldOutCases: number;
}

/**
 * The splits used by tuning: `test = temporalSplit(sessions)` (what `compareRecommenders` and
 * `item2vec eval` score), and `validation = temporalSplit(test.train)`, carved from the training
 * period. Tuning sees `validation` only: every event it trains on or scores precedes each user's
 * test target, which it never sees.
 */
export function tuningSplit(sessions: readonly Session[]): { validation: TemporalSplit; heldOutCases: number } {
  const test = temporalSplit(sessions);
  return { validation: temporalSplit(test.train), heldOutCases: test.cases.length };
}

/**
 * Expected skip-gram (center, context) pairs of one epoch: `n(n − 1)` per session of n items for
 * `item2vec`'s whole-session window; for a sliding window of size w, word2vec's dynamic window
 * draws each center's span s uniformly in 1..w and takes up to s items on each side, so a side
 * with d items gives E[min(d, s)] pairs: (w + 1) / 2 when d ≥ w, else (d(d + 1) / 2 + (w − d) d) / w.
 * Sub-sampling is ignored (it only lowers the cost).
 */
export function pairsPerEpoch(lengths: readonly number[], t: Pick<TunedTrainSettings, 'mode' | 'window'>): number {
  let pairs = 0;
  const w = t.window;
  for (const n of lengths) {
    if (t.mode === 'item2vec') {
      pairs += n * (n - 1);
      continue;
    }
    for (let i = 0; i < n; i++) pairs += expectedSide(i, w) + expectedSide(n - 1 - i, w);
  }
  return pairs;
}

/** E[min(d, s)] for s uniform in 1..w: the expected context items of a side with d items. */
function expectedSide(d: number, w: number): number {
  if (d >= w) return (w + 1) / 2;
  return (d * (d + 1)) / 2 / w + ((w - d) * d) / w;
}

type Coordinate = 'negativeExponent' | 'modeWindow' | 'epochs' | 'sample' | 'alpha';
/** Order of the coordinate passes: what Caselles-Dupré et al. found to matter most comes first. */
const COORDINATES: readonly Coordinate[] = ['negativeExponent', 'modeWindow', 'epochs', 'sample', 'alpha'];

function resolveSpace(space: Partial<SearchSpace> = {}): SearchSpace {
  const s: SearchSpace = { ...DEFAULT_SEARCH_SPACE, ...space };
  for (const [key, values] of Object.entries(s) as Array<[keyof SearchSpace, unknown[]]>) {
    if (!Array.isArray(values) || values.length === 0) throw new RangeError(`space.${key} needs at least one value`);
  }
  for (const m of s.mode) if (!TRAINING_MODES.includes(m)) throw new RangeError(`space.mode: unknown mode ${JSON.stringify(m)}`);
  // Checked before the first trial: a bad value would otherwise fail minutes into the search.
  const check = (key: keyof SearchSpace, ok: (x: number) => boolean, range: string): void => {
    for (const v of s[key] as unknown[]) {
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new RangeError(`space.${key}: ${JSON.stringify(v)} is not ${range}`);
    }
  };
  const positiveInt = (x: number): boolean => Number.isInteger(x) && x >= 1;
  check('window', positiveInt, 'an integer ≥ 1');
  check('epochs', positiveInt, 'an integer ≥ 1');
  check('negativeExponent', (x) => Math.abs(x) <= 100, 'a number in [-100, 100]');
  check('sample', (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
  check('alpha', (x) => x > 0 && x <= 10, 'a number in (0, 10]');
  for (const d of s.recencyDecay) checkDecay(d, 'space.recencyDecay');
  for (const sc of s.scoring) if (!RECOMMEND_SCORINGS.includes(sc)) throw new RangeError(`space.scoring: unknown scoring ${JSON.stringify(sc)}`);
  return s;
}

function settingsKey(t: TunedTrainSettings): string {
  return JSON.stringify([t.mode, t.mode === 'item2vec' ? 0 : t.window, t.negativeExponent, t.epochs, t.sample, t.alpha, t.dim, t.negative]);
}

/** Variants of `current` along one coordinate. */
function variants(current: TunedTrainSettings, coordinate: Coordinate, space: SearchSpace): TunedTrainSettings[] {
  switch (coordinate) {
    case 'modeWindow': {
      const out: TunedTrainSettings[] = [];
      for (const mode of space.mode) {
        if (mode === 'item2vec') out.push({ ...current, mode });
        else for (const window of space.window) out.push({ ...current, mode, window });
      }
      return out;
    }
    default:
      return space[coordinate].map((v) => ({ ...current, [coordinate]: v }));
  }
}

/**
 * Searches training and recommend settings of the embedding recommender on a validation split
 * carved from the training period ({@link tuningSplit}), within `budgetSeconds`. Starting from
 * `start` (default: the package defaults), it tries each coordinate's values (negative exponent,
 * mode and window, epochs, sub-sampling, learning rate) with the others at the best so far, keeps
 * any improvement, and repeats until a whole pass changes nothing or the budget runs out. Every
 * trained model is scored with each recency decay and scoring of `space`. Trials whose estimated
 * time (the previous trial's seconds per training pair × the candidate's pairs, see
 * {@link pairsPerEpoch}, plus its scoring time) does not fit in the budget left are skipped.
 *
 * @throws EmbedkitError `BUDGET_TOO_SMALL` when not even the first trial fits in the budget;
 *   `ABORTED` when `signal` stops it before the first trial finished; `NO_EVENTS` when the
 *   validation split has no case.
 */
export async function tuneItem2Vec(sessions: readonly Session[], options: TuneOptions): Promise<TuneResult> {
  const budget = options.budgetSeconds;
  if (!(budget > 0) || !Number.isFinite(budget)) throw new RangeError(`budgetSeconds must be a positive number of seconds, got ${budget}`);
  const k = options.k ?? 10;
  const metric = options.metric ?? 'ndcg';
  if (!CASE_METRICS.includes(metric)) throw new RangeError(`metric must be one of ${CASE_METRICS.join(', ')}, got ${JSON.stringify(metric)}`);
  const maxTrials = options.maxTrials ?? Infinity;
  const space = resolveSpace(options.space);
  const started = performance.now();
  const deadline = started + budget * 1000;
  const { validation, heldOutCases } = tuningSplit(sessions);
  if (validation.cases.length === 0 || !validation.train.some((s) => s.items.length >= 2)) {
    const what = validation.cases.length === 0 ? 'no case' : 'no training session of two items';
    throw item2vecError('NO_EVENTS', `the validation split carved from the training period has ${what}: tuning needs users with at least two sessions, or sessions of three items or more`);
  }
  const catalogue = new Set<string>();
  for (const s of validation.train) for (const item of s.items) catalogue.add(item);
  const start = { ...options.start };
  // The starting point is what training would use: `start` over the package defaults.
  const { mode, window, negativeExponent, epochs, sample, alpha, dim, negative } = resolveTrainItemsOptions(start);
  let current: TunedTrainSettings = { mode, window, negativeExponent, epochs, sample, alpha, dim, negative };
  const trials: TuneTrial[] = [];
  const tried = new Map<string, TuneTrial>();
  let best: TuneTrial | undefined;
  // Training cost is proportional to the (center, context) pairs of an epoch, which the mode and
  // window decide (item2vec's whole-session window is quadratic in the session length): seconds
  // per pair from the trials so far, plus the last trial's scoring time, estimate the next one.
  let secondsPerPair = 0;
  let scoringSeconds = 0;
  const lengths = validation.train.map((s) => s.items.length);
  let stoppedBy: TuneResult['stoppedBy'];

  const estimate = (t: TunedTrainSettings): number => secondsPerPair * t.epochs * pairsPerEpoch(lengths, t) + scoringSeconds;

  /** Trains and scores one setting; undefined when the budget (or the signal) stopped it. */
  const runTrial = async (train: TunedTrainSettings): Promise<TuneTrial | undefined> => {
    const t0 = performance.now();
    const left = deadline - t0;
    const controller = new AbortController();
    // setTimeout fires at once beyond 2^31 − 1 ms (about 24.8 days): cap the wait there.
    const timer = setTimeout(() => controller.abort(new Error('tuning budget reached')), Math.min(Math.max(0, left), 2 ** 31 - 1));
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort);
    let trained;
    try {
      trained = await trainItemEmbeddings(validation.train, { ...start, ...train, signal: controller.signal });
    } catch (e) {
      if (controller.signal.aborted) return undefined;
      throw e;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    secondsPerPair = trained.stats.seconds / (train.epochs * Math.max(1, pairsPerEpoch(lengths, train)));
    const scoringStart = performance.now();
    let trialBest: { recommend: TunedRecommendSettings; metrics: RankingMetrics } | undefined;
    for (const scoring of space.scoring) {
      for (const recencyDecay of space.recencyDecay) {
        if (performance.now() > deadline) return undefined;
        const rec = new Recommender(trained.embeddings, scoring === 'in-out' ? { recencyDecay, context: trained.contextEmbeddings } : { recencyDecay });
        const { ranks, recommended } = rankCases(rec, validation.cases, { k });
        const m = rankingMetrics(ranks, k, recommended, catalogue.size);
        if (trialBest === undefined || m[metric] > trialBest.metrics[metric]) trialBest = { recommend: { recencyDecay, scoring }, metrics: m };
      }
    }
    scoringSeconds = (performance.now() - scoringStart) / 1000;
    const trial: TuneTrial = { train, ...trialBest!, seconds: (performance.now() - t0) / 1000 };
    trials.push(trial);
    options.onTrial?.(trial);
    return trial;
  };

  const first = await runTrial(current);
  if (first === undefined) {
    if (options.signal?.aborted) throw item2vecError('ABORTED', 'tuning was aborted through its signal before its first trial finished', options.signal.reason);
    throw item2vecError(
      'BUDGET_TOO_SMALL',
      `one training run (${current.epochs} epochs, mode ${current.mode}) does not finish within --budget ${budget} s on ${validation.train.length} sessions; give a larger --budget, or a smaller --dim`,
    );
  }
  tried.set(settingsKey(current), first);
  best = first;
  search: for (;;) {
    let improved = false;
    stoppedBy = 'converged';
    for (const coordinate of COORDINATES) {
      for (const candidate of variants(current, coordinate, space)) {
        const key = settingsKey(candidate);
        if (tried.has(key)) continue;
        if (options.signal?.aborted) {
          stoppedBy = 'aborted';
          break search;
        }
        if (trials.length >= maxTrials) {
          stoppedBy = 'maxTrials';
          break search;
        }
        const left = (deadline - performance.now()) / 1000;
        if (left <= 0) {
          stoppedBy = 'budget';
          break search;
        }
        if (estimate(candidate) > left) {
          // Would not finish in time: try the other candidates, but record that the budget cut the search.
          stoppedBy = 'budget';
          continue;
        }
        const trial = await runTrial(candidate);
        if (trial === undefined) {
          stoppedBy = options.signal?.aborted ? 'aborted' : 'budget';
          break search;
        }
        tried.set(key, trial);
        if (trial.metrics[metric] > best.metrics[metric]) {
          best = trial;
          improved = true;
        }
      }
      current = best.train;
    }
    if (!improved) break;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    best: {
      train: best.train,
      recommend: best.recommend,
      validation: { metric, k, score: best.metrics[metric], cases: validation.cases.length, trials: trials.length, seconds },
    },
    metrics: best.metrics,
    trials,
    seconds,
    stoppedBy,
    validation: { cases: validation.cases.length, trainSessions: validation.train.length, skippedRepeats: validation.skippedRepeats },
    heldOutCases,
  };
}

/** Marks a params file so that a wrong JSON file is refused with a clear message. */
const PARAMS_FORMAT = 'embedkit-item2vec-params';
const PARAMS_VERSION = 1;
/** The settings a params file holds, by section (what {@link parseItem2VecParams} reads). */
const TUNED_TRAIN_KEYS = ['mode', 'window', 'negativeExponent', 'epochs', 'sample', 'alpha', 'dim', 'negative'] as const;
const TUNED_RECOMMEND_KEYS = ['recencyDecay', 'scoring'] as const;

/** Writes tuned settings as JSON (to a temporary name, then renamed). */
export async function writeItem2VecParams(path: string, params: Item2VecParams): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify({ format: PARAMS_FORMAT, version: PARAMS_VERSION, ...params }, null, 2)}\n`);
  await rename(tmp, path);
}

/**
 * Reads a params file written by {@link writeItem2VecParams} (`item2vec tune --output`).
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`, or `BAD_PARAMS` naming the field that is wrong.
 */
export async function readItem2VecParams(path: string): Promise<Item2VecParams> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw item2vecError('FILE_NOT_FOUND', `${path}: the params file cannot be read; write one with \`embedkit item2vec tune --output ${path}\``, e);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw item2vecError('BAD_PARAMS', `${path}: the params file is not JSON; write one with \`embedkit item2vec tune --output FILE\``, e);
  }
  return parseItem2VecParams(raw, path);
}

/** Validates a parsed params object (see {@link readItem2VecParams}). */
export function parseItem2VecParams(raw: unknown, source = 'params'): Item2VecParams {
  const bad = (what: string): never => {
    throw item2vecError('BAD_PARAMS', `${source}: ${what}; write the file with \`embedkit item2vec tune --output FILE\``);
  };
  if (raw === null || typeof raw !== 'object') return bad('not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== PARAMS_FORMAT) bad(`"format" is ${JSON.stringify(o.format)}, expected "${PARAMS_FORMAT}"`);
  if (o.version !== undefined && o.version !== PARAMS_VERSION) bad(`"version" is ${JSON.stringify(o.version)}, this embedkit reads version ${PARAMS_VERSION}`);
  const train = o.train as Record<string, unknown> | undefined;
  const recommend = o.recommend as Record<string, unknown> | undefined;
  if (train === undefined || typeof train !== 'object' || train === null) return bad('no "train" object');
  if (recommend === undefined || typeof recommend !== 'object' || recommend === null) return bad('no "recommend" object');
  // A misspelt setting (a hand edit) would otherwise be ignored without a word.
  for (const [section, object, known] of [['train', train, TUNED_TRAIN_KEYS], ['recommend', recommend, TUNED_RECOMMEND_KEYS]] as const) {
    const unknown = Object.keys(object).find((key) => !(known as readonly string[]).includes(key));
    if (unknown !== undefined) bad(`${section}.${unknown} is not a setting (${section} has ${known.join(', ')})`);
  }
  const num = (obj: Record<string, unknown>, key: string, ok: (x: number) => boolean, range: string): number => {
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) bad(`${key} is ${JSON.stringify(v)}, expected ${range}`);
    return v as number;
  };
  const int = (x: number): boolean => Number.isInteger(x) && x >= 1;
  const mode = train.mode as TrainingMode;
  if (!TRAINING_MODES.includes(mode)) bad(`mode is ${JSON.stringify(train.mode)}, expected one of ${TRAINING_MODES.join(', ')}`);
  const scoring = recommend.scoring as RecommendScoring;
  if (!RECOMMEND_SCORINGS.includes(scoring)) bad(`scoring is ${JSON.stringify(recommend.scoring)}, expected one of ${RECOMMEND_SCORINGS.join(', ')}`);
  const out: Item2VecParams = {
    train: {
      mode,
      window: num(train, 'window', int, 'an integer ≥ 1'),
      negativeExponent: num(train, 'negativeExponent', (x) => Math.abs(x) <= 100, 'a number in [-100, 100]'),
      epochs: num(train, 'epochs', int, 'an integer ≥ 1'),
      sample: num(train, 'sample', (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
      alpha: num(train, 'alpha', (x) => x > 0 && x <= 10, 'a number in (0, 10]'),
      dim: num(train, 'dim', int, 'an integer ≥ 1'),
      negative: num(train, 'negative', int, 'an integer ≥ 1'),
    },
    recommend: { recencyDecay: num(recommend, 'recencyDecay', (x) => x > 0 && x <= 1, 'a number in (0, 1]'), scoring },
  };
  if (o.validation !== undefined) out.validation = o.validation as Item2VecParams['validation'];
  return out;
}

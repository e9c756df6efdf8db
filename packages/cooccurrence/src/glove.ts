/**
 * GloVe training (Pennington, Socher & Manning 2014) on co-occurrence counts: weighted least
 * squares on log counts, AdaGrad, iterations over the non-zeros shuffled once (seeded), Hogwild
 * worker threads over `SharedArrayBuffer`s as Stanford's `glove.c`, or `threads: 1` in-process
 * with the same kernel. The output vectors are word + context vectors (glove.c's `-model 2`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { CorpusSource } from '@embedkit/tokenizer';
import { Embeddings } from '@embedkit/vectors';
import { EmbedkitError } from '@embedkit/errors';
import { type CooccurrenceCounts, type CooccurrenceOptions, countCooccurrencesFrom } from './count';
import type { CooccurrenceErrorCode } from './errors';
import { type GloveKernelState, createScratch, gloveRange } from './glove-kernel';
import { createRng, type Rng } from '@embedkit/sampling';

/** Progress after each iteration. */
export interface GloveIteration {
  /** 1-based. */
  readonly iteration: number;
  /** Mean cost ½ f(x)(w·c + b + b̃ − log x)² over the non-zeros, as glove.c prints it. */
  readonly loss: number;
  /** Wall-clock milliseconds of this iteration. */
  readonly elapsedMs: number;
}

/** Options of {@link trainGloveOnCounts}. */
export interface GloveOptions {
  /** Vector dimension. Default 100. */
  dim?: number;
  /** Passes over the non-zeros. Default 15. */
  iterations?: number;
  /** Cut-off of the weighting function f. Default 100. */
  xMax?: number;
  /** Exponent of f. Default 0.75. */
  exponent?: number;
  /** AdaGrad's initial learning rate. Default 0.05. */
  learningRate?: number;
  /** Gradient components are clipped to ±gradClip. Default 100 (glove.c). */
  gradClip?: number;
  /** Worker threads; 1 runs in-process (bit-reproducible with a seed). Default: available cores. */
  threads?: number;
  /** Seed of the initial weights and of the shuffle. Default 1. */
  seed?: number;
  /** `sum` (default): word + context vectors; `word`: word vectors only. */
  output?: 'sum' | 'word';
  /** Called after each iteration. */
  onIteration?: (progress: GloveIteration) => void;
  /** Stops training (the promise rejects with code `ABORTED`). */
  signal?: AbortSignal;
}

/** Options of {@link trainGlove}: counting (window 10, 1/d weighting by default) plus training. */
export interface GloveCorpusOptions extends CooccurrenceOptions, GloveOptions {}

/** Result of GloVe training. */
export interface GloveResult {
  readonly embeddings: Embeddings;
  /** Loss of each iteration. */
  readonly losses: readonly number[];
  /** Non-zeros trained on. */
  readonly pairs: number;
  /** Wall-clock milliseconds: preparation (shuffle) and training. */
  readonly timings: { readonly prepare: number; readonly train: number };
}

interface ResolvedGloveOptions {
  dim: number;
  iterations: number;
  xMax: number;
  exponent: number;
  learningRate: number;
  gradClip: number;
  threads: number;
  seed: number;
  output: 'sum' | 'word';
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function resolveGloveOptions(options: GloveOptions): ResolvedGloveOptions {
  const output = options.output ?? 'sum';
  if (output !== 'sum' && output !== 'word') throw new RangeError(`output must be 'sum' or 'word', got ${String(output)}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return {
    dim: positiveInteger('dim', options.dim ?? 100),
    iterations: positiveInteger('iterations', options.iterations ?? 15),
    xMax: positive('xMax', options.xMax ?? 100),
    exponent: positive('exponent', options.exponent ?? 0.75),
    learningRate: positive('learningRate', options.learningRate ?? 0.05),
    gradClip: positive('gradClip', options.gradClip ?? 100),
    threads: positiveInteger('threads', options.threads ?? Math.max(1, availableParallelism())),
    seed,
    output,
  };
}

function aborted(): EmbedkitError<CooccurrenceErrorCode> {
  return new EmbedkitError<CooccurrenceErrorCode>('ABORTED', 'GloVe training was aborted through its AbortSignal');
}

/** A Float32Array / Int32Array on a SharedArrayBuffer (so workers see the same memory). */
function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}
function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/**
 * Builds the kernel state: non-zeros as shuffled COO arrays with log x and f(x) precomputed,
 * weights uniform in ±0.5/dim (glove.c), AdaGrad sums at 1.
 */
function prepare(counts: CooccurrenceCounts, o: ResolvedGloveOptions): GloveKernelState {
  const { matrix } = counts;
  const vocabSize = matrix.rows;
  let pairs = 0;
  for (let p = 0; p < (matrix.indptr[vocabSize] ?? 0); p++) if (matrix.data[p]! > 0) pairs++;
  if (pairs === 0) {
    throw new EmbedkitError<CooccurrenceErrorCode>(
      'EMPTY_MATRIX',
      'no two kept words co-occur within the window; use a larger corpus or window, or lower minCount',
    );
  }
  const rows = sharedInt32(pairs);
  const cols = sharedInt32(pairs);
  const logCounts = sharedFloat32(pairs);
  const weighting = sharedFloat32(pairs);
  let q = 0;
  for (let i = 0; i < vocabSize; i++) {
    const end = matrix.indptr[i + 1]!;
    for (let p = matrix.indptr[i]!; p < end; p++) {
      const x = matrix.data[p]!;
      if (!(x > 0)) continue; // guards log(0)
      rows[q] = i;
      cols[q] = matrix.indices[p]!;
      logCounts[q] = Math.log(x);
      weighting[q] = x < o.xMax ? Math.pow(x / o.xMax, o.exponent) : 1;
      q++;
    }
  }
  const random = createRng(o.seed);
  for (let a = pairs - 1; a > 0; a--) {
    const b = random.nextInt(a + 1);
    const r = rows[a]!;
    rows[a] = rows[b]!;
    rows[b] = r;
    const c = cols[a]!;
    cols[a] = cols[b]!;
    cols[b] = c;
    const l = logCounts[a]!;
    logCounts[a] = logCounts[b]!;
    logCounts[b] = l;
    const f = weighting[a]!;
    weighting[a] = weighting[b]!;
    weighting[b] = f;
  }
  const size = 2 * vocabSize * (o.dim + 1);
  const weights = sharedFloat32(size);
  for (let p = 0; p < size; p++) weights[p] = (random.nextFloat() - 0.5) / o.dim;
  const gradsq = sharedFloat32(size).fill(1);
  return {
    weights,
    gradsq,
    rows,
    cols,
    logCounts,
    weighting,
    vocabSize,
    dim: o.dim,
    learningRate: o.learningRate,
    gradClip: o.gradClip,
    control: sharedInt32(4),
  };
}

/** The built worker: next to this module in dist/, or ../dist/ when running from the sources. */
function workerUrl(): URL {
  const beside = new URL('./glove-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../dist/glove-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new EmbedkitError<CooccurrenceErrorCode>(
    'WORKER_NOT_BUILT',
    `the GloVe worker ${fileURLToPath(beside)} is missing; build the package (npx tsup in packages/cooccurrence) or use threads: 1`,
  );
}

/** A pool of persistent workers, each owning one contiguous range of the shuffled non-zeros. */
class WorkerPool {
  private readonly workers: Worker[] = [];

  constructor(state: GloveKernelState, threads: number) {
    const url = workerUrl();
    const pairs = state.rows.length;
    for (let t = 0; t < threads; t++) {
      const start = Math.floor((pairs * t) / threads);
      const end = Math.floor((pairs * (t + 1)) / threads);
      this.workers.push(new Worker(url, { workerData: { state, start, end } }));
    }
  }

  /** One iteration on every worker; resolves with the summed cost. */
  run(): Promise<number> {
    return new Promise((resolve, reject) => {
      let pending = this.workers.length;
      let total = 0;
      let failed = false;
      const cleanups: Array<() => void> = [];
      const finish = (error?: unknown): void => {
        for (const cleanup of cleanups) cleanup();
        if (error !== undefined) reject(error);
        else resolve(total);
      };
      for (const worker of this.workers) {
        const onMessage = (message: { type: string; cost?: number; error?: string }): void => {
          if (failed) return;
          if (message.type === 'error') {
            failed = true;
            finish(
              new EmbedkitError<CooccurrenceErrorCode>('WORKER_FAILED', `a GloVe worker failed: ${message.error}`, {
                cause: message.error,
              }),
            );
            return;
          }
          total += message.cost ?? 0;
          if (--pending === 0) finish();
        };
        const onError = (error: Error): void => {
          if (failed) return;
          failed = true;
          finish(new EmbedkitError<CooccurrenceErrorCode>('WORKER_FAILED', `a GloVe worker failed: ${error.message}`, { cause: error }));
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        cleanups.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
        });
        worker.postMessage({ type: 'run' });
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * Trains GloVe vectors on precomputed co-occurrence counts (for GloVe, count with
 * `distanceWeighting: true`, as {@link trainGlove} does). Returns one vector per label.
 */
export async function trainGloveOnCounts(counts: CooccurrenceCounts, options: GloveOptions = {}): Promise<GloveResult> {
  const o = resolveGloveOptions(options);
  const signal = options.signal;
  if (signal?.aborted === true) throw aborted();
  const t0 = performance.now();
  const state = prepare(counts, o);
  const pairs = state.rows.length;
  const t1 = performance.now();
  const losses: number[] = [];
  const onAbort = (): void => {
    Atomics.store(state.control, 0, 1);
  };
  signal?.addEventListener('abort', onAbort);
  const threads = Math.min(o.threads, pairs);
  const pool = threads > 1 ? new WorkerPool(state, threads) : undefined;
  try {
    const scratch = createScratch(o.dim);
    for (let iteration = 1; iteration <= o.iterations; iteration++) {
      const start = performance.now();
      // The in-process path yields to the event loop between iterations so an abort can land.
      const cost = pool === undefined ? await Promise.resolve().then(() => gloveRange(state, scratch, 0, pairs)) : await pool.run();
      if (Number.isNaN(cost) || Atomics.load(state.control, 0) !== 0) throw aborted();
      const loss = cost / pairs;
      losses.push(loss);
      options.onIteration?.({ iteration, loss, elapsedMs: performance.now() - start });
      if (pool === undefined) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool?.close();
  }
  const t2 = performance.now();
  const { dim, vocabSize, weights } = state;
  const stride = dim + 1;
  const data = new Float32Array(vocabSize * dim);
  const contextBase = vocabSize * stride;
  for (let i = 0; i < vocabSize; i++) {
    for (let b = 0; b < dim; b++) {
      const word = weights[i * stride + b]!;
      data[i * dim + b] = o.output === 'sum' ? word + weights[contextBase + i * stride + b]! : word;
    }
  }
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p]!)) {
      throw new EmbedkitError<CooccurrenceErrorCode>(
        'NOT_CONVERGED',
        'GloVe produced non-finite weights; lower learningRate or gradClip',
      );
    }
  }
  return { embeddings: new Embeddings(counts.labels, dim, data), losses, pairs, timings: { prepare: t1 - t0, train: t2 - t1 } };
}

/**
 * Trains GloVe vectors on a corpus (in memory or streamed: see `countCooccurrencesFrom`): counts co-occurrences (window 10, symmetric, 1/d distance
 * weighting by default, as glove.c's `cooccur`), then runs {@link trainGloveOnCounts}.
 *
 * @example
 * ```ts
 * const { embeddings, losses } = await trainGlove(corpus, { dim: 50, window: 15, xMax: 10, iterations: 15 });
 * ```
 */
export async function trainGlove(corpus: CorpusSource, options: GloveCorpusOptions = {}): Promise<GloveResult & { counts: CooccurrenceCounts }> {
  const counts = await countCooccurrencesFrom(corpus, {
    ...options,
    window: options.window ?? 10,
    distanceWeighting: options.distanceWeighting ?? true,
  }).catch((error: unknown) => {
    // A streamed corpus's reader stops with the signal's reason: report GloVe's ABORTED.
    throw options.signal?.aborted === true ? aborted() : error;
  });
  const result = await trainGloveOnCounts(counts, options);
  return { ...result, counts };
}

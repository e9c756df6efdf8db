/**
 * `trainWord2Vec`: prepares the tables and shared weights, then runs the kernels in-process
 * (`threads: 1`) or in Hogwild worker threads, and returns `Embeddings` plus statistics.
 */

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { EmbedkitError } from '@embedkit/errors';
import { UnigramSampler, createRng, keepThresholds } from '@embedkit/sampling';
import { Corpus, StreamingCorpus } from '@embedkit/tokenizer';
import type { CorpusPart, CorpusReader, CorpusSource, EncodedBatch } from '@embedkit/tokenizer';
import { Embeddings, SubwordEmbeddings } from '@embedkit/vectors';
import type { Word2VecErrorCode } from './errors';
import { buildHuffmanTree } from './huffman';
import type { HuffmanTree } from './huffman';
import { createSharedMemory } from './wasm';
import { TABLES, Word2VecKernel } from './kernel';
import type { KernelData, WasmLayout } from './kernel';
import { resolveOptions } from './options';
import type { ResolvedOptions } from './options';
import { RangeRunner, RangeState, buildSegments, loadBatch, splitSegments } from './runner';
import { buildBagTables, hasNgrams } from './subword';
import type { SubwordOptions } from './subword';
import type { EpochReport, SubwordWord2VecResult, TrainingProgress, Word2VecOptions, Word2VecResult, Word2VecState } from './types';
import type { WorkerInput, WorkerMessage, WorkerStream } from './worker-protocol';

/** Stream of the generator that initialises `wIn` (workers use streams 0..threads−1). */
const INIT_STREAM = 0x7fff_ffff;
/** In-process training yields to the event loop this often, so that `signal` can fire. */
const YIELD_EVERY_MS = 50;
/** Tokens trained between checks of time, progress and abort in-process. */
const CHUNK_TOKENS = 20_000;

/**
 * Allocates the weight matrices. With the WebAssembly kernels everything the kernels touch lives
 * in one shared `WebAssembly.Memory` (weights, Huffman points and codes, σ tables, per-thread
 * scratch), and the typed arrays are views on it; otherwise plain (or, for workers, shared) buffers.
 */
function allocateWeights(o: ResolvedOptions, v: number, tree: HuffmanTree | undefined, workers: boolean) {
  const dim = o.dim;
  const inRows = (v + (o.subwords?.buckets ?? 0)) * dim;
  const outRows = o.negative > 0 ? v * dim : 0;
  const hsRows = tree ? tree.innerNodes * dim : 0;
  const codeCount = tree ? tree.codes.length : 0;
  if (!o.useWasm) {
    const alloc = (bytes: number): ArrayBuffer | SharedArrayBuffer => (workers ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    return {
      wIn: new Float32Array(alloc(inRows * 4)),
      wOut: new Float32Array(alloc(outRows * 4)),
      wOutHs: new Float32Array(alloc(hsRows * 4)),
      points: tree?.points ?? new Int32Array(0),
      codes: tree?.codes ?? new Uint8Array(0),
      layout: null,
    };
  }
  // Cache-line (64-byte) alignment: each thread's scratch on lines of its own (see WasmLayout).
  const align = (n: number): number => Math.ceil(n / 64) * 64;
  const extra = o.extraNegatives?.count ?? 0;
  const scratchStride = align(4 * (2 * dim + o.negative + extra + 1));
  const gradientStride = align(4 * dim);
  let at = 64; // keep offset 0 unused
  const place = (bytes: number): number => {
    const p = at;
    at = align(at + bytes);
    return p;
  };
  const pIn = place(inRows * 4);
  const pOut = place(outRows * 4);
  const pHs = place(hsRows * 4);
  const pPoints = place(codeCount * 4);
  const pCodes = place(codeCount);
  const pSig = place(TABLES.sigmoid.byteLength);
  const pNls = place(TABLES.negLogSigmoid.byteLength);
  const pScratch = place(scratchStride * o.threads);
  const pGradients = o.subwords !== undefined ? place(gradientStride * o.threads) : 0;
  const pages = Math.ceil(at / 65536);
  const memory = createSharedMemory(pages);
  const buffer = memory.buffer;
  const points = new Int32Array(buffer, pPoints, codeCount);
  const codes = new Uint8Array(buffer, pCodes, codeCount);
  if (tree) {
    points.set(tree.points);
    codes.set(tree.codes);
  }
  new Float32Array(buffer, pSig, TABLES.sigmoid.length).set(TABLES.sigmoid);
  new Float32Array(buffer, pNls, TABLES.negLogSigmoid.length).set(TABLES.negLogSigmoid);
  const layout: WasmLayout = {
    memory, wIn: pIn, wOut: pOut, wOutHs: pHs, points: pPoints, codes: pCodes,
    sigmoid: pSig, negLogSigmoid: pNls, scratch: pScratch, scratchStride, gradients: pGradients, gradientStride,
  };
  return {
    wIn: new Float32Array(buffer, pIn, inRows),
    wOut: new Float32Array(buffer, pOut, outRows),
    wOutHs: new Float32Array(buffer, pHs, hsRows),
    points,
    codes,
    layout,
  };
}

/**
 * The same corpus with its token ids on a `SharedArrayBuffer`, so that `threads > 1` hands them
 * to the workers without a copy. Drop the original afterwards to free its memory (a 14M-token
 * corpus is 56 MB of ids).
 *
 * @example
 * ```ts
 * const corpus = shareCorpus(await Corpus.fromFile('text8'));
 * await trainWord2Vec(corpus, { threads: 4 });
 * ```
 */
export function shareCorpus(corpus: Corpus): Corpus {
  if (corpus.ids.buffer instanceof SharedArrayBuffer) return corpus;
  return new Corpus(corpus.vocabulary, share(corpus.ids), corpus.sentenceOffsets);
}

/** Copies a typed array onto a SharedArrayBuffer (no copy when it already is on one). */
function share<T extends Int32Array | Uint32Array | Uint8Array | Float32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  (copy as unknown as { set(a: ArrayLike<number>): void }).set(array);
  return copy;
}

function aborted(signal: AbortSignal | undefined): EmbedkitError<Word2VecErrorCode> {
  return new EmbedkitError<Word2VecErrorCode>('ABORTED', 'Training was aborted through its AbortSignal.', { cause: signal?.reason });
}

type KernelTables = Pick<
  KernelData,
  'ids' | 'segments' | 'keep' | 'aliasThreshold' | 'aliasIndex' | 'codeOffsets' | 'codes' | 'points' | 'globalContext' | 'bagOffsets' | 'bagRows' | 'bagGain'
>;

/**
 * The kernels' read-only tables. For workers they go to shared memory here, inside a function of
 * their own, so that the unshared originals are temporaries and no second copy stays alive
 * through training (with subwords on a 14M-token corpus, the arrays add up to ~11 MB; no change
 * in peak RSS was measurable, see BENCHMARKS-subword.md, run C).
 */
function buildTables(o: ResolvedOptions, corpus: CorpusSource, tree: HuffmanTree | undefined, memory: { codes: Uint8Array; points: Int32Array }, workers: boolean): KernelTables {
  const vocabulary = corpus.vocabulary;
  const forWorkers = workers ? share : <T>(array: T): T => array;
  const unigram = o.negative > 0 && o.negativeSampler === undefined ? new UnigramSampler(vocabulary.counts, { exponent: o.negativeExponent }) : undefined;
  const bags = o.subwords !== undefined && hasNgrams(o.subwords) ? buildBagTables(vocabulary.words, o.subwords) : undefined;
  return {
    // A streamed corpus swaps in each batch's ids and segments as it comes.
    ids: corpus instanceof Corpus ? forWorkers(corpus.ids) : new Int32Array(0),
    segments: corpus instanceof Corpus ? forWorkers(buildSegments(corpus.sentenceOffsets, o.maxSentenceLength)) : new Int32Array(0),
    keep: forWorkers(o.sample > 0 ? keepThresholds(vocabulary.counts, vocabulary.totalCount, o.sample) : new Uint32Array(0)),
    aliasThreshold: forWorkers(unigram?.threshold ?? new Uint32Array(0)),
    aliasIndex: forWorkers(unigram?.alias ?? new Int32Array(0)),
    codeOffsets: forWorkers(tree?.codeOffsets ?? new Int32Array(vocabulary.size + 1)),
    codes: forWorkers(memory.codes),
    points: forWorkers(memory.points),
    globalContext: forWorkers(o.globalContext ?? new Int32Array(0)),
    bagOffsets: forWorkers(bags?.offsets ?? new Int32Array(0)),
    bagRows: forWorkers(bags?.rows ?? new Int32Array(0)),
    bagGain: forWorkers(bags?.gain ?? new Float32Array(0)),
  };
}

/**
 * Trains word2vec (skip-gram or CBOW, negative sampling and/or hierarchical softmax) on a corpus:
 * an in-memory `Corpus`, or a `StreamingCorpus` read from its file each epoch (each worker reads
 * its own byte range of a text file; a gzip or Parquet file is read by one reader here, whose
 * batches go to the workers as they ask). Both train the same sentences with the same
 * subsampling, windows and learning-rate schedule (the streamed corpus's token count is exact:
 * its vocabulary pass's, or a counting pass's after maxSize pruning).
 *
 * @example
 * ```ts
 * const corpus = Corpus.fromSentences(sentences, { minCount: 5 });
 * const { embeddings, stats } = await trainWord2Vec(corpus, { model: 'skipgram', threads: 2 });
 * embeddings.mostSimilar({ positive: ['king'], topN: 5 });
 * ```
 * @throws `TypeError` / `RangeError` for bad options, `EmbedkitError` (`Word2VecErrorCode`) for an
 *   empty corpus, a model too large for memory, an untransferable sampler, abort or a worker failure;
 *   a streamed corpus's reading errors keep their own codes (`@embedkit/tokenizer`'s `READ_ERROR`,
 *   `FILE_NOT_FOUND`…, in a worker thread too), naming the file and the problem.
 */
export async function trainWord2Vec(corpus: CorpusSource, options: Word2VecOptions & { subwords: SubwordOptions }): Promise<SubwordWord2VecResult>;
export async function trainWord2Vec(corpus: CorpusSource, options?: Word2VecOptions): Promise<Word2VecResult>;
export async function trainWord2Vec(corpus: CorpusSource, options: Word2VecOptions = {}): Promise<Word2VecResult> {
  const o = resolveOptions(corpus, options);
  if (o.signal?.aborted) throw aborted(o.signal);
  const started = performance.now();
  const vocabulary = corpus.vocabulary;
  const v = vocabulary.size;
  const dim = o.dim;
  const workers = o.threads > 1;

  const tree = o.hs ? buildHuffmanTree(vocabulary.counts) : undefined;
  const memory = allocateWeights(o, v, tree, workers);
  const { wIn, wOut, wOutHs } = memory;

  // Weights: wIn uniform in [−0.5, 0.5)/dim, output matrices zero (the C tool's InitNet).
  const resume = o.resumeFrom;
  if (resume !== undefined) wIn.set(resume.wIn);
  else {
    const rng = createRng(o.seed, INIT_STREAM);
    for (let i = 0; i < wIn.length; i++) wIn[i] = (rng.nextFloat() - 0.5) / dim;
  }
  if (resume?.wOut) wOut.set(resume.wOut);
  if (resume?.wOutHs) wOutHs.set(resume.wOutHs);

  const subwords = o.subwords;
  const data: KernelData = {
    skipgram: o.model === 'skipgram',
    dim,
    vocabularySize: v,
    window: o.window,
    windowMode: o.windowMode,
    negative: o.negative,
    hs: o.hs,
    cbowMean: o.cbowMean,
    wIn,
    wOut,
    wOutHs,
    ...buildTables(o, corpus, tree, memory, workers),
    maxSentenceLength: o.maxSentenceLength,
    wasm: memory.layout,
  };
  const totalTokens = corpus.tokenCount * o.epochs;
  const epochReports: EpochReport[] = [];
  const progress = {
    started,
    report(processed: number, epoch: number, alpha: number, lossSum: number, examples: number): TrainingProgress {
      const elapsedSeconds = (performance.now() - started) / 1000;
      return {
        fraction: Math.min(1, processed / totalTokens),
        epoch: Math.min(o.epochs, epoch + 1),
        tokensProcessed: processed,
        wordsPerSecond: elapsedSeconds > 0 ? processed / elapsedSeconds : 0,
        alpha,
        loss: examples > 0 ? lossSum / examples : Number.NaN,
        elapsedSeconds,
      };
    },
  };

  let tokensProcessed: number;
  if (corpus instanceof Corpus) {
    tokensProcessed = corpus.tokenCount * o.epochs;
    if (workers) await trainWithWorkers(o, data, { kind: 'memory', bounds: splitSegments(data.segments, o.threads) }, totalTokens, epochReports, progress);
    else await trainInProcess(o, data, totalTokens, epochReports, progress);
  } else if (workers) {
    const feed: WorkerFeed =
      corpus instanceof StreamingCorpus && corpus.seekable
        ? { kind: 'parts', parts: await corpus.parts(o.threads), words: vocabulary.words }
        : { kind: 'queue', feeder: new BatchFeeder(corpus, o.signal) };
    tokensProcessed = await trainWithWorkers(o, data, feed, totalTokens, epochReports, progress);
  } else {
    tokensProcessed = await trainStreamInProcess(o, data, corpus, totalTokens, epochReports, progress);
  }

  for (const matrix of [wIn, wOut, wOutHs]) {
    for (let i = 0; i < matrix.length; i++) {
      if (!Number.isFinite(matrix[i]!)) {
        throw new EmbedkitError<Word2VecErrorCode>('DIVERGED', `Training diverged (a weight became ${matrix[i]}) with alpha ${o.alpha}. Lower alpha.`);
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  let tokensTrained = 0;
  for (const r of epochReports) tokensTrained += r.tokensTrained;
  const state: Word2VecState = {
    vocabulary,
    dim,
    model: o.model,
    wIn,
    wOut: o.negative > 0 ? wOut : null,
    wOutHs: o.hs ? wOutHs : null,
    epochsTrained: (resume?.epochsTrained ?? 0) + o.epochs,
    subwords: subwords ?? null,
    settings: {
      window: o.window,
      windowMode: o.windowMode,
      negative: o.negative,
      hs: o.hs,
      sample: o.sample,
      alpha: o.alpha,
      cbowMean: o.cbowMean,
      negativeExponent: o.negativeExponent,
      maxSentenceLength: o.maxSentenceLength,
    },
  };
  return {
    // Shares its matrix with state.wIn (no copy: memory); later training never writes to it,
    // since resumeFrom copies the state into new weights. With subwords, SubwordEmbeddings
    // computes the word vectors (mean of each bag) from the whole input matrix.
    embeddings: subwords !== undefined ? new SubwordEmbeddings(vocabulary.words, dim, wIn, subwords) : new Embeddings(vocabulary.words, dim, wIn),
    stats: {
      epochs: o.epochs,
      threads: o.threads,
      tokensProcessed,
      tokensTrained,
      seconds,
      wordsPerSecond: seconds > 0 ? tokensProcessed / seconds : 0,
      epochReports,
      estimatedBytes: o.estimatedBytes,
    },
    state,
  };
}

interface ProgressMaker {
  report(processed: number, epoch: number, alpha: number, lossSum: number, examples: number): TrainingProgress;
}

function epochReport(epoch: number, lossSum: number, examples: number, tokensTrained: number): EpochReport {
  return { epoch: epoch + 1, loss: examples > 0 ? lossSum / examples : Number.NaN, lossSum, examples, tokensTrained };
}

/**
 * The in-process loop's pauses between chunks: progress reports every `progressIntervalMs`, and
 * a turn of the event loop every {@link YIELD_EVERY_MS} so that `signal` can fire.
 */
function pacer(o: ResolvedOptions, report: () => TrainingProgress): () => Promise<void> {
  const onProgress = o.onProgress;
  const signal = o.signal;
  let lastProgress = performance.now();
  let lastYield = lastProgress;
  return async () => {
    if (signal?.aborted) throw aborted(signal);
    const now = performance.now();
    if (onProgress !== undefined && now - lastProgress >= o.progressIntervalMs) {
      lastProgress = now;
      onProgress(report());
    }
    if (signal !== undefined && now - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
      if (signal.aborted) throw aborted(signal);
    }
  };
}

/** The hooks of the in-process runner: a plain counter, the signal, epoch reports. */
function inProcessHooks(o: ResolvedOptions, reports: EpochReport[], count: { processed: number }) {
  return {
    addProcessed: (n: number) => (count.processed += n),
    aborted: () => o.signal?.aborted === true,
    publish: () => {},
    epochEnd: (epoch: number, lossSum: number, examples: number, tokensTrained: number) => {
      const report = epochReport(epoch, lossSum, examples, tokensTrained);
      reports.push(report);
      o.onEpochEnd?.(report);
    },
  };
}

/** `threads: 1`: the kernel runs here, in chunks, yielding now and then so `signal` can fire. */
async function trainInProcess(o: ResolvedOptions, data: KernelData, totalTokens: number, reports: EpochReport[], progress: ProgressMaker): Promise<void> {
  const kernel = new Word2VecKernel(data, createRng(o.seed, 0), o.negativeSampler ?? null, o.extraNegatives ?? null);
  const count = { processed: 0 };
  const runner = new RangeRunner(kernel, 0, data.segments.length / 3, o.epochs, totalTokens, o.alpha, o.minAlpha, inProcessHooks(o, reports, count));
  const pace = pacer(o, () => progress.report(count.processed, runner.epoch, kernel.alpha, kernel.lossSum, kernel.examples));
  for (;;) {
    const done = runner.run(CHUNK_TOKENS);
    if (o.signal?.aborted) throw aborted(o.signal);
    if (done) break;
    await pace();
  }
  o.onProgress?.(progress.report(count.processed, o.epochs - 1, kernel.alpha, 0, 0));
}

/** `threads: 1` on a streamed corpus: one reader per epoch, each batch trained in chunks. Returns the tokens read. */
async function trainStreamInProcess(
  o: ResolvedOptions,
  shared: KernelData,
  corpus: CorpusSource,
  totalTokens: number,
  reports: EpochReport[],
  progress: ProgressMaker,
): Promise<number> {
  const data: KernelData = { ...shared };
  const kernel = new Word2VecKernel(data, createRng(o.seed, 0), o.negativeSampler ?? null, o.extraNegatives ?? null);
  const count = { processed: 0 };
  const runner = new RangeRunner(kernel, 0, 0, o.epochs, totalTokens, o.alpha, o.minAlpha, inProcessHooks(o, reports, count));
  const pace = pacer(o, () => progress.report(count.processed, runner.epoch, kernel.alpha, kernel.lossSum, kernel.examples));
  const signal = o.signal;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const reader = corpus.read(signal);
    try {
      for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) {
        loadBatch(data, runner, batch);
        for (;;) {
          runner.resetBudget();
          const state = runner.trainRange(CHUNK_TOKENS);
          if (state === RangeState.Aborted) throw aborted(signal);
          if (state === RangeState.Done) break;
          await pace();
        }
        await pace();
      }
    } catch (error) {
      // The reader stops on the signal with its reason: report the trainer's ABORTED.
      if (signal?.aborted) throw aborted(signal);
      throw error;
    } finally {
      await reader.close();
    }
    if (runner.endEpoch()) throw aborted(signal);
  }
  o.onProgress?.(progress.report(count.processed, o.epochs - 1, kernel.alpha, 0, 0));
  return count.processed;
}

/**
 * One reader of a corpus that cannot be split (gzip, Parquet, any CorpusSource that is not a
 * plain text file), serving batches to the workers as they ask, epoch by epoch: a bounded queue
 * of one batch read ahead, so memory holds the model, that batch and one per worker.
 */
class BatchFeeder {
  private epoch = -1;
  private reader: CorpusReader | undefined;
  private ahead: Promise<EncodedBatch | undefined> = Promise.resolve(undefined);
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly corpus: CorpusSource,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The next batch of `epoch`, or undefined once that epoch is read (requests are served in order). */
  take(epoch: number): Promise<EncodedBatch | undefined> {
    const result = this.chain.then(() => this.takeNow(epoch));
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async takeNow(epoch: number): Promise<EncodedBatch | undefined> {
    if (epoch < this.epoch) return undefined;
    if (epoch > this.epoch) {
      // Every worker asks for the next epoch only after this one ran dry for it.
      await this.reader?.close();
      this.epoch = epoch;
      this.reader = this.corpus.read(this.signal);
      this.readAhead();
    }
    const batch = await this.ahead;
    if (batch !== undefined) this.readAhead();
    return batch;
  }

  private readAhead(): void {
    this.ahead = this.reader!.next();
    this.ahead.catch(() => undefined); // seen by the next take
  }

  async close(): Promise<void> {
    await this.chain;
    await this.reader?.close();
  }
}

/** How the workers get their tokens: ranges of the shared ids, byte ranges of the file, or batches from a feeder. */
type WorkerFeed =
  | { kind: 'memory'; bounds: Int32Array }
  | { kind: 'parts'; parts: CorpusPart[]; words: readonly string[] }
  | { kind: 'queue'; feeder: BatchFeeder };

/** URL of the built worker: next to this module in `dist/`, or in `../dist/` when run from sources. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/worker.js', here) : new URL('./worker.js', here);
}

/**
 * Hogwild training over shared memory in `o.threads` workers (`data`'s arrays are on shared
 * memory). Resolves with the tokens read.
 */
async function trainWithWorkers(o: ResolvedOptions, data: KernelData, feed: WorkerFeed, totalTokens: number, reports: EpochReport[], progress: ProgressMaker): Promise<number> {
  const processed = new BigInt64Array(new SharedArrayBuffer(8));
  try {
    await runWorkers(o, data, feed, processed, totalTokens, reports, progress);
  } finally {
    if (feed.kind === 'queue') await feed.feeder.close().catch(() => undefined);
  }
  return Number(Atomics.load(processed, 0));
}

function runWorkers(
  o: ResolvedOptions,
  data: KernelData,
  feed: WorkerFeed,
  processed: BigInt64Array,
  totalTokens: number,
  reports: EpochReport[],
  progress: ProgressMaker,
): Promise<void> {
  const threads = o.threads;
  const control = new Int32Array(new SharedArrayBuffer(4 * 4));
  const lossSlots = new Float64Array(new SharedArrayBuffer(3 * threads * 8));
  const samplerSpec = o.negativeSampler?.toWorker?.() ?? null;
  const extra = o.extraNegatives ? { spec: o.extraNegatives.sampler.toWorker!(), count: o.extraNegatives.count } : null;
  const url = workerUrl();

  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    const epochSums: { count: number; lossSum: number; examples: number; tokensTrained: number }[] = [];
    let finished = 0;
    let settled = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const signal = o.signal;

    const cleanup = (): void => {
      settled = true;
      Atomics.store(control, 0, 1);
      if (timer !== undefined) clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      for (const worker of pool) void worker.terminate();
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      cleanup();
      reject(error);
    };
    const onAbort = (): void => fail(aborted(signal));
    const alphaAt = (count: number): number => o.alpha - (o.alpha - o.minAlpha) * Math.min(1, count / totalTokens);

    signal?.addEventListener('abort', onAbort, { once: true });
    if (o.onProgress !== undefined) {
      const onProgress = o.onProgress;
      timer = setInterval(() => {
        const count = Number(Atomics.load(processed, 0));
        let epoch = Infinity;
        let lossSum = 0;
        let examples = 0;
        for (let w = 0; w < threads; w++) {
          epoch = Math.min(epoch, lossSlots[3 * w]!);
          lossSum += lossSlots[3 * w + 1]!;
          examples += lossSlots[3 * w + 2]!;
        }
        try {
          onProgress(progress.report(count, epoch, alphaAt(count), lossSum, examples));
        } catch (error) {
          fail(error);
        }
      }, o.progressIntervalMs);
    }

    const onMessage = (worker: Worker, message: WorkerMessage): void => {
      if (settled) return;
      if (message.type === 'need') {
        if (feed.kind !== 'queue') return;
        feed.feeder.take(message.epoch).then((batch) => {
          if (settled) return;
          // The reader reuses its buffers: send copies, moved (not copied again) to the worker.
          const copy = batch === undefined ? null : { ids: batch.ids.slice(), sentenceOffsets: batch.sentenceOffsets.slice() };
          worker.postMessage({ type: 'batch', batch: copy }, copy === null ? [] : [copy.ids.buffer, copy.sentenceOffsets.buffer]);
        }, (error: unknown) => fail(signal?.aborted ? aborted(signal) : error));
      } else if (message.type === 'error') {
        // An EmbedkitError keeps its code and message (a streamed corpus's file that cannot be
        // read again is the reader's READ_ERROR or FILE_NOT_FOUND, naming the file); anything
        // else is a worker failure.
        fail(
          message.code !== null
            ? new EmbedkitError(message.code, describe(message.error), { cause: message.error })
            : new EmbedkitError<Word2VecErrorCode>('WORKER_FAILED', `A training worker failed: ${describe(message.error)}`, { cause: message.error }),
        );
      } else if (message.type === 'epoch') {
        const sum = (epochSums[message.epoch] ??= { count: 0, lossSum: 0, examples: 0, tokensTrained: 0 });
        sum.count++;
        sum.lossSum += message.lossSum;
        sum.examples += message.examples;
        sum.tokensTrained += message.tokensTrained;
        if (sum.count === threads) {
          const report = epochReport(message.epoch, sum.lossSum, sum.examples, sum.tokensTrained);
          reports.push(report);
          try {
            o.onEpochEnd?.(report);
          } catch (error) {
            fail(error);
          }
        }
      } else if (message.type === 'done') {
        finished++;
        if (finished === threads) {
          if (o.onProgress !== undefined) {
            try {
              o.onProgress(progress.report(totalTokens, o.epochs - 1, o.minAlpha, 0, 0));
            } catch (error) {
              fail(error);
              return;
            }
          }
          cleanup();
          resolve();
        }
      }
    };

    for (let w = 0; w < threads; w++) {
      const stream: WorkerStream =
        feed.kind === 'parts' ? { kind: 'part', part: feed.parts[w]!, words: feed.words } : feed.kind === 'queue' ? { kind: 'queue' } : null;
      const input: WorkerInput = {
        workerId: w,
        seed: o.seed,
        data,
        segStart: feed.kind === 'memory' ? feed.bounds[w]! : 0,
        segEnd: feed.kind === 'memory' ? feed.bounds[w + 1]! : 0,
        stream,
        epochs: o.epochs,
        totalTokens,
        alpha: o.alpha,
        minAlpha: o.minAlpha,
        control,
        processed,
        lossSlots,
        sampler: samplerSpec,
        extra,
      };
      let worker: Worker;
      try {
        // execArgv: [] so that a test runner's `--conditions @embedkit/source` does not make the
        // built worker resolve sibling packages to TypeScript sources.
        worker = new Worker(url, { workerData: input, execArgv: [] });
      } catch (error) {
        fail(new EmbedkitError<Word2VecErrorCode>('WORKER_FAILED', `Could not start a training worker from ${url.href} (is the package built?): ${describe(error)}`, { cause: error }));
        return;
      }
      pool.push(worker);
      worker.on('message', (message: WorkerMessage) => onMessage(worker, message));
      worker.on('error', (error) => fail(new EmbedkitError<Word2VecErrorCode>('WORKER_FAILED', `A training worker crashed: ${describe(error)}`, { cause: error })));
      worker.on('exit', (code) => {
        if (!settled && code !== 0) fail(new EmbedkitError<Word2VecErrorCode>('WORKER_FAILED', `A training worker exited with code ${code} before finishing.`));
      });
    }
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

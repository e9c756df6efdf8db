/**
 * Drives one kernel over its range of segments for all epochs: the learning-rate schedule, the
 * shared processed-token count, abort checks and epoch boundaries. Shared by the in-process path
 * and the workers so both follow the same schedule.
 */

import type { EncodedBatch } from '@embedkit/tokenizer';
import type { KernelData, Word2VecKernel } from './kernel';

/** How often (in tokens read) the global count, the learning rate and the abort flag are refreshed (the C tool: 10k). */
export const REPORT_EVERY = 10_000;

/** Connections of a runner to the rest of the training. */
export interface RunnerHooks {
  /** Adds `n` tokens to the global processed count (all threads); returns the new global total. */
  addProcessed(n: number): number;
  aborted(): boolean;
  /** Partial loss of the running epoch, for progress reports. */
  publish(epoch: number, lossSum: number, examples: number): void;
  epochEnd(epoch: number, lossSum: number, examples: number, tokensTrained: number): void;
}

/**
 * How {@link RangeRunner.trainRange} stopped: the range is trained to its end (`Done`), the token
 * budget is spent (`Budget`: call again to go on), or the abort flag is set (`Aborted`).
 */
export const RangeState = { Done: 0, Budget: 1, Aborted: 2 } as const;
export type RangeState = (typeof RangeState)[keyof typeof RangeState];

/**
 * Runs segments `[segStart, segEnd)` for `epochs` epochs, resumable in chunks ({@link run}); or,
 * for a streamed corpus, one batch after another ({@link setRange}, {@link trainRange},
 * {@link endEpoch}) over the kernel's data swapped in by the caller.
 */
export class RangeRunner {
  epoch = 0;
  private seg: number;
  private pending = 0;
  private used = 0;
  private readonly span: number;

  constructor(
    private readonly kernel: Word2VecKernel,
    private segStart: number,
    private segEnd: number,
    private readonly epochs: number,
    /** Tokens to process over all epochs and threads (the denominator of the schedule). */
    private readonly totalTokens: number,
    private readonly startAlpha: number,
    private readonly minAlpha: number,
    private readonly hooks: RunnerHooks,
  ) {
    this.seg = segStart;
    this.span = startAlpha - minAlpha;
    kernel.alpha = startAlpha;
  }

  /** Linear decay from `alpha` to `minAlpha` driven by the global processed count. */
  private flush(): void {
    const processed = this.hooks.addProcessed(this.pending);
    this.pending = 0;
    const progress = processed >= this.totalTokens ? 1 : processed / this.totalTokens;
    this.kernel.alpha = this.startAlpha - this.span * progress;
    this.hooks.publish(this.epoch, this.kernel.lossSum, this.kernel.examples);
  }

  /** The segments to train next (a streamed batch's, after the kernel's data was swapped). */
  setRange(segStart: number, segEnd: number): void {
    this.segStart = segStart;
    this.segEnd = segEnd;
    this.seg = segStart;
  }

  /** Trains from the current segment towards the range's end until `budget` tokens were read since the last {@link run}. */
  trainRange(budget: number): RangeState {
    const kernel = this.kernel;
    while (this.seg < this.segEnd) {
      const read = kernel.trainSegment(this.seg++);
      this.pending += read;
      this.used += read;
      if (this.pending >= REPORT_EVERY) {
        this.flush();
        if (this.hooks.aborted()) return RangeState.Aborted;
      }
      if (this.used >= budget) return RangeState.Budget;
    }
    return RangeState.Done;
  }

  /** Closes the running epoch (reports it, resets the loss counters); true when aborted. */
  endEpoch(): boolean {
    const kernel = this.kernel;
    this.flush();
    this.hooks.epochEnd(this.epoch, kernel.lossSum, kernel.examples, kernel.tokensTrained);
    kernel.lossSum = 0;
    kernel.examples = 0;
    kernel.tokensTrained = 0;
    this.epoch++;
    this.seg = this.segStart;
    return this.hooks.aborted();
  }

  /**
   * Trains until at least `budget` tokens were read, or to the end. Returns true when all epochs
   * are done or the training was aborted.
   */
  run(budget: number): boolean {
    this.used = 0;
    while (this.epoch < this.epochs) {
      const state = this.trainRange(budget);
      if (state === RangeState.Aborted) return true;
      if (state === RangeState.Budget) return false;
      if (this.endEpoch()) return true;
    }
    return true;
  }

  /** Starts a new budget for {@link trainRange} (the streamed path's chunks). */
  resetBudget(): void {
    this.used = 0;
  }
}

/**
 * Cuts sentences into segments of at most `maxLength` tokens: triples (start, end, sentence).
 */
export function buildSegments(sentenceOffsets: Int32Array, maxLength: number): Int32Array {
  const segments = new Int32Array(countSegments(sentenceOffsets, maxLength) * 3);
  fillSegments(sentenceOffsets, maxLength, segments);
  return segments;
}

/** How many segments {@link buildSegments} makes. */
function countSegments(sentenceOffsets: Int32Array, maxLength: number): number {
  const sentences = sentenceOffsets.length - 1;
  let count = 0;
  for (let s = 0; s < sentences; s++) {
    const len = sentenceOffsets[s + 1]! - sentenceOffsets[s]!;
    count += len === 0 ? 0 : Math.ceil(len / maxLength);
  }
  return count;
}

/** Writes the segments' triples into `segments` (long enough). */
function fillSegments(sentenceOffsets: Int32Array, maxLength: number, segments: Int32Array): void {
  const sentences = sentenceOffsets.length - 1;
  let k = 0;
  for (let s = 0; s < sentences; s++) {
    const end = sentenceOffsets[s + 1]!;
    for (let p = sentenceOffsets[s]!; p < end; p += maxLength) {
      segments[k++] = p;
      segments[k++] = Math.min(end, p + maxLength);
      segments[k++] = s;
    }
  }
}

/** Splits segments into `parts` contiguous ranges with about the same number of tokens. */
export function splitSegments(segments: Int32Array, parts: number): Int32Array {
  const count = segments.length / 3;
  const bounds = new Int32Array(parts + 1);
  const first = count > 0 ? segments[0]! : 0;
  const total = count > 0 ? segments[3 * count - 2]! - first : 0;
  let s = 0;
  for (let p = 1; p < parts; p++) {
    const target = first + (total * p) / parts;
    while (s < count && segments[3 * s]! < target) s++;
    bounds[p] = s;
  }
  bounds[parts] = count;
  return bounds;
}

/**
 * Points a streamed corpus's kernel at one batch: its ids and segments swapped into `data` (the
 * kernel's own data object; the segments go into the previous batch's array when it is long
 * enough, so a pass makes no garbage), the runner's range set to them.
 */
export function loadBatch(data: KernelData, runner: RangeRunner, batch: EncodedBatch): void {
  data.ids = batch.ids;
  const count = countSegments(batch.sentenceOffsets, data.maxSentenceLength);
  if (data.segments.length < 3 * count) data.segments = new Int32Array(Math.max(3 * count, 3 * 1024));
  fillSegments(batch.sentenceOffsets, data.maxSentenceLength, data.segments);
  runner.setRange(0, count);
}

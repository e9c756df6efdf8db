/**
 * Drives one kernel over its range of segments for all epochs: the learning-rate schedule, the
 * shared processed-token count, abort checks and epoch boundaries. Shared by the in-process path
 * and the workers so both follow the same schedule.
 */

import type { Word2VecKernel } from './kernel';

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

/** Runs segments `[segStart, segEnd)` for `epochs` epochs; resumable in chunks. */
export class RangeRunner {
  epoch = 0;
  private seg: number;
  private pending = 0;
  private readonly span: number;

  constructor(
    private readonly kernel: Word2VecKernel,
    private readonly segStart: number,
    private readonly segEnd: number,
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

  /**
   * Trains until at least `budget` tokens were read, or to the end. Returns true when all epochs
   * are done or the training was aborted.
   */
  run(budget: number): boolean {
    const kernel = this.kernel;
    let used = 0;
    while (this.epoch < this.epochs) {
      while (this.seg < this.segEnd) {
        const read = kernel.trainSegment(this.seg++);
        this.pending += read;
        used += read;
        if (this.pending >= REPORT_EVERY) {
          this.flush();
          if (this.hooks.aborted()) return true;
        }
        if (used >= budget) return false;
      }
      this.flush();
      this.hooks.epochEnd(this.epoch, kernel.lossSum, kernel.examples, kernel.tokensTrained);
      kernel.lossSum = 0;
      kernel.examples = 0;
      kernel.tokensTrained = 0;
      this.epoch++;
      this.seg = this.segStart;
      if (this.hooks.aborted()) return true;
    }
    return true;
  }
}

/**
 * Cuts sentences into segments of at most `maxLength` tokens: triples (start, end, sentence).
 */
export function buildSegments(sentenceOffsets: Int32Array, maxLength: number): Int32Array {
  const sentences = sentenceOffsets.length - 1;
  let count = 0;
  for (let s = 0; s < sentences; s++) {
    const len = sentenceOffsets[s + 1]! - sentenceOffsets[s]!;
    count += len === 0 ? 0 : Math.ceil(len / maxLength);
  }
  const segments = new Int32Array(count * 3);
  let k = 0;
  for (let s = 0; s < sentences; s++) {
    const end = sentenceOffsets[s + 1]!;
    for (let p = sentenceOffsets[s]!; p < end; p += maxLength) {
      segments[k++] = p;
      segments[k++] = Math.min(end, p + maxLength);
      segments[k++] = s;
    }
  }
  return segments;
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

/**
 * Context windows: which positions of a sentence are context for the token at `position`.
 *
 * Three modes, shared by every trainer so that word2vec, item2vec and the teaching helpers agree:
 * - `dynamic`: the C tool's reduced window. For each target a shrink `b` is drawn uniformly in
 *   [0, window) and the context is the `window − b` positions on each side, which weights near
 *   neighbours more (a neighbour at distance d is context with probability (window − d + 1)/window).
 * - `fixed`: always `window` positions on each side.
 * - `sentence`: every other position of the sentence (item sets, where order means nothing).
 */

import type { Rng } from './rng';

/** How the context of a target is chosen; see the module comment. */
export type WindowMode = 'dynamic' | 'fixed' | 'sentence';

/** The window modes, for validation. */
export const WINDOW_MODES: readonly WindowMode[] = ['dynamic', 'fixed', 'sentence'];

/**
 * Half-width of the window for one target: `window − b` with `b` uniform in [0, window) for
 * `dynamic` (the C tool's `b = next_random % window`), `window` for `fixed`, and `Infinity` for
 * `sentence`. Draws exactly one random number in `dynamic` mode and none otherwise.
 */
export function effectiveWindow(rng: Rng, window: number, mode: WindowMode): number {
  if (mode === 'dynamic') return window - rng.nextInt(window);
  if (mode === 'fixed') return window;
  return Infinity;
}

/**
 * Writes into `out` the first context position and one past the last (`out[0]`, `out[1]`) for the
 * target at `position` of a sentence of `length` tokens, for half-width `span` (from
 * {@link effectiveWindow}). The target itself lies in the range and must be skipped.
 */
export function contextRange(position: number, length: number, span: number, out: Int32Array): Int32Array {
  out[0] = span >= position ? 0 : position - span;
  out[1] = span >= length - position - 1 ? length : position + span + 1;
  return out;
}

/** One skip-gram training sample: the target predicts the context. */
export interface Sample<T> {
  target: T;
  context: T;
}

/** One CBOW training sample: the context bag predicts the target. */
export interface ContextBag<T> {
  target: T;
  contexts: T[];
}

/** Options of {@link listSamples} and {@link listContextBags}. */
export interface ListSamplesOptions {
  /** Default `'fixed'`, as the article's figure. */
  windowMode?: WindowMode;
  /** Generator for `dynamic` windows (required in that mode, e.g. `createRng(seed)`). */
  rng?: Rng;
}

function resolveListOptions(window: number, options: ListSamplesOptions): { mode: WindowMode; rng: Rng | undefined } {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be an integer >= 1, got ${window}`);
  const mode = options.windowMode ?? 'fixed';
  if (!WINDOW_MODES.includes(mode)) throw new RangeError(`windowMode must be one of ${WINDOW_MODES.join(', ')}, got ${String(mode)}`);
  if (mode === 'dynamic' && options.rng === undefined) {
    throw new TypeError("windowMode 'dynamic' needs an rng: pass { rng: createRng(seed) }");
  }
  return { mode, rng: options.rng };
}

/**
 * Lists the (target, context) pairs skip-gram trains on for one sentence, in the order the
 * trainers visit them (targets left to right, contexts left to right), as the article's figure
 * draws them. For teaching and tests; the trainers use the same {@link effectiveWindow} and
 * {@link contextRange} without allocating.
 *
 * @example
 * ```ts
 * listSamples(['the', 'quick', 'brown', 'fox'], 1);
 * // [{target:'the',context:'quick'}, {target:'quick',context:'the'}, {target:'quick',context:'brown'}, …]
 * ```
 */
export function listSamples<T>(sentence: readonly T[], window: number, options: ListSamplesOptions = {}): Sample<T>[] {
  const { mode, rng } = resolveListOptions(window, options);
  const out: Sample<T>[] = [];
  const range = new Int32Array(2);
  for (let i = 0; i < sentence.length; i++) {
    const span = effectiveWindow(rng as Rng, window, mode);
    contextRange(i, sentence.length, span, range);
    for (let j = range[0]!; j < range[1]!; j++) {
      if (j !== i) out.push({ target: sentence[i] as T, context: sentence[j] as T });
    }
  }
  return out;
}

/**
 * Lists the CBOW samples of one sentence: for each target, the bag of its context tokens (the
 * trainers average their input vectors). Same windows as {@link listSamples}.
 */
export function listContextBags<T>(sentence: readonly T[], window: number, options: ListSamplesOptions = {}): ContextBag<T>[] {
  const { mode, rng } = resolveListOptions(window, options);
  const out: ContextBag<T>[] = [];
  const range = new Int32Array(2);
  for (let i = 0; i < sentence.length; i++) {
    const span = effectiveWindow(rng as Rng, window, mode);
    contextRange(i, sentence.length, span, range);
    const contexts: T[] = [];
    for (let j = range[0]!; j < range[1]!; j++) if (j !== i) contexts.push(sentence[j] as T);
    if (contexts.length > 0) out.push({ target: sentence[i] as T, contexts });
  }
  return out;
}

/**
 * The training kernels: one object per thread, flat Float32Array weights, no allocation after
 * construction. The same code runs in-process (`threads: 1`) and inside every worker.
 *
 * Matrices (row-major, `row * dim + j`), names as in DESIGN.md and the C tool:
 * - `wIn`    = `syn0`    = input vectors v_w (the embeddings),
 * - `wOut`   = `syn1neg` = output vectors v'_w of negative sampling,
 * - `wOutHs` = `syn1`    = output vectors of the Huffman tree's inner nodes (hierarchical softmax).
 *
 * Skip-gram visits the same symmetric pairs in the C tool's and gensim's direction: each context
 * word's input vector predicts the target's output (the target's Huffman path, or the target
 * against negatives). With hierarchical softmax that keeps one path of output rows hot in the
 * cache for the whole window, where the paper's direction (target input → each context output)
 * walks a different path for every pair. A sentence's global context (Airbnb's booked listing) is
 * the exception: the target's input vector predicts it, as in the Airbnb paper. Subword
 * skip-gram keeps fastText's direction (the target's bag of n-gram rows is the input), see below.
 * The input side is written as "the mean of a bag of input rows" (`h`): one row for skip-gram,
 * the context rows for CBOW.
 *
 * Subwords (fastText; tables from subword.ts): a word's bag is its own row plus its n-gram rows,
 * and separate methods, chosen per segment, train them, so the plain path is untouched. CBOW's
 * bag is every row of every context word (fastText's `cbow`: one mean over all of them).
 * Skip-gram computes the target's bag mean once per target and, after each pair, moves it by
 * exactly what adding neu1e to every bag entry would move it (`gain · neu1e`), summing the
 * gradients; the rows receive the sum after the window. That equals fastText's per-pair update of
 * every row (up to float rounding and Hogwild races) at a fraction of the row traffic.
 *
 * One positive example with hidden vector h (Mikolov et al. 2013, eq. 4; the C tool's update):
 *   for each output o with label y (1 for the positive, 0 for negatives / Huffman branches):
 *     g = (y − σ(h·v'_o)) · alpha;  neu1e += g · v'_o;  v'_o += g · h
 *   then every input row of the bag receives neu1e (the C tool adds it unscaled, also for CBOW).
 */

import { effectiveWindow } from '@embedkit/sampling';
import type { NegativeSampler, Rng, WindowMode } from '@embedkit/sampling';
import { instantiateKernels } from './wasm';
import type { WasmKernels, WasmMemory } from './wasm';

/** σ table of the C tool: 1000 entries over [−6, 6), plus one for f = 6 exactly (the C tool allocates 1001). */
export const EXP_TABLE_SIZE = 1000;
/** σ is tabulated over [−MAX_EXP, MAX_EXP]; beyond, the C tool's clipping applies. */
export const MAX_EXP = 6;
const EXP_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2;

/** σ(x) and −log σ(x) sampled as the C tool's `expTable`. */
function buildTables(): { sigmoid: Float32Array; negLogSigmoid: Float32Array } {
  const sigmoid = new Float32Array(EXP_TABLE_SIZE + 1);
  const negLogSigmoid = new Float32Array(EXP_TABLE_SIZE + 1);
  for (let i = 0; i <= EXP_TABLE_SIZE; i++) {
    const x = ((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP;
    const e = Math.exp(x);
    sigmoid[i] = e / (e + 1);
    negLogSigmoid[i] = Math.log1p(Math.exp(-x));
  }
  return { sigmoid, negLogSigmoid };
}
/** The σ and −log σ tables (1001 entries each). */
export const TABLES = buildTables();

/**
 * Where the WebAssembly kernels find things: byte offsets into `memory`, which holds the weights
 * (the `wIn`/`wOut`/`wOutHs` arrays of {@link KernelData} are views on it), the Huffman points and
 * codes, the σ tables, and per-thread scratch (`neu1`, `neu1e`, negative ids) of `scratchStride`
 * bytes for thread `workerId`. Per-thread blocks start on their own 64-byte cache lines: threads
 * that wrote into one line would stall each other (false sharing) at every update.
 */
export interface WasmLayout {
  memory: WasmMemory;
  wIn: number;
  wOut: number;
  wOutHs: number;
  points: number;
  codes: number;
  sigmoid: number;
  negLogSigmoid: number;
  scratch: number;
  scratchStride: number;
  /** Subwords: per-thread gradient sums, `dim` floats for thread `workerId` at `gradients + workerId · gradientStride`. */
  gradients?: number;
  gradientStride?: number;
}

/** Everything a kernel reads; typed arrays may live on `SharedArrayBuffer`s. */
export interface KernelData {
  skipgram: boolean;
  dim: number;
  vocabularySize: number;
  window: number;
  windowMode: WindowMode;
  negative: number;
  hs: boolean;
  cbowMean: boolean;
  wIn: Float32Array;
  /** Empty when `negative` is 0. */
  wOut: Float32Array;
  /** Empty without hierarchical softmax. */
  wOutHs: Float32Array;
  ids: Int32Array;
  /** Triples (start, end, sentence) of the pieces of sentences to train. */
  segments: Int32Array;
  /** Keep thresholds (`@embedkit/sampling`'s `keepThresholds`); empty when not subsampling. */
  keep: Uint32Array;
  /** Alias tables of the unigram sampler; empty when a custom sampler is used. */
  aliasThreshold: Uint32Array;
  aliasIndex: Int32Array;
  codeOffsets: Int32Array;
  codes: Uint8Array;
  points: Int32Array;
  /** Per-sentence global context ids (−1: none); empty when unused. */
  globalContext: Int32Array;
  /**
   * Subwords: word `w`'s input bag is rows `bagRows[bagOffsets[w] .. bagOffsets[w + 1])` of
   * `wIn` (own row first, then n-gram rows); `bagGain[w]` is how far its mean moves when every
   * entry receives the same gradient (see subword.ts). All three empty without subwords.
   */
  bagOffsets?: Int32Array;
  bagRows?: Int32Array;
  bagGain?: Float32Array;
  maxSentenceLength: number;
  /** Set to run the WebAssembly SIMD kernels; null for the TypeScript kernels. */
  wasm: WasmLayout | null;
}

/**
 * One thread's trainer. `trainSegment` trains one piece of sentence with the current `alpha` and
 * adds to the loss counters, which the caller reads and resets per epoch.
 */
export class Word2VecKernel {
  readonly data: KernelData;
  readonly rng: Rng;
  alpha = 0;
  /** Sum of −log σ(±h·v') terms since the last reset. */
  lossSum = 0;
  /** Positive examples since the last reset. */
  examples = 0;
  /** Tokens kept after subsampling since the last reset. */
  tokensTrained = 0;
  private readonly sampler: NegativeSampler | null;
  private readonly extraSampler: NegativeSampler | null;
  private readonly extraCount: number;
  private readonly sen: Int32Array;
  /** WebAssembly kernels and byte offsets (see {@link WasmLayout}); null in the TypeScript path. */
  private readonly wasm: WasmKernels | null;
  private readonly neu1Ptr: number;
  private readonly neu1ePtr: number;
  private readonly targetsPtr: number;
  private readonly gradPtr: number;
  private readonly targets: Int32Array;
  /** Subword skip-gram: the target bag's summed input gradient over its window. */
  private readonly grad: Float32Array;
  /** Whether words have bags of n-gram rows (the subword methods train them). */
  private readonly subwords: boolean;
  /** Hidden-vector scratch (CBOW's context mean); `trainExample(neu1, 0, …)` trains from it. */
  readonly neu1: Float32Array;
  /** Input-side gradient accumulated by {@link Word2VecKernel.trainExample} (read by tests). */
  readonly neu1e: Float32Array;

  constructor(
    data: KernelData,
    rng: Rng,
    sampler: NegativeSampler | null,
    extra: { sampler: NegativeSampler; count: number } | null,
    workerId = 0,
  ) {
    this.data = data;
    this.rng = rng;
    this.sampler = sampler;
    this.extraSampler = extra === null || extra.count === 0 ? null : extra.sampler;
    this.extraCount = this.extraSampler === null ? 0 : extra!.count;
    this.sen = new Int32Array(data.maxSentenceLength);
    this.subwords = data.bagOffsets !== undefined && data.bagOffsets.length > 0;
    const layout = data.wasm;
    if (layout === null) {
      this.wasm = null;
      this.neu1Ptr = this.neu1ePtr = this.targetsPtr = this.gradPtr = 0;
      this.neu1 = new Float32Array(data.dim);
      this.neu1e = new Float32Array(data.dim);
      this.grad = new Float32Array(this.subwords ? data.dim : 0);
      this.targets = new Int32Array(0);
    } else {
      this.wasm = instantiateKernels(layout.memory);
      const base = layout.scratch + workerId * layout.scratchStride;
      this.neu1Ptr = base;
      this.neu1ePtr = base + data.dim * 4;
      this.targetsPtr = base + data.dim * 8;
      this.gradPtr = this.subwords ? layout.gradients! + workerId * layout.gradientStride! : 0;
      const buffer = layout.memory.buffer;
      this.neu1 = new Float32Array(buffer, this.neu1Ptr, data.dim);
      this.neu1e = new Float32Array(buffer, this.neu1ePtr, data.dim);
      this.grad = this.subwords ? new Float32Array(buffer, this.gradPtr, data.dim) : new Float32Array(0);
      this.targets = new Int32Array(buffer, this.targetsPtr, data.negative + this.extraCount + 1);
    }
  }

  /** Trains segment `s`; returns the number of tokens read (before subsampling). */
  trainSegment(s: number): number {
    const d = this.data;
    const segments = d.segments;
    const start = segments[3 * s]!;
    const end = segments[3 * s + 1]!;
    const sentence = segments[3 * s + 2]!;
    const ids = d.ids;
    const sen = this.sen;
    const rng = this.rng;
    const keep = d.keep;
    let n = 0;
    if (keep.length > 0) {
      for (let p = start; p < end; p++) {
        const id = ids[p]!;
        if (rng.nextUint32() <= keep[id]!) sen[n++] = id;
      }
    } else {
      for (let p = start; p < end; p++) sen[n++] = ids[p]!;
    }
    this.tokensTrained += n;
    const global = d.globalContext.length > 0 ? d.globalContext[sentence]! : -1;
    if (this.subwords) {
      if (d.skipgram) this.skipgramSentenceSubword(n, global);
      else this.cbowSentenceSubword(n, global);
    } else if (d.skipgram) this.skipgramSentence(n, global);
    else this.cbowSentence(n, global);
    return end - start;
  }

  private skipgramSentence(n: number, global: number): void {
    const d = this.data;
    const sen = this.sen;
    const rng = this.rng;
    const dim = d.dim;
    const wIn = d.wIn;
    for (let i = 0; i < n; i++) {
      const center = sen[i]!;
      const span = effectiveWindow(rng, d.window, d.windowMode);
      const lo = span >= i ? 0 : i - span;
      const hi = span >= n - i - 1 ? n : i + span + 1;
      for (let j = lo; j < hi; j++) {
        if (j === i) continue;
        const contextOffset = sen[j]! * dim;
        this.trainExample(wIn, contextOffset, center, center);
        this.applyInputGradient(contextOffset);
      }
      if (global >= 0) {
        const centerOffset = center * dim;
        this.trainExample(wIn, centerOffset, global, center);
        this.applyInputGradient(centerOffset);
      }
    }
  }

  private cbowSentence(n: number, global: number): void {
    const d = this.data;
    const sen = this.sen;
    const rng = this.rng;
    const dim = d.dim;
    const wIn = d.wIn;
    const neu1 = this.neu1;
    const cbowMean = d.cbowMean;
    const wasm = this.wasm;
    const wInPtr = d.wasm === null ? 0 : d.wasm.wIn;
    const rowBytes = dim * 4;
    const neu1Ptr = this.neu1Ptr;
    const neu1ePtr = this.neu1ePtr;
    for (let i = 0; i < n; i++) {
      const center = sen[i]!;
      const span = effectiveWindow(rng, d.window, d.windowMode);
      const lo = span >= i ? 0 : i - span;
      const hi = span >= n - i - 1 ? n : i + span + 1;
      const cw = hi - lo - 1;
      if (cw <= 0) continue;
      if (wasm !== null) {
        wasm.zero(neu1Ptr, dim);
        for (let j = lo; j < hi; j++) if (j !== i) wasm.add(neu1Ptr, wInPtr + sen[j]! * rowBytes, dim);
        if (cbowMean) wasm.scale(neu1Ptr, 1 / cw, dim);
      } else {
        for (let k = 0; k < dim; k++) neu1[k] = 0;
        for (let j = lo; j < hi; j++) {
          if (j === i) continue;
          addTo(neu1, wIn, sen[j]! * dim, dim);
        }
        if (cbowMean) {
          const inv = 1 / cw;
          for (let k = 0; k < dim; k++) neu1[k] = neu1[k]! * inv;
        }
      }
      this.trainExample(neu1, 0, center, center);
      if (global >= 0) this.trainExample(neu1, 0, global, center, true);
      if (wasm !== null) {
        for (let j = lo; j < hi; j++) if (j !== i) wasm.add(wInPtr + sen[j]! * rowBytes, neu1ePtr, dim);
      } else {
        const neu1e = this.neu1e;
        for (let j = lo; j < hi; j++) {
          if (j === i) continue;
          addTo(wIn, neu1e, 0, dim, sen[j]! * dim);
        }
      }
    }
  }

  /** Skip-gram with subwords: the target's bag mean predicts each context word (see the header). */
  private skipgramSentenceSubword(n: number, global: number): void {
    const d = this.data;
    const sen = this.sen;
    const rng = this.rng;
    const dim = d.dim;
    const wIn = d.wIn;
    const bagOffsets = d.bagOffsets!;
    const bagRows = d.bagRows!;
    const bagGain = d.bagGain!;
    const neu1 = this.neu1;
    const neu1e = this.neu1e;
    const grad = this.grad;
    const wasm = this.wasm;
    const wInPtr = d.wasm === null ? 0 : d.wasm.wIn;
    const rowBytes = dim * 4;
    const neu1Ptr = this.neu1Ptr;
    const neu1ePtr = this.neu1ePtr;
    const gradPtr = this.gradPtr;
    for (let i = 0; i < n; i++) {
      const center = sen[i]!;
      const span = effectiveWindow(rng, d.window, d.windowMode);
      const lo = span >= i ? 0 : i - span;
      const hi = span >= n - i - 1 ? n : i + span + 1;
      if (hi - lo <= 1 && global < 0) continue;
      const b0 = bagOffsets[center]!;
      const b1 = bagOffsets[center + 1]!;
      const gain = bagGain[center]!;
      const inv = 1 / (b1 - b0);
      if (wasm !== null) {
        wasm.zero(neu1Ptr, dim);
        for (let b = b0; b < b1; b++) wasm.add(neu1Ptr, wInPtr + bagRows[b]! * rowBytes, dim);
        wasm.scale(neu1Ptr, inv, dim);
        wasm.zero(gradPtr, dim);
      } else {
        for (let k = 0; k < dim; k++) {
          neu1[k] = 0;
          grad[k] = 0;
        }
        for (let b = b0; b < b1; b++) addTo(neu1, wIn, bagRows[b]! * dim, dim);
        for (let k = 0; k < dim; k++) neu1[k] = neu1[k]! * inv;
      }
      for (let j = lo; j <= hi; j++) {
        let target: number;
        if (j < hi) {
          if (j === i) continue;
          target = sen[j]!;
        } else {
          if (global < 0) break;
          target = global;
        }
        this.trainExample(neu1, 0, target, center);
        // grad += neu1e; h += gain · neu1e (h then equals the mean of the updated bag).
        if (wasm !== null) {
          wasm.add(gradPtr, neu1ePtr, dim);
          if (gain !== 1) wasm.scale(neu1ePtr, gain, dim);
          wasm.add(neu1Ptr, neu1ePtr, dim);
        } else {
          for (let k = 0; k < dim; k++) {
            const e = neu1e[k]!;
            grad[k] = grad[k]! + e;
            neu1[k] = neu1[k]! + gain * e;
          }
        }
      }
      if (wasm !== null) for (let b = b0; b < b1; b++) wasm.add(wInPtr + bagRows[b]! * rowBytes, gradPtr, dim);
      else for (let b = b0; b < b1; b++) addTo(wIn, grad, 0, dim, bagRows[b]! * dim);
    }
  }

  /** CBOW with subwords: the mean of every bag row of every context word predicts the target. */
  private cbowSentenceSubword(n: number, global: number): void {
    const d = this.data;
    const sen = this.sen;
    const rng = this.rng;
    const dim = d.dim;
    const wIn = d.wIn;
    const bagOffsets = d.bagOffsets!;
    const bagRows = d.bagRows!;
    const neu1 = this.neu1;
    const neu1e = this.neu1e;
    const wasm = this.wasm;
    const wInPtr = d.wasm === null ? 0 : d.wasm.wIn;
    const rowBytes = dim * 4;
    const neu1Ptr = this.neu1Ptr;
    const neu1ePtr = this.neu1ePtr;
    for (let i = 0; i < n; i++) {
      const center = sen[i]!;
      const span = effectiveWindow(rng, d.window, d.windowMode);
      const lo = span >= i ? 0 : i - span;
      const hi = span >= n - i - 1 ? n : i + span + 1;
      if (hi - lo <= 1) continue;
      let count = 0;
      if (wasm !== null) {
        wasm.zero(neu1Ptr, dim);
        for (let j = lo; j < hi; j++) {
          if (j === i) continue;
          const w = sen[j]!;
          const b1 = bagOffsets[w + 1]!;
          for (let b = bagOffsets[w]!; b < b1; b++) wasm.add(neu1Ptr, wInPtr + bagRows[b]! * rowBytes, dim);
          count += b1 - bagOffsets[w]!;
        }
        wasm.scale(neu1Ptr, 1 / count, dim);
      } else {
        for (let k = 0; k < dim; k++) neu1[k] = 0;
        for (let j = lo; j < hi; j++) {
          if (j === i) continue;
          const w = sen[j]!;
          const b1 = bagOffsets[w + 1]!;
          for (let b = bagOffsets[w]!; b < b1; b++) addTo(neu1, wIn, bagRows[b]! * dim, dim);
          count += b1 - bagOffsets[w]!;
        }
        const inv = 1 / count;
        for (let k = 0; k < dim; k++) neu1[k] = neu1[k]! * inv;
      }
      this.trainExample(neu1, 0, center, center);
      if (global >= 0) this.trainExample(neu1, 0, global, center, true);
      for (let j = lo; j < hi; j++) {
        if (j === i) continue;
        const w = sen[j]!;
        const b1 = bagOffsets[w + 1]!;
        if (wasm !== null) for (let b = bagOffsets[w]!; b < b1; b++) wasm.add(wInPtr + bagRows[b]! * rowBytes, neu1ePtr, dim);
        else for (let b = bagOffsets[w]!; b < b1; b++) addTo(wIn, neu1e, 0, dim, bagRows[b]! * dim);
      }
    }
  }

  /** Adds neu1e to input row `rowOffset` (skip-gram's bag of one). */
  private applyInputGradient(rowOffset: number): void {
    const wasm = this.wasm;
    if (wasm !== null) wasm.add(this.data.wasm!.wIn + rowOffset * 4, this.neu1ePtr, this.data.dim);
    else addTo(this.data.wIn, this.neu1e, 0, this.data.dim, rowOffset);
  }

  /**
   * One positive example: hidden vector `h[hOff .. hOff+dim)` predicts output `target`; updates
   * the output rows and accumulates the input gradient in `neu1e` (reset here unless `accumulate`).
   * `center` is the input-side id handed to pluggable samplers.
   */
  trainExample(h: Float32Array, hOff: number, target: number, center: number, accumulate = false): void {
    if (this.wasm !== null) {
      this.trainExampleWasm(h === this.neu1 ? this.neu1Ptr + hOff * 4 : this.data.wasm!.wIn + hOff * 4, target, center, accumulate);
      return;
    }
    const d = this.data;
    const dim = d.dim;
    const neu1e = this.neu1e;
    const alpha = this.alpha;
    const sigmoid = TABLES.sigmoid;
    const negLogSigmoid = TABLES.negLogSigmoid;
    if (!accumulate) for (let k = 0; k < dim; k++) neu1e[k] = 0;
    let loss = 0;
    this.examples++;
    if (d.hs) {
      const wOutHs = d.wOutHs;
      const codes = d.codes;
      const points = d.points;
      const end = d.codeOffsets[target + 1]!;
      for (let c = d.codeOffsets[target]!; c < end; c++) {
        const l2 = points[c]! * dim;
        const f = dot(h, hOff, wOutHs, l2, dim);
        const label = 1 - codes[c]!;
        // The C tool skips saturated nodes; the loss still counts them.
        if (f <= -MAX_EXP) {
          loss += label === 1 ? -f : 0;
          continue;
        }
        if (f >= MAX_EXP) {
          loss += label === 1 ? 0 : f;
          continue;
        }
        const idx = ((f + MAX_EXP) * EXP_SCALE) | 0;
        loss += label === 1 ? negLogSigmoid[idx]! : negLogSigmoid[idx]! + f;
        const g = (label - sigmoid[idx]!) * alpha;
        accumulateAndUpdate(neu1e, wOutHs, l2, h, hOff, g, dim);
      }
    }
    const negative = d.negative;
    if (negative > 0) {
      const wOut = d.wOut;
      const rng = this.rng;
      const vocabularySize = d.vocabularySize;
      const aliasThreshold = d.aliasThreshold;
      const aliasIndex = d.aliasIndex;
      const sampler = this.sampler;
      const extraSampler = this.extraSampler;
      const total = negative + 1 + this.extraCount;
      for (let k = 0; k < total; k++) {
        let out: number;
        let label: number;
        if (k === 0) {
          out = target;
          label = 1;
        } else {
          if (k <= negative) {
            if (sampler === null) {
              const col = rng.nextInt(vocabularySize);
              out = rng.nextUint32() < aliasThreshold[col]! ? col : aliasIndex[col]!;
            } else {
              out = sampler.draw(rng, center);
            }
          } else {
            out = extraSampler!.draw(rng, center);
            // An extra sampler may have nothing to contrast this center with (a rejection list).
            if (out < 0) continue;
          }
          if (out === target) continue;
          label = 0;
        }
        const l2 = out * dim;
        const f = dot(h, hOff, wOut, l2, dim);
        let g: number;
        if (f > MAX_EXP) {
          g = (label - 1) * alpha;
          loss += label === 1 ? 0 : f;
        } else if (f < -MAX_EXP) {
          g = label * alpha;
          loss += label === 1 ? -f : 0;
        } else {
          const idx = ((f + MAX_EXP) * EXP_SCALE) | 0;
          g = (label - sigmoid[idx]!) * alpha;
          loss += label === 1 ? negLogSigmoid[idx]! : negLogSigmoid[idx]! + f;
        }
        accumulateAndUpdate(neu1e, wOut, l2, h, hOff, g, dim);
      }
    }
    this.lossSum += loss;
  }

  /** {@link Word2VecKernel.trainExample} with the WebAssembly kernels; `hPtr` is a byte offset. */
  private trainExampleWasm(hPtr: number, target: number, center: number, accumulate: boolean): void {
    const d = this.data;
    const layout = d.wasm!;
    const wasm = this.wasm!;
    const dim = d.dim;
    const neu1ePtr = this.neu1ePtr;
    const alpha = this.alpha;
    if (!accumulate) wasm.zero(neu1ePtr, dim);
    let loss = 0;
    this.examples++;
    if (d.hs) {
      const start = d.codeOffsets[target]!;
      const count = d.codeOffsets[target + 1]! - start;
      loss += wasm.hs(hPtr, layout.wOutHs, layout.points + start * 4, layout.codes + start, count, alpha, dim, neu1ePtr, layout.sigmoid, layout.negLogSigmoid);
    }
    const negative = d.negative;
    if (negative > 0) {
      const targets = this.targets;
      const rng = this.rng;
      const vocabularySize = d.vocabularySize;
      const aliasThreshold = d.aliasThreshold;
      const aliasIndex = d.aliasIndex;
      const sampler = this.sampler;
      targets[0] = target;
      let n = 1;
      for (let k = 0; k < negative; k++) {
        let out: number;
        if (sampler === null) {
          const col = rng.nextInt(vocabularySize);
          out = rng.nextUint32() < aliasThreshold[col]! ? col : aliasIndex[col]!;
        } else {
          out = sampler.draw(rng, center);
        }
        if (out !== target) targets[n++] = out;
      }
      const extraSampler = this.extraSampler;
      if (extraSampler !== null) {
        for (let k = 0; k < this.extraCount; k++) {
          const out = extraSampler.draw(rng, center);
          if (out >= 0 && out !== target) targets[n++] = out;
        }
      }
      loss += wasm.ns(hPtr, layout.wOut, this.targetsPtr, 0, n, alpha, dim, neu1ePtr, layout.sigmoid, layout.negLogSigmoid);
    }
    this.lossSum += loss;
  }
}

/** Σ a[ao+j]·b[bo+j], four accumulators so the adds pipeline. */
export function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += a[ao + j]! * b[bo + j]!;
    s1 += a[ao + j + 1]! * b[bo + j + 1]!;
    s2 += a[ao + j + 2]! * b[bo + j + 2]!;
    s3 += a[ao + j + 3]! * b[bo + j + 3]!;
  }
  for (; j < n; j++) s0 += a[ao + j]! * b[bo + j]!;
  return s0 + s1 + (s2 + s3);
}

/** neu1e += g·out[oo..]; out[oo..] += g·h[ho..] (one pass: both read the old out). */
function accumulateAndUpdate(neu1e: Float32Array, out: Float32Array, oo: number, h: Float32Array, ho: number, g: number, n: number): void {
  for (let j = 0; j < n; j++) {
    const o = out[oo + j]!;
    neu1e[j] = neu1e[j]! + g * o;
    out[oo + j] = o + g * h[ho + j]!;
  }
}

/** y[yo..yo+n) += x[xo..xo+n). */
function addTo(y: Float32Array, x: Float32Array, xo: number, n: number, yo = 0): void {
  for (let j = 0; j < n; j++) y[yo + j] = y[yo + j]! + x[xo + j]!;
}

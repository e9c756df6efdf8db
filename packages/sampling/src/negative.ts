/**
 * Negative samplers: which "noise" outputs a positive example is contrasted with.
 *
 * `UnigramSampler` draws word `i` with probability ∝ count_i^exponent (0.75 in word2vec; negative
 * exponents, which favour rare items, help recommendation data). It uses Vose's alias method:
 * O(V) memory (8 bytes per word) and O(1) draws with two 32-bit random numbers, instead of the C
 * tool's 100M-entry table (400 MB) or gensim's O(log V) binary search.
 *
 * Any object with `draw(rng, centerId)` is a sampler (item2vec's same-market sampler is one). To run
 * in worker threads a sampler must also say how to rebuild itself there: `toWorker()` returns a
 * module to `import()`, the name of a factory exported by it, and plain data (typed arrays,
 * ideally on `SharedArrayBuffer`s) the factory receives. See {@link reviveSampler}.
 */

import type { Rng } from './rng';

/**
 * How a worker thread rebuilds a sampler: `(await import(module))[exportName](state)` must return
 * an equivalent {@link NegativeSampler}. `module` must be importable by plain Node from inside
 * `@embedkit/word2vec`'s built worker: an absolute `file:` URL of built JavaScript, or a bare
 * specifier that resolves from there (such as `'@embedkit/sampling'`). `state` must be
 * structured-cloneable; typed arrays on `SharedArrayBuffer`s are shared instead of copied.
 */
export interface WorkerSamplerSpec {
  module: string;
  exportName: string;
  state: unknown;
}

/**
 * A source of negative examples. `draw` returns an output id in [0, vocabularySize); `centerId`
 * is the id of the word (item) on the input side of the example, so that a sampler may depend on
 * it (e.g. items of the same market). A draw equal to the positive output is skipped by the
 * trainers, as in the C tool. `draw` must not allocate: it runs millions of times per second.
 */
export interface NegativeSampler {
  draw(rng: Rng, centerId: number): number;
  /** Required to use the sampler with `threads > 1`; see {@link WorkerSamplerSpec}. */
  toWorker?(): WorkerSamplerSpec;
}

/** State of a {@link UnigramSampler}, as passed to worker threads. */
export interface UnigramSamplerState {
  /** Per column: keep the column when `rng.nextUint32() < threshold[i]`, else take `alias[i]`. */
  threshold: Uint32Array;
  alias: Int32Array;
  exponent: number;
}

/** Options of {@link UnigramSampler}. */
export interface UnigramSamplerOptions {
  /** Power applied to counts; default 0.75. Any finite real, negative included. */
  exponent?: number;
}

/**
 * Draws ids with probability ∝ `counts[id] ^ exponent` (ids with a count of 0 are never drawn).
 *
 * @example
 * ```ts
 * const sampler = new UnigramSampler(vocabulary.counts, { exponent: 0.75 });
 * const id = sampler.draw(createRng(1), -1);
 * ```
 */
export class UnigramSampler implements NegativeSampler {
  /** Alias-method tables; see {@link UnigramSamplerState}. */
  readonly threshold: Uint32Array;
  readonly alias: Int32Array;
  readonly exponent: number;
  /** Number of ids (the vocabulary size). */
  readonly size: number;

  constructor(counts: ArrayLike<number>, options: UnigramSamplerOptions = {}) {
    const exponent = options.exponent ?? 0.75;
    if (!Number.isFinite(exponent)) throw new RangeError(`exponent must be a finite number, got ${exponent}`);
    const n = counts.length;
    if (n === 0) throw new RangeError('UnigramSampler needs at least one count; the vocabulary is empty');
    const weights = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = counts[i]!;
      if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`counts[${i}] must be a finite number >= 0, got ${c}`);
      const w = c > 0 ? Math.pow(c, exponent) : 0;
      weights[i] = w;
      total += w;
    }
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new RangeError(`UnigramSampler: the weights count^${exponent} sum to ${total}; give positive counts and a moderate exponent`);
    }
    const { threshold, alias } = buildAlias(weights, total);
    this.threshold = threshold;
    this.alias = alias;
    this.exponent = exponent;
    this.size = n;
  }

  /** Rebuilds a sampler from {@link UnigramSampler.state} without recomputing (used by workers). */
  static fromState(state: UnigramSamplerState): UnigramSampler {
    const sampler = Object.create(UnigramSampler.prototype) as { -readonly [K in keyof UnigramSampler]: UnigramSampler[K] };
    if (state.threshold.length !== state.alias.length || state.threshold.length === 0) {
      throw new RangeError('UnigramSampler state: threshold and alias must have the same non-zero length');
    }
    sampler.threshold = state.threshold;
    sampler.alias = state.alias;
    sampler.exponent = state.exponent;
    sampler.size = state.threshold.length;
    return sampler as UnigramSampler;
  }

  /** The tables, for {@link UnigramSampler.fromState}. */
  state(): UnigramSamplerState {
    return { threshold: this.threshold, alias: this.alias, exponent: this.exponent };
  }

  /** Draws one id; `centerId` is ignored. */
  draw(rng: Rng, _centerId: number): number {
    const i = rng.nextInt(this.size);
    return rng.nextUint32() < this.threshold[i]! ? i : this.alias[i]!;
  }

  /** The exact probability of drawing `id` (for tests and diagnostics; O(V)). */
  probability(id: number): number {
    const n = this.size;
    let p = this.threshold[id]! / 4294967296;
    for (let i = 0; i < n; i++) if (this.alias[i] === id) p += 1 - this.threshold[i]! / 4294967296;
    return p / n;
  }

  toWorker(): WorkerSamplerSpec {
    return { module: '@embedkit/sampling', exportName: 'reviveUnigramSampler', state: this.state() };
  }
}

/** Worker-side factory of {@link UnigramSampler} (see {@link WorkerSamplerSpec}). */
export function reviveUnigramSampler(state: UnigramSamplerState): UnigramSampler {
  return UnigramSampler.fromState(state);
}

/**
 * Rebuilds a sampler from its {@link WorkerSamplerSpec} (what word2vec's workers do).
 * Throws a `TypeError` naming the module when the export is missing or returns no sampler.
 */
export async function reviveSampler(spec: WorkerSamplerSpec): Promise<NegativeSampler> {
  const mod = (await import(/* @vite-ignore */ spec.module)) as Record<string, unknown>;
  const factory = mod[spec.exportName];
  if (typeof factory !== 'function') {
    throw new TypeError(`Sampler module ${spec.module} has no exported function ${spec.exportName}`);
  }
  const sampler = (factory as (state: unknown) => unknown)(spec.state) as NegativeSampler | undefined;
  if (sampler === null || typeof sampler !== 'object' || typeof sampler.draw !== 'function') {
    throw new TypeError(`${spec.module}#${spec.exportName} did not return an object with a draw(rng, centerId) method`);
  }
  return sampler;
}

/** Vose's alias method with integer thresholds; exact to 2^-32 per column. */
function buildAlias(weights: Float64Array, total: number): { threshold: Uint32Array; alias: Int32Array } {
  const n = weights.length;
  const scaled = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    const s = (weights[i]! * n) / total;
    scaled[i] = s;
    if (s < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  const threshold = new Uint32Array(n);
  const alias = new Int32Array(n);
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[nl - 1]!;
    threshold[s] = Math.floor(scaled[s]! * 4294967296);
    alias[s] = l;
    const rest = scaled[l]! + scaled[s]! - 1;
    scaled[l] = rest;
    if (rest < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  // Leftovers have probability 1 up to rounding: the column always returns itself.
  while (nl > 0) {
    const l = large[--nl]!;
    threshold[l] = 0xffffffff;
    alias[l] = l;
  }
  while (ns > 0) {
    const s = small[--ns]!;
    threshold[s] = 0xffffffff;
    alias[s] = s;
  }
  return { threshold, alias };
}

// Same-market negatives (Grbovic & Cheng 2018, "adapting to congregated search"): click sessions
// stay inside one market, so ordinary negatives mostly come from other markets and the model only
// learns to tell markets apart. Contrasting an item with random items of ITS OWN market makes the
// embedding rank listings within a market.
import type { NegativeSampler, Rng, WorkerSamplerSpec } from '@embedkit/sampling';

/** Plain state of a {@link SameMarketSampler}, as handed to worker threads. */
export interface SameMarketSamplerState {
  /** Per item id: its market, or -1. */
  itemMarket: Int32Array;
  /** Items of market m are `marketItems[marketOffsets[m] .. marketOffsets[m + 1])`. */
  marketOffsets: Int32Array;
  marketItems: Int32Array;
}

function shared<T extends Int32Array>(source: ArrayLike<number>, length: number): T {
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
  for (let i = 0; i < length; i++) out[i] = source[i]!;
  return out as T;
}

/**
 * Draws a uniformly random item of the center item's market. Items without a market, and
 * markets with a single item, fall back to a uniformly random item of the whole vocabulary.
 * Implements `@embedkit/sampling`'s `NegativeSampler` and can be rebuilt in worker threads
 * (`toWorker()`; the worker imports this package's built `dist/index.js`).
 *
 * @example
 * ```ts
 * const sampler = new SameMarketSampler(encoded.itemMarket);
 * await trainWord2Vec(corpus, { extraNegatives: { sampler, count: 5 } });
 * ```
 */
export class SameMarketSampler implements NegativeSampler {
  readonly itemMarket: Int32Array;
  readonly marketOffsets: Int32Array;
  readonly marketItems: Int32Array;
  /** Number of item ids. */
  readonly size: number;

  /** @param itemMarket per item id, its market index (≥ 0) or -1 for none. */
  constructor(itemMarket: ArrayLike<number>) {
    const n = itemMarket.length;
    if (n === 0) throw new RangeError('SameMarketSampler needs at least one item');
    let marketCount = 0;
    for (let i = 0; i < n; i++) {
      const m = itemMarket[i]!;
      if (!Number.isInteger(m) || m < -1) throw new RangeError(`itemMarket[${i}] must be an integer ≥ -1, got ${m}`);
      if (m + 1 > marketCount) marketCount = m + 1;
    }
    const offsets = new Int32Array(marketCount + 1);
    for (let i = 0; i < n; i++) {
      const m = itemMarket[i]!;
      if (m >= 0) offsets[m + 1]!++;
    }
    for (let m = 0; m < marketCount; m++) offsets[m + 1]! += offsets[m]!;
    const items = new Int32Array(offsets[marketCount]!);
    const fill = offsets.slice(0, marketCount);
    for (let i = 0; i < n; i++) {
      const m = itemMarket[i]!;
      if (m >= 0) items[fill[m]!++] = i;
    }
    this.itemMarket = shared(itemMarket, n);
    this.marketOffsets = shared(offsets, offsets.length);
    this.marketItems = shared(items, items.length);
    this.size = n;
  }

  /** Rebuilds a sampler from {@link SameMarketSampler.state} without copying (worker side). */
  static fromState(state: SameMarketSamplerState): SameMarketSampler {
    const s = Object.create(SameMarketSampler.prototype) as { -readonly [K in keyof SameMarketSampler]: SameMarketSampler[K] };
    s.itemMarket = state.itemMarket;
    s.marketOffsets = state.marketOffsets;
    s.marketItems = state.marketItems;
    s.size = state.itemMarket.length;
    return s as SameMarketSampler;
  }

  /** The tables (on SharedArrayBuffers), for {@link SameMarketSampler.fromState}. */
  state(): SameMarketSamplerState {
    return { itemMarket: this.itemMarket, marketOffsets: this.marketOffsets, marketItems: this.marketItems };
  }

  /** A random item of `centerId`'s market (uniform over the vocabulary when it has none). */
  draw(rng: Rng, centerId: number): number {
    const m = centerId >= 0 && centerId < this.size ? this.itemMarket[centerId]! : -1;
    if (m >= 0) {
      const from = this.marketOffsets[m]!;
      const count = this.marketOffsets[m + 1]! - from;
      if (count > 1) return this.marketItems[from + rng.nextInt(count)]!;
    }
    return rng.nextInt(this.size);
  }

  toWorker(): WorkerSamplerSpec {
    return { module: builtModuleUrl(), exportName: 'reviveSameMarketSampler', state: this.state() };
  }
}

/** Worker-side factory of {@link SameMarketSampler} (see `@embedkit/sampling`'s `WorkerSamplerSpec`). */
export function reviveSameMarketSampler(state: SameMarketSamplerState): SameMarketSampler {
  return SameMarketSampler.fromState(state);
}

/**
 * The built entry of this package, which exports the samplers' worker factories
 * (`reviveSameMarketSampler`, `reviveRejectionSampler`). Bundled, this module IS `dist/index.js`;
 * run from sources (tests), it points at the build next to `src/`.
 *
 * @internal
 */
export function builtModuleUrl(): string {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/index.js', here).href : here;
}

// Top-K selection over dense scores with a fixed-size min-heap (O(n log k), no allocation per
// candidate). Ties go to the lower index, i.e. the more frequent item in vocabulary order.

/** Keeps the `k` best (score, index) pairs seen. */
export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  private n = 0;
  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.ids = new Int32Array(Math.max(1, k));
  }

  /** True when (a, ia) ranks below (b, ib). */
  private static worse(a: number, ia: number, b: number, ib: number): boolean {
    return a < b || (a === b && ia > ib);
  }

  push(score: number, id: number): void {
    const k = this.k;
    if (k === 0) return;
    const scores = this.scores;
    const ids = this.ids;
    if (this.n < k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!TopK.worse(score, id, scores[p]!, ids[p]!)) break;
        scores[i] = scores[p]!;
        ids[i] = ids[p]!;
        i = p;
      }
      scores[i] = score;
      ids[i] = id;
      return;
    }
    if (!TopK.worse(scores[0]!, ids[0]!, score, id)) return;
    // Replace the root (the worst kept) and sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) break;
      const r = l + 1;
      let c = l;
      if (r < k && TopK.worse(scores[r]!, ids[r]!, scores[l]!, ids[l]!)) c = r;
      if (!TopK.worse(scores[c]!, ids[c]!, score, id)) break;
      scores[i] = scores[c]!;
      ids[i] = ids[c]!;
      i = c;
    }
    scores[i] = score;
    ids[i] = id;
  }

  /** The kept pairs, best first. */
  drain(): Array<{ id: number; score: number }> {
    const out: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < this.n; i++) out.push({ id: this.ids[i]!, score: this.scores[i]! });
    out.sort((a, b) => b.score - a.score || a.id - b.id);
    this.n = 0;
    return out;
  }
}

/**
 * Recency weights for a history of `n` items, oldest first: the most recent item weighs 1, the
 * one before `decay`, then `decay²`… (`decay = 1` is a plain mean).
 */
export function recencyWeights(n: number, decay: number): Float64Array {
  const w = new Float64Array(n);
  let x = 1;
  for (let i = n - 1; i >= 0; i--) {
    w[i] = x;
    x *= decay;
  }
  return w;
}

/** Validates a recency decay in (0, 1]. */
export function checkDecay(decay: number, name = 'recencyDecay'): number {
  if (!(decay > 0 && decay <= 1)) throw new RangeError(`${name} must be in (0, 1] (1 = plain mean), got ${decay}`);
  return decay;
}

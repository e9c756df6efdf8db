/**
 * Bounded top-k selection for nearest-neighbour queries: one pass over the scores with a min-heap
 * of the k best seen so far, in two typed arrays (no objects, no per-row allocation). The root is
 * the worst of the kept candidates, so a new score is compared against one number and the heap
 * is touched only when it beats it: O(V + m log k) for V rows of which m ever enter the heap.
 *
 * Ordering is total: higher score first, then lower row index first, so results are
 * deterministic under ties (the first row in frequency order wins, as with a stable sort).
 */

/** A fixed-capacity min-heap of (score, row) pairs keeping the `capacity` best rows. */
export class TopK {
  readonly capacity: number;
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.scores = new Float64Array(Math.max(1, capacity));
    this.rows = new Int32Array(Math.max(1, capacity));
  }

  /** Number of candidates kept so far. */
  get size(): number {
    return this.count;
  }

  /** True when the heap is full: a candidate must then beat {@link threshold} to enter. */
  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** The worst kept score (the root); -Infinity while the heap is not full. */
  get threshold(): number {
    return this.count >= this.capacity ? (this.scores[0] as number) : -Infinity;
  }

  /**
   * Offers a candidate. Rows must be offered in increasing order, so that an equal score never
   * displaces an earlier row (ties keep the lower index).
   */
  push(score: number, row: number): void {
    if (this.capacity === 0) return;
    const scores = this.scores;
    const rows = this.rows;
    if (this.count < this.capacity) {
      // Sift up: the parent must be "worse or equal" (lower score, or equal score and higher row).
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const ps = scores[parent] as number;
        if (ps < score || (ps === score && (rows[parent] as number) > row)) break;
        scores[i] = ps;
        rows[i] = rows[parent] as number;
        i = parent;
      }
      scores[i] = score;
      rows[i] = row;
      return;
    }
    if (!(score > (scores[0] as number))) return;
    // Replace the root.
    this.siftDown(score, row, this.count);
  }

  /**
   * Empties the heap into `outRows` / `outScores`, best first, and returns how many were written.
   */
  drain(outRows: Int32Array, outScores: Float64Array): number {
    const n = this.count;
    // Pop the worst repeatedly and fill from the back.
    for (let k = n - 1; k >= 0; k--) {
      outRows[k] = this.rows[0] as number;
      outScores[k] = this.scores[0] as number;
      this.popRoot();
    }
    return n;
  }

  private popRoot(): void {
    const n = --this.count;
    if (n === 0) return;
    // The last element takes the root's place.
    this.siftDown(this.scores[n] as number, this.rows[n] as number, n);
  }

  /** Puts (score, row) at the root of a heap of `n` elements and sifts it down to its place. */
  private siftDown(score: number, row: number, n: number): void {
    const scores = this.scores;
    const rows = this.rows;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let child = left;
      const right = left + 1;
      if (right < n && worse(scores, rows, right, left)) child = right;
      const cs = scores[child] as number;
      if (cs > score || (cs === score && (rows[child] as number) < row)) break;
      scores[i] = cs;
      rows[i] = rows[child] as number;
      i = child;
    }
    scores[i] = score;
    rows[i] = row;
  }
}

/** True when heap slot `a` ranks below slot `b` (lower score, or equal score and later row). */
function worse(scores: Float64Array, rows: Int32Array, a: number, b: number): boolean {
  const sa = scores[a] as number;
  const sb = scores[b] as number;
  return sa < sb || (sa === sb && (rows[a] as number) > (rows[b] as number));
}

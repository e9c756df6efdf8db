/**
 * Completion of words (or item ids) from the vocabulary: the labels' lower-cased keys are sorted
 * once at start-up, so a prefix is a contiguous range found by two binary searches. Within that
 * range the most frequent labels (lowest rows, as rows are in frequency order) are returned
 * first, so typing "ki" offers "king" before "kiwifruit".
 */

/** A prefix index over a list of labels. */
export class PrefixIndex {
  // Row numbers sorted by key; keys[i] is the lower-cased label of row order[i].
  private readonly order: Int32Array;
  private readonly keys: string[];
  private readonly labels: readonly string[];

  /** Sorts `labels` (O(n log n), about a second for 3M labels). */
  constructor(labels: readonly string[]) {
    this.labels = labels;
    const n = labels.length;
    const lower = new Array<string>(n);
    for (let i = 0; i < n; i++) lower[i] = (labels[i] as string).toLowerCase();
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Code-unit order (not localeCompare: 50× slower and the binary search only needs consistency).
    order.sort((a, b) => {
      const ka = lower[a] as string;
      const kb = lower[b] as string;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
    this.order = order;
    this.keys = new Array<string>(n);
    for (let i = 0; i < n; i++) this.keys[i] = lower[order[i] as number] as string;
  }

  /**
   * Up to `limit` labels starting with `prefix` (case-insensitive), most frequent first.
   * Cost: two binary searches plus one pass over the matching range.
   */
  complete(prefix: string, limit: number): string[] {
    if (limit < 1) return [];
    const key = prefix.toLowerCase();
    const start = this.lowerBound(key);
    // Every key with this prefix is < key + U+FFFF…, so the range ends at that bound.
    const end = this.lowerBound(key + '\uffff');
    // Keep the `limit` smallest rows (rows are in frequency order: smallest = most frequent) in
    // a small sorted array; a long range (prefix "a") costs one comparison per entry.
    const rows: number[] = [];
    for (let i = start; i < end; i++) {
      const row = this.order[i] as number;
      if (rows.length === limit && row >= (rows[limit - 1] as number)) continue;
      let at = rows.length === limit ? limit - 1 : rows.length;
      while (at > 0 && (rows[at - 1] as number) > row) {
        rows[at] = rows[at - 1] as number;
        at--;
      }
      rows[at] = row;
    }
    return rows.map((row) => this.labels[row] as string);
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

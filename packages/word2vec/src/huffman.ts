/**
 * The Huffman tree of hierarchical softmax, built as the C tool's `CreateBinaryTree`: frequent
 * words get short codes, so the expected number of inner-node updates per example is minimal.
 *
 * Flat layout for the hot loop: word `w`'s code is `codes[codeOffsets[w] .. codeOffsets[w+1])`
 * (0/1 branch taken at each inner node, root first) and `points[same range]` are the inner nodes'
 * rows in `wOutHs` (the C tool's `syn1`), root = row `V − 2`.
 */

/** Hierarchical-softmax codes of a vocabulary; see the module comment. */
export interface HuffmanTree {
  codeOffsets: Int32Array;
  codes: Uint8Array;
  points: Int32Array;
  /** Number of inner nodes (= rows of `wOutHs`): V − 1. */
  innerNodes: number;
}

/**
 * Builds the tree from word counts. Ties are broken as the C tool does on counts sorted in
 * descending order (our vocabularies already are; other orders are sorted first, stably).
 * A vocabulary of one word gets an empty code (nothing to predict).
 */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanTree {
  const v = counts.length;
  const codeOffsets = new Int32Array(v + 1);
  if (v < 2) return { codeOffsets, codes: new Uint8Array(0), points: new Int32Array(0), innerNodes: 0 };
  // order[r] = word id of rank r (descending count, stable).
  const order = new Int32Array(v);
  let sorted = true;
  for (let i = 0; i < v; i++) {
    order[i] = i;
    if (i > 0 && counts[i]! > counts[i - 1]!) sorted = false;
  }
  if (!sorted) {
    const tmp = Array.from(order).sort((a, b) => counts[b]! - counts[a]! || a - b);
    order.set(tmp);
  }
  const count = new Float64Array(2 * v);
  const parent = new Int32Array(2 * v);
  const binary = new Uint8Array(2 * v);
  for (let r = 0; r < v; r++) count[r] = counts[order[r]!]!;
  for (let r = v; r < 2 * v; r++) count[r] = 1e300;
  let pos1 = v - 1;
  let pos2 = v;
  for (let a = 0; a < v - 1; a++) {
    let min1: number;
    let min2: number;
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) min1 = pos1--;
    else min1 = pos2++;
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) min2 = pos1--;
    else min2 = pos2++;
    count[v + a] = count[min1]! + count[min2]!;
    parent[min1] = v + a;
    parent[min2] = v + a;
    binary[min2] = 1;
  }
  // Code lengths first, then fill codes root-first.
  const lengths = new Int32Array(v);
  let total = 0;
  const root = 2 * v - 2;
  for (let r = 0; r < v; r++) {
    let len = 0;
    for (let b = r; b !== root; b = parent[b]!) len++;
    lengths[order[r]!] = len;
    total += len;
  }
  for (let w = 0; w < v; w++) codeOffsets[w + 1] = codeOffsets[w]! + lengths[w]!;
  const codes = new Uint8Array(total);
  const points = new Int32Array(total);
  for (let r = 0; r < v; r++) {
    const w = order[r]!;
    const start = codeOffsets[w]!;
    const len = lengths[w]!;
    // Walking up from the leaf gives the code leaf-first; store it reversed. The point of code
    // bit k is the inner node whose child is taken: the parent of the node at that level.
    let k = len - 1;
    for (let b = r; b !== root; b = parent[b]!) {
      codes[start + k] = binary[b]!;
      points[start + k] = parent[b]! - v;
      k--;
    }
  }
  return { codeOffsets, codes, points, innerNodes: v - 1 };
}

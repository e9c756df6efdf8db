/**
 * The subword (fastText) option of the trainers: settings, the flat "bag" tables the kernels read,
 * the memory estimate, and the assembly of the result into a `SubwordEmbeddings`.
 *
 * With subwords the input matrix `wIn` has `vocabularySize + buckets` rows: word `w`'s own row
 * `w`, then one row per n-gram bucket (`vocabularySize + bucket`), fastText's layout and hash
 * (both from `@embedkit/vectors`' `buildSubwordTable`, never re-implemented here). A word's input
 * vector is the mean of its bag: its own row and its n-gram rows. fastText's `Model::update` adds
 * the output-side gradient `neu1e`, unscaled, to every entry of the bag (`normalizeGradient` is
 * off for skipgram and cbow), and so do the kernels.
 */

import { buildSubwordTable, ngramMatrixBytes, resolveSubwordSettings } from '@embedkit/vectors';
import type { SubwordSettings } from '@embedkit/vectors';

/** The `subwords` option of `trainWord2Vec` (fastText's `-minn`, `-maxn`, `-bucket`). */
export interface SubwordOptions {
  /** Shortest character n-gram, counting the `<` `>` word marks; default 3 (fastText's `-minn`). */
  minN?: number;
  /** Longest character n-gram; default 6 (`-maxn`). 0 turns n-grams off (and buckets to 0). */
  maxN?: number;
  /** Hash buckets (n-gram rows); default 2,000,000 (`-bucket`): buckets × dim × 4 bytes. */
  buckets?: number;
}

/**
 * The bags of every vocabulary word, as compressed sparse rows over `wIn`, plus per word the
 * factor by which the bag's mean moves when every entry of the bag receives the same gradient `g`:
 * `Σ_r mult(r)² / k` over the distinct rows `r` with their multiplicities, `k` entries in all
 * (1 unless a row repeats, as "ana" does in "banana" or two n-grams sharing a bucket).
 */
export interface BagTables {
  /** Length `vocabularySize + 1`; word `w`'s bag is `rows[offsets[w] .. offsets[w + 1])`. */
  offsets: Int32Array;
  rows: Int32Array;
  gain: Float32Array;
}

/**
 * Applies the defaults and validates (`RangeError` for `minN > maxN`, zero buckets with n-grams
 * on, …). `maxN` 0 means no n-grams: buckets become 0, as in fastText.
 */
export function resolveSubwordOption(option: SubwordOptions): SubwordSettings {
  if (option === null || typeof option !== 'object') {
    throw new TypeError(`subwords must be an object { minN?, maxN?, buckets? }, got ${String(option)}`);
  }
  const maxN = option.maxN ?? 6;
  const resolved = resolveSubwordSettings(maxN === 0 ? { minN: option.minN ?? 3, maxN: 0, buckets: 0 } : option);
  if (resolved.maxN === 0) return { minN: resolved.minN, maxN: 0, buckets: 0 };
  return resolved;
}

/** Whether the settings produce n-gram rows (otherwise each word's bag is its own row). */
export function hasNgrams(settings: SubwordSettings): boolean {
  return settings.maxN > 0 && settings.buckets > 0;
}

/** Builds the bag tables from `buildSubwordTable` (fastText's rows, own row first). */
export function buildBagTables(words: readonly string[], settings: SubwordSettings): BagTables {
  const { offsets, rows } = buildSubwordTable(words, settings);
  const gain = new Float32Array(words.length);
  // Multiplicities per bag: sort a copy of each bag and count runs (bags are short, ~20 rows).
  let scratch = new Int32Array(64);
  for (let w = 0; w < words.length; w++) {
    const start = offsets[w]!;
    const k = offsets[w + 1]! - start;
    if (scratch.length < k) scratch = new Int32Array(2 * k);
    const bag = scratch.subarray(0, k);
    bag.set(rows.subarray(start, start + k));
    bag.sort();
    let squares = 0;
    let run = 1;
    for (let i = 1; i <= k; i++) {
      if (i < k && bag[i] === bag[i - 1]) run++;
      else {
        squares += run * run;
        run = 1;
      }
    }
    gain[w] = k > 0 ? squares / k : 1;
  }
  return { offsets, rows, gain };
}

/**
 * An upper bound of the number of bag entries (own rows plus n-grams) of `words`, without
 * hashing anything: a word of `L` characters has at most `L + 3 − n` n-grams of length `n`.
 */
export function bagEntriesBound(words: readonly string[], settings: SubwordSettings): number {
  let total = words.length;
  if (!hasNgrams(settings)) return total;
  for (const word of words) {
    const wrapped = word.length + 2;
    for (let n = settings.minN; n <= settings.maxN && n <= wrapped; n++) total += wrapped - n + 1;
  }
  return total;
}

/** Extra bytes that subwords add to a model: the n-gram rows and the bag tables. */
export function subwordExtraBytes(words: readonly string[], dim: number, settings: SubwordSettings): number {
  if (!hasNgrams(settings)) return 0;
  return ngramMatrixBytes(settings.buckets, dim) + 4 * bagEntriesBound(words, settings) + 8 * (words.length + 1);
}

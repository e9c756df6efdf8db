/**
 * The three numbers that define a fastText-style subword scheme (`minN`, `maxN`, `buckets`),
 * their defaults (fastText's for skipgram / cbow) and their validation, done once at the API
 * boundary.
 */

/** Character n-gram settings shared by the subword trainer, `SubwordEmbeddings` and the files. */
export interface SubwordSettings {
  /**
   * Shortest n-gram, in characters (Unicode code points), counting the `<` and `>` boundary
   * marks. fastText's `-minn`. Default 3.
   */
  minN: number;
  /** Longest n-gram, in characters. fastText's `-maxn`. 0 turns n-grams off. Default 6. */
  maxN: number;
  /**
   * Number of hash buckets (rows shared by all n-grams). fastText's `-bucket`. Default
   * 2,000,000. Memory: `buckets × dim × 4` bytes (2M × 100 = 800 MB). May be 0 only when
   * n-grams are off (`maxN` 0).
   */
  buckets: number;
}

/** fastText's defaults for `skipgram` and `cbow`. */
export const SUBWORD_DEFAULTS: Readonly<SubwordSettings> = Object.freeze({ minN: 3, maxN: 6, buckets: 2_000_000 });

/** The largest `maxN` accepted: beyond this n-grams are whole words and only cost memory. */
export const MAX_NGRAM_LENGTH = 64;

/** The largest number of buckets accepted (fastText stores bucket ids as int32). */
export const MAX_BUCKETS = 0x7fffffff;

/**
 * Applies the defaults and validates.
 *
 * @throws TypeError when `settings` is not an object.
 * @throws RangeError naming the value and the fix: `minN` / `maxN` not integers in
 *   [0, {@link MAX_NGRAM_LENGTH}], `minN > maxN` while n-grams are on, `minN` 0 with n-grams on,
 *   `buckets` not a positive integer while n-grams are on.
 */
export function resolveSubwordSettings(settings: Partial<SubwordSettings> = {}): SubwordSettings {
  if (settings === null || typeof settings !== 'object') {
    throw new TypeError('subword settings must be an object { minN, maxN, buckets }');
  }
  const minN = settings.minN ?? SUBWORD_DEFAULTS.minN;
  const maxN = settings.maxN ?? SUBWORD_DEFAULTS.maxN;
  const buckets = settings.buckets ?? SUBWORD_DEFAULTS.buckets;
  for (const [name, value] of [['minN', minN], ['maxN', maxN]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_NGRAM_LENGTH) {
      throw new RangeError(
        `subword settings: ${name} must be an integer in [0, ${MAX_NGRAM_LENGTH}] (characters), got ${String(value)}`,
      );
    }
  }
  if (!Number.isInteger(buckets) || buckets < 0 || buckets > MAX_BUCKETS) {
    throw new RangeError(`subword settings: buckets must be an integer in [0, ${MAX_BUCKETS}], got ${String(buckets)}`);
  }
  if (maxN > 0) {
    if (minN < 1) {
      throw new RangeError(`subword settings: minN must be at least 1 when maxN is ${maxN}, got ${minN}`);
    }
    if (minN > maxN) {
      throw new RangeError(
        `subword settings: minN (${minN}) is greater than maxN (${maxN}); no n-gram would be used. ` +
          'Give minN ≤ maxN, or maxN 0 to turn n-grams off',
      );
    }
    if (buckets === 0) {
      throw new RangeError(
        'subword settings: buckets is 0 but n-grams are on (maxN > 0); give a positive number of buckets ' +
          '(fastText uses 2,000,000; 100,000–500,000 is often enough), or maxN 0 to turn n-grams off',
      );
    }
  }
  return { minN, maxN, buckets };
}

/** True when the settings produce n-grams at all. */
export function ngramsEnabled(settings: SubwordSettings): boolean {
  return settings.maxN > 0 && settings.maxN >= settings.minN && settings.buckets > 0;
}

/** Bytes of the n-gram rows (`buckets × dim` float32s), to report before allocating them. */
export function ngramMatrixBytes(buckets: number, dim: number): number {
  return buckets * dim * 4;
}

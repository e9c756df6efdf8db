/**
 * Frequent-word subsampling (Mikolov et al. 2013, as implemented in the C tool, not the paper's
 * formula): a token of a word with count `f` is kept with probability
 * `(sqrt(f / (sample·total)) + 1) · (sample·total) / f`, clipped to 1.
 */

/**
 * The C tool's keep probability of one token of a word seen `count` times among `totalCount`
 * tokens, for threshold `sample` (`sample <= 0` disables subsampling: 1).
 */
export function keepProbability(count: number, totalCount: number, sample: number): number {
  if (!(sample > 0) || !(count > 0) || !(totalCount > 0)) return 1;
  const threshold = sample * totalCount;
  const p = (Math.sqrt(count / threshold) + 1) * (threshold / count);
  return p >= 1 ? 1 : p;
}

/**
 * Keep probabilities of a whole vocabulary scaled to unsigned 32-bit integers, for the hot loop:
 * keep a token of word `id` when `rng.nextUint32() <= table[id]` (0xffffffff = always keep).
 */
export function keepThresholds(counts: ArrayLike<number>, totalCount: number, sample: number): Uint32Array {
  const table = new Uint32Array(counts.length);
  for (let id = 0; id < counts.length; id++) {
    const p = keepProbability(counts[id]!, totalCount, sample);
    table[id] = p >= 1 ? 0xffffffff : Math.floor(p * 4294967296);
  }
  return table;
}

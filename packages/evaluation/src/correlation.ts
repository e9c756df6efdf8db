/**
 * Rank and linear correlation, as scipy's `spearmanr` and `pearsonr` compute them.
 *
 * Spearman's ρ is Pearson's r on the ranks, ties receiving the average of the ranks they span
 * (scipy's `rankdata(method='average')`), which is the "proper tie handling" that matters for
 * similarity data sets: WordSim-353 and SimLex-999 have many equal human scores.
 */

/**
 * Pearson's correlation coefficient of two equally long samples; NaN when fewer than two values or
 * when either sample is constant.
 *
 * @throws RangeError when the lengths differ.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = checkLengths(x, y, 'pearson');
  if (n < 2) return Number.NaN;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number;
    meanY += y[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding can push |r| a hair above 1.
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Spearman's rank correlation coefficient ρ: Pearson's r of the average ranks. NaN when fewer than
 * two values or when either sample is constant.
 *
 * @throws RangeError when the lengths differ.
 * @example
 * ```ts
 * spearman([1, 2, 3, 4], [10, 20, 30, 35]); // 1
 * spearman([1, 2, 2, 3], [1, 3, 2, 4]);     // 0.9486…
 * ```
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

/** 1-based ranks with ties given the mean of the ranks they occupy (scipy `rankdata`, method 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const value = values[order[start] as number] as number;
    while (end < n && values[order[end] as number] === value) end++;
    // positions start..end-1 hold equal values: ranks start+1..end, mean (start + 1 + end) / 2
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}

function checkLengths(x: ArrayLike<number>, y: ArrayLike<number>, where: string): number {
  if (x.length !== y.length) {
    throw new RangeError(`${where}: samples must have the same length, got ${x.length} and ${y.length}`);
  }
  return x.length;
}

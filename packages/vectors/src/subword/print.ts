/**
 * fastText's text output of vectors (`print-word-vectors`, `.vec` rows): each component as C++
 * `std::ostream` prints a float with `setprecision(5)` — printf's `%.5g` — followed by a space.
 * Byte-identical output lets scripts written around fastText run unchanged.
 */

/**
 * `value` as C's `%.Pg` (default P = 5, fastText's precision): P significant digits, trailing
 * zeros removed, exponent form (`e-05`, at least two exponent digits) when the exponent is
 * below −4 or at least P.
 */
export function formatFastTextFloat(value: number, precision = 5): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  // toExponential rounds to P significant digits and tells the exponent after rounding.
  const exponential = value.toExponential(precision - 1);
  const e = exponential.indexOf('e');
  const exponent = Number(exponential.slice(e + 1));
  if (exponent < -4 || exponent >= precision) {
    const mantissa = stripZeros(exponential.slice(0, e));
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return stripZeros(value.toFixed(precision - 1 - exponent));
}

function stripZeros(text: string): string {
  if (text.indexOf('.') === -1) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--; // '0'
  if (text.charCodeAt(end - 1) === 46) end--; // '.'
  return text.slice(0, end);
}

/** One line of `print-word-vectors`: `word v1 v2 … vd ` (fastText leaves a trailing space). */
export function formatFastTextVectorLine(word: string, vector: ArrayLike<number>): string {
  let line = `${word} `;
  for (let j = 0; j < vector.length; j++) line += `${formatFastTextFloat(vector[j] as number)} `;
  return line;
}

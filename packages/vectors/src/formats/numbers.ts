/**
 * Numbers in text vector files.
 *
 * Reading: a byte-level scanner validates the token's syntax (`[+-]digits[.digits][e[+-]digits]`,
 * so "0x10", "1,5" or "" are rejected, unlike `Number()`), and converts it exactly: when the
 * significand has at most 15 digits and the power of ten is at most 22 (nearly every value in
 * practice), `significand × 10^e` or `significand / 10^-e` is one correctly rounded double
 * operation (Clinger's fast path); otherwise `parseFloat` of the token. The double is then
 * rounded to float32, the same decimal → double → float32 path numpy takes in gensim.
 *
 * Writing: the shortest decimal that reads back (by that same path) as the identical float32,
 * e.g. 0.1f is written "0.1", not "0.100000001" — the same strings gensim writes (`repr` of a
 * numpy float32). So values round-trip exactly, and files stay about as small as they can be.
 */
import { latin1 } from './utf8';

const POWERS_OF_TEN = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * Parses the decimal in `bytes[start, end)` as a double. Returns NaN for "nan"/"inf"-like
 * spellings (the caller reports a non-finite value) and `undefined` for any other malformed token.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let negative = false;
  let c = bytes[i] as number;
  if (c === 0x2d /* - */ || c === 0x2b /* + */) {
    negative = c === 0x2d;
    i++;
  }
  let significand = 0;
  let significantDigits = 0;
  let exponent = 0;
  let digits = 0;
  let exact = true;
  for (; i < end; i++) {
    c = bytes[i] as number;
    if (c < 0x30 || c > 0x39) break;
    digits++;
    if (significand === 0 && c === 0x30) continue;
    if (significantDigits < 15) {
      significand = significand * 10 + (c - 0x30);
      significantDigits++;
    } else {
      exponent++;
      if (c !== 0x30) exact = false;
    }
  }
  if (i < end && bytes[i] === 0x2e /* . */) {
    for (i++; i < end; i++) {
      c = bytes[i] as number;
      if (c < 0x30 || c > 0x39) break;
      digits++;
      if (significand === 0 && c === 0x30) {
        exponent--;
        continue;
      }
      if (significantDigits < 15) {
        significand = significand * 10 + (c - 0x30);
        significantDigits++;
        exponent--;
      } else if (c !== 0x30) {
        exact = false;
      }
    }
  }
  if (digits === 0) return nonFinite(bytes, start, end) ? NaN : undefined;
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45) /* e E */) {
    i++;
    let expNegative = false;
    if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
      expNegative = bytes[i] === 0x2d;
      i++;
    }
    let expDigits = 0;
    let e = 0;
    for (; i < end; i++) {
      c = bytes[i] as number;
      if (c < 0x30 || c > 0x39) break;
      expDigits++;
      if (e < 100_000) e = e * 10 + (c - 0x30);
    }
    if (expDigits === 0) return undefined;
    exponent += expNegative ? -e : e;
  }
  if (i !== end) return undefined;
  let value: number;
  if (exact && exponent >= -22 && exponent <= 22) {
    value =
      exponent < 0
        ? significand / (POWERS_OF_TEN[-exponent] as number)
        : significand * (POWERS_OF_TEN[exponent] as number);
  } else {
    value = Math.abs(parseFloat(latin1(bytes, start, end)));
  }
  return negative ? -value : value;
}

/** "nan", "inf", "infinity" in any case, with an optional sign. */
function nonFinite(bytes: Uint8Array, start: number, end: number): boolean {
  const token = latin1(bytes, start, end).toLowerCase().replace(/^[+-]/, '');
  return token === 'nan' || token === 'inf' || token === 'infinity';
}

/**
 * The shortest decimal string that parses back to the float32 `value` (which must be finite and
 * already a float32, e.g. read from a Float32Array), spelled as JavaScript's `String(number)`
 * would spell that decimal (`0.1`, `-2.5e-7`, `100`, `1e+21`). See {@link writeFloat32}.
 */
export function formatFloat32(value: number): string {
  const end = writeFloat32(value, SCRATCH, 0);
  let text = '';
  for (let i = 0; i < end; i++) text += String.fromCharCode(SCRATCH[i] as number);
  return text;
}

const SCRATCH = new Uint8Array(64);

/**
 * Writes {@link formatFloat32}'s text as ASCII bytes into `out` at `pos` (at most 16 bytes) and
 * returns the position after it. No string is created on the fast path: a text save writes
 * hundreds of millions of values.
 *
 * 9 significant digits always identify a float32. The 9-digit rounding is computed in doubles
 * (scaling by a power of ten costs at most a few double ulps, about 1e-7 of a unit in the 9th
 * digit), then 1, 2, … digits are tried, each rounded with exact integer arithmetic, and the first
 * that reads back as `value` is kept. Near-ties, where that shortcut could round the wrong way,
 * take the exact path through `toPrecision`.
 */
export function writeFloat32(value: number, out: Uint8Array, pos: number): number {
  if (value === 0) {
    if (Object.is(value, -0)) out[pos++] = 0x2d;
    out[pos++] = 0x30;
    return pos;
  }
  const negative = value < 0;
  const magnitude = negative ? -value : value;
  let exp10 = Math.floor(Math.log10(magnitude));
  let scaled = scaleByPowerOfTen(magnitude, 8 - exp10);
  // log10 can be off by one at exact powers of ten: renormalise into [1e8, 1e9).
  if (scaled >= 1e9) scaled = scaleByPowerOfTen(magnitude, 8 - ++exp10);
  else if (scaled < 1e8) scaled = scaleByPowerOfTen(magnitude, 8 - --exp10);
  for (let p = 1; p <= 9; p++) {
    // Round `scaled` to p digits: n units of 10^(9-p), deciding from the unrounded value (its
    // error, ~1e-7, is far below the 1e-6 band within which we call it a tie and go exact).
    const unit = POWERS_OF_TEN[9 - p] as number;
    let n = Math.floor(scaled / unit);
    let rest = scaled - n * unit;
    if (rest < 0) {
      n--;
      rest += unit;
    } else if (rest >= unit) {
      n++;
      rest -= unit;
    }
    const excess = 2 * rest - unit;
    if (excess > -1e-6 && excess < 1e-6) return writeAscii(formatFloat32Exact(value), out, pos);
    if (excess > 0) n++;
    // value ≈ n × 10^e
    const e = exp10 - p + 1;
    let candidate: number;
    if (e >= 0 && e <= 22) candidate = n * (POWERS_OF_TEN[e] as number);
    else if (e < 0 && e >= -22) candidate = n / (POWERS_OF_TEN[-e] as number);
    else candidate = Number(`${n}e${e}`);
    if (Math.fround(candidate) === magnitude) return spell(negative, n, e, out, pos);
  }
  return writeAscii(formatFloat32Exact(value), out, pos); // not reached: 9 digits always round-trip
}

function scaleByPowerOfTen(x: number, k: number): number {
  if (k >= 0) return k <= 22 ? x * (POWERS_OF_TEN[k] as number) : x * 10 ** k;
  return k >= -22 ? x / (POWERS_OF_TEN[-k] as number) : x / 10 ** -k;
}

/** The slow exact path: the shortest `toPrecision` that round-trips. */
function formatFloat32Exact(value: number): string {
  for (let p = 1; p < 9; p++) {
    const text = value.toPrecision(p);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(Number(value.toPrecision(9)));
}

function writeAscii(text: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
  return pos;
}

/** Writes the decimal digits of the positive integer `n` (< 1e16) at `pos`; returns the end. */
function writeInteger(n: number, out: Uint8Array, pos: number): number {
  let length = 1;
  while (length < 16 && n >= (POWERS_OF_TEN[length] as number)) length++;
  for (let i = pos + length - 1; i >= pos; i--) {
    const q = Math.floor(n / 10);
    out[i] = 0x30 + (n - q * 10);
    n = q;
  }
  return pos + length;
}

/** Writes ±n × 10^e (n a positive integer) the way `String(number)` spells numbers. */
function spell(negative: boolean, n: number, e: number, out: Uint8Array, pos: number): number {
  while (n % 10 === 0) {
    n /= 10;
    e++;
  }
  if (negative) out[pos++] = 0x2d;
  let length = 1;
  while (n >= (POWERS_OF_TEN[length] as number)) length++;
  const leading = e + length - 1; // decimal exponent of the first digit
  if (leading >= 21 || leading < -6) {
    // d.ddde±x
    const start = pos;
    pos = writeInteger(n, out, pos + 1);
    out[start] = out[start + 1] as number;
    if (length > 1) out[start + 1] = 0x2e;
    else pos--;
    out[pos++] = 0x65;
    out[pos++] = leading < 0 ? 0x2d : 0x2b;
    return writeInteger(Math.abs(leading), out, pos);
  }
  if (e >= 0) {
    pos = writeInteger(n, out, pos);
    for (let k = 0; k < e; k++) out[pos++] = 0x30;
    return pos;
  }
  if (leading >= 0) {
    // Integer part, '.', fraction: write all digits shifted by one after the point position.
    const integerDigits = length + e;
    const start = pos;
    pos = writeInteger(n, out, pos + 1);
    for (let i = start; i < start + integerDigits; i++) out[i] = out[i + 1] as number;
    out[start + integerDigits] = 0x2e;
    return pos;
  }
  out[pos++] = 0x30;
  out[pos++] = 0x2e;
  for (let k = 0; k < -leading - 1; k++) out[pos++] = 0x30;
  return writeInteger(n, out, pos);
}

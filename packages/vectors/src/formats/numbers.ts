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

/** Returned by {@link parseNumber} for a token that is not a number at all. */
export const NOT_A_NUMBER_TOKEN = Symbol('not a number');

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
 * already a float32, e.g. read from a Float32Array). Uses JavaScript's shortest round-trip
 * formatting of the double nearest that decimal, so the output is plain (`0.1`, `-2.5e-7`, `100`).
 */
export function formatFloat32(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // Round-tripping is monotone in the number of significant digits: binary search in [1, 9]
  // (9 digits always suffice for float32).
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(value.toPrecision(mid))) === value) hi = mid;
    else lo = mid + 1;
  }
  return String(Number(value.toPrecision(lo)));
}

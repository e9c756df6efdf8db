/**
 * Decoding words from raw bytes. The C tool writes words as raw bytes and truncates them at a
 * fixed byte length, which can cut a multi-byte UTF-8 character in half, so pretrained binary
 * files (GoogleNews among them) hold words that are not valid UTF-8. The `unicodeErrors` policy
 * says what to do with them, as Python's `errors=` argument does in gensim.
 */

/** What to do with bytes that are not valid UTF-8: throw, replace with U+FFFD, or drop them. */
export type UnicodeErrorPolicy = 'strict' | 'replace' | 'ignore';

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const replacingDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Result of {@link decodeWord}: the label, and whether invalid bytes were replaced or dropped. */
export interface DecodedWord {
  word: string;
  lossy: boolean;
}

/**
 * Decodes `bytes[start, end)` into `out` (reused across calls: no object per word). Returns false
 * when the bytes are not valid UTF-8 under the `'strict'` policy (the caller throws with the file
 * position).
 */
export function decodeWord(
  bytes: Uint8Array,
  start: number,
  end: number,
  policy: UnicodeErrorPolicy,
  out: DecodedWord,
): boolean {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((bytes[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  out.lossy = false;
  if (ascii) {
    // Latin-1 decoding of ASCII bytes is the identity, and much cheaper than TextDecoder.
    out.word = latin1(bytes, start, end);
    return true;
  }
  const view = bytes.subarray(start, end);
  try {
    out.word = fatalDecoder.decode(view);
    return true;
  } catch {
    if (policy === 'strict') return false;
    out.lossy = true;
    out.word = policy === 'replace' ? replacingDecoder.decode(view) : fatalDecoder.decode(dropInvalid(view));
    return true;
  }
}

/** Bytes in [start, end) as a Latin-1 string (used for ASCII and for number tokens). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  // Buffer's native slice is far cheaper than building the string a character at a time.
  if (bytes instanceof Buffer) return bytes.toString('latin1', start, end);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** Copies the well-formed UTF-8 sequences of `bytes`, skipping every byte that starts none. */
function dropInvalid(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      i++;
      continue;
    }
    for (let k = 0; k < length; k++) out[n++] = bytes[i + k] as number;
    i += length;
  }
  return out.subarray(0, n);
}

/** Length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), 0 if none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const b0 = b[i] as number;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const v = b[i + k];
    return v !== undefined && v >= lo && v <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

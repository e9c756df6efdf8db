/**
 * embedkit's subword model file: everything a `SubwordEmbeddings` needs, read back identically
 * (words, the whole input matrix — word rows and n-gram rows — and the n-gram settings).
 *
 * Layout, little-endian, every field 4-byte aligned so the matrix can be read in place:
 * ```
 * 0   uint32 magic 0x54464B45 (the bytes "EKFT")
 * 4   uint32 version (1)
 * 8   uint32 dim, wordCount, minN, maxN, buckets, reserved (0)
 * 32  uint64 byte length of the word block
 * 40  word block: wordCount × (uint32 UTF-8 byte length, the bytes), zero-padded to 4 bytes
 *     matrix: (wordCount + buckets) × dim float32, row-major: word rows then n-gram rows
 * ```
 * The file ends right after the matrix; any other size is an error naming the offset.
 * Written under a temporary name in the same folder, renamed at the end.
 */
import { open } from 'node:fs/promises';
import { subwordError } from './errors';
import { FileReader, float32LittleEndianBytes } from './file-reader';
import { resolveSubwordSettings } from './settings';
import type { SubwordSettings } from './settings';
import { writeAtomically, writeInSlices } from '../atomic-write';

/** The first uint32 of an embedkit subword model ("EKFT"). */
export const SUBWORD_MODEL_MAGIC = 0x54464b45;
/** The format version written. */
export const SUBWORD_MODEL_VERSION = 1;

const HEADER_BYTES = 40;

/** The contents of a subword model file. */
export interface SubwordModelParts {
  words: readonly string[];
  dim: number;
  /** `(words.length + settings.buckets) × dim`, row-major. */
  input: Float32Array;
  settings: SubwordSettings;
}

/** Writes `parts` to `path` through a temporary file renamed at the end. */
export async function writeSubwordModel(path: string, parts: SubwordModelParts): Promise<void> {
  const { words, dim, input, settings } = parts;
  const encoder = new TextEncoder();
  const encoded = words.map((word) => encoder.encode(word));
  let blockBytes = 0;
  for (const bytes of encoded) blockBytes += 4 + bytes.length;
  const paddedBlockBytes = (blockBytes + 3) & ~3;
  const head = Buffer.alloc(HEADER_BYTES + paddedBlockBytes);
  head.writeUInt32LE(SUBWORD_MODEL_MAGIC, 0);
  head.writeUInt32LE(SUBWORD_MODEL_VERSION, 4);
  head.writeUInt32LE(dim, 8);
  head.writeUInt32LE(words.length, 12);
  head.writeUInt32LE(settings.minN, 16);
  head.writeUInt32LE(settings.maxN, 20);
  head.writeUInt32LE(settings.buckets, 24);
  head.writeUInt32LE(0, 28);
  head.writeBigUInt64LE(BigInt(paddedBlockBytes), 32);
  let pos = HEADER_BYTES;
  for (const bytes of encoded) {
    head.writeUInt32LE(bytes.length, pos);
    head.set(bytes, pos + 4);
    pos += 4 + bytes.length;
  }
  await writeAtomically(path, async (temporary) => {
    const handle = await open(temporary, 'w');
    try {
      await handle.write(head, 0, head.length);
      await writeInSlices(handle, float32LittleEndianBytes(input));
    } finally {
      await handle.close();
    }
  });
}

/**
 * Reads a file written by {@link writeSubwordModel}.
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT`, `UNSUPPORTED_VERSION`,
 *   `TRUNCATED_FILE`, `CORRUPT_MODEL` (naming byte offsets).
 */
export async function readSubwordModel(path: string): Promise<SubwordModelParts> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('readSubwordModel: path must be a non-empty string');
  const reader = await FileReader.open(path);
  try {
    const corrupt = (at: number, message: string): Error =>
      subwordError('CORRUPT_MODEL', `${path}: ${message} (byte ${at}); the file is damaged`);
    if (reader.size < HEADER_BYTES) {
      if (reader.size >= 4 && (await reader.uint32('the magic number')) === SUBWORD_MODEL_MAGIC) {
        throw subwordError('TRUNCATED_FILE', `${path}: the file ends at byte ${reader.size} inside the ${HEADER_BYTES}-byte header`);
      }
      throw subwordError('UNKNOWN_FORMAT', `${path} (${reader.size} bytes) is not an embedkit subword model`);
    }
    const magic = await reader.uint32('the magic number');
    if (magic !== SUBWORD_MODEL_MAGIC) {
      throw subwordError('UNKNOWN_FORMAT', `${path} is not an embedkit subword model (it does not start with "EKFT")`);
    }
    const version = await reader.uint32('the version');
    if (version !== SUBWORD_MODEL_VERSION) {
      throw subwordError(
        'UNSUPPORTED_VERSION',
        `${path}: subword model format version ${version} (byte 4) is not supported (this code reads version ${SUBWORD_MODEL_VERSION}); upgrade embedkit`,
      );
    }
    const dim = await reader.uint32('dim');
    const wordCount = await reader.uint32('the word count');
    const minN = await reader.uint32('minN');
    const maxN = await reader.uint32('maxN');
    const buckets = await reader.uint32('buckets');
    await reader.uint32('the reserved field');
    if (dim === 0) throw corrupt(8, 'dim is 0');
    let settings: SubwordSettings;
    try {
      settings = resolveSubwordSettings({ minN, maxN, buckets });
    } catch (error) {
      throw corrupt(16, `invalid n-gram settings: ${(error as Error).message}`);
    }
    const blockBytes = await reader.int64('the word block length');
    const matrixBytes = (wordCount + buckets) * dim * 4;
    const expected = HEADER_BYTES + blockBytes + matrixBytes;
    if (blockBytes % 4 !== 0 || blockBytes < wordCount * 4) {
      throw corrupt(32, `word block length ${blockBytes} is impossible for ${wordCount} words`);
    }
    if (reader.size < expected) {
      throw subwordError(
        'TRUNCATED_FILE',
        `${path}: ${wordCount} words + ${buckets} buckets × dim ${dim} need ${expected} bytes, but the file ends ` +
          `at byte ${reader.size}; it is truncated`,
      );
    }
    if (reader.size > expected) {
      throw corrupt(expected, `${reader.size - expected} unexpected bytes after the matrix`);
    }
    const block = await reader.bytes(blockBytes, 'the word block');
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const words: string[] = new Array(wordCount);
    let pos = 0;
    for (let w = 0; w < wordCount; w++) {
      if (pos + 4 > blockBytes) throw corrupt(HEADER_BYTES + pos, `word ${w} runs past the word block`);
      const length = view.getUint32(pos, true);
      if (pos + 4 + length > blockBytes) throw corrupt(HEADER_BYTES + pos, `word ${w} (${length} bytes) runs past the word block`);
      try {
        words[w] = decoder.decode(block.subarray(pos + 4, pos + 4 + length));
      } catch (error) {
        throw subwordError('INVALID_UTF8', `${path}: word ${w} at byte ${HEADER_BYTES + pos + 4} is not valid UTF-8`, error);
      }
      pos += 4 + length;
    }
    for (let i = pos; i < blockBytes; i++) {
      if (block[i] !== 0) throw corrupt(HEADER_BYTES + i, 'non-zero padding after the last word');
    }
    const input = new Float32Array((wordCount + buckets) * dim);
    await reader.float32Array(input, 'the input matrix');
    return { words, dim, input, settings };
  } finally {
    await reader.close();
  }
}

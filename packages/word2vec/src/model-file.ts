/**
 * embedkit's word2vec model file: everything needed to continue training (both matrices, the
 * vocabulary with its counts, the settings that must match), read back identically.
 *
 * Layout, little-endian, every field 4-byte aligned so the matrices can be read in place:
 * ```
 * 0   uint32 magic 0x4D324B45 (the bytes "EK2M")
 * 4   uint32 version (1)
 * 8   uint64 byte length L of the header (a multiple of 4)
 * 16  header: UTF-8 JSON, padded with spaces to L bytes:
 *     { model, dim, settings, epochsTrained, subwords, words, counts, rows: { wIn, wOut, wOutHs } }
 * 16+L  wIn: rows.wIn × dim float32 (vocabulary rows, then n-gram rows with subwords)
 *       wOut: rows.wOut × dim float32 (negative sampling's output vectors; 0 rows without)
 *       wOutHs: rows.wOutHs × dim float32 (hierarchical softmax's inner nodes; 0 rows without)
 * ```
 * The file ends right after the last matrix; any other size is an error. The Huffman tree is not
 * stored: it is rebuilt from the counts, which gives the same tree and so the same inner nodes.
 * Written under a temporary name in the same folder and renamed at the end.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { EmbedkitError } from '@embedkit/errors';
import { Vocabulary } from '@embedkit/tokenizer';
import { pickleProtocol, resolveSubwordSettings, writeAtomically, writeInSlices } from '@embedkit/vectors';
import type { SubwordSettings } from '@embedkit/vectors';
import type { Word2VecErrorCode } from './errors';
import type { Word2VecSettings, Word2VecState } from './types';

/** The first uint32 of an embedkit word2vec model file (the bytes "EK2M"). */
export const WORD2VEC_MODEL_MAGIC = 0x4d324b45;
/** The format version written and read. */
export const WORD2VEC_MODEL_VERSION = 1;

const PREFIX_BYTES = 16;
/** Largest header accepted (words and counts of ~30M words); guards against a corrupt length. */
const MAX_HEADER_BYTES = 2 ** 31;

interface Header {
  model: Word2VecState['model'];
  dim: number;
  settings: Word2VecSettings | null;
  epochsTrained: number;
  subwords: SubwordSettings | null;
  words: string[];
  counts: number[];
  /** Rows of each matrix; null for an output layer the model does not have. */
  rows: { wIn: number; wOut: number | null; wOutHs: number | null };
}

function modelError(code: Word2VecErrorCode, message: string, cause?: unknown): EmbedkitError<Word2VecErrorCode> {
  return new EmbedkitError<Word2VecErrorCode>(code, message, cause === undefined ? {} : { cause });
}

function bytesOf(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Writes `state` (a training result's `state`, or one loaded by {@link loadWord2VecModel}) to
 * `path`, through a temporary file renamed at the end: an existing file survives a failure.
 *
 * @example
 * ```ts
 * const first = await trainWord2Vec(corpus, { epochs: 2 });
 * await saveWord2VecModel('model.ek2m', first.state);
 * const state = await loadWord2VecModel('model.ek2m');
 * const more = await trainWord2Vec(Corpus.fromSentences(next, { vocabulary: state.vocabulary }), { resumeFrom: state, epochs: 2 });
 * ```
 */
export async function saveWord2VecModel(path: string, state: Word2VecState): Promise<void> {
  const { vocabulary, dim } = state;
  const empty = new Float32Array(0);
  const wOut = state.wOut ?? empty;
  const wOutHs = state.wOutHs ?? empty;
  if (state.wOut === null && state.wOutHs === null) throw new TypeError('saveWord2VecModel: the state has no output matrix (wOut and wOutHs are both null)');
  const header: Header = {
    model: state.model,
    dim,
    settings: state.settings ?? null,
    epochsTrained: state.epochsTrained,
    subwords: state.subwords ?? null,
    words: [...vocabulary.words],
    counts: Array.from(vocabulary.counts),
    rows: {
      wIn: state.wIn.length / dim,
      wOut: state.wOut === null ? null : wOut.length / dim,
      wOutHs: state.wOutHs === null ? null : wOutHs.length / dim,
    },
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerBytes = Math.ceil(json.length / 4) * 4;
  const head = Buffer.alloc(PREFIX_BYTES + headerBytes, 0x20);
  head.writeUInt32LE(WORD2VEC_MODEL_MAGIC, 0);
  head.writeUInt32LE(WORD2VEC_MODEL_VERSION, 4);
  head.writeBigUInt64LE(BigInt(headerBytes), 8);
  json.copy(head, PREFIX_BYTES);
  await writeAtomically(path, async (temporary) => {
    const handle = await open(temporary, 'w');
    try {
      await handle.write(head, 0, head.length);
      for (const matrix of [state.wIn, wOut, wOutHs]) await writeInSlices(handle, bytesOf(matrix));
    } finally {
      await handle.close();
    }
  });
}

/** Reads exactly `bytes.length` bytes at `position`, or throws CORRUPT_MODEL naming what was cut. */
async function readFully(handle: FileHandle, bytes: Uint8Array, position: number, path: string, what: string): Promise<void> {
  const SLICE = 1 << 26;
  for (let done = 0; done < bytes.length; ) {
    const { bytesRead } = await handle.read(bytes, done, Math.min(SLICE, bytes.length - done), position + done);
    if (bytesRead === 0) {
      throw modelError('CORRUPT_MODEL', `${path}: the file ends at byte ${position + done} inside ${what}; it is truncated`);
    }
    done += bytesRead;
  }
}

/**
 * Reads a file written by {@link saveWord2VecModel}: the state to pass as `resumeFrom`, its
 * vocabulary (encode the new corpus with it) and its settings.
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT` (not a model file; a Python pickle
 *   such as a gensim `.model` is named as such), `UNSUPPORTED_VERSION`, `CORRUPT_MODEL`.
 */
export async function loadWord2VecModel(path: string): Promise<Word2VecState> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('loadWord2VecModel: path must be a non-empty string');
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw modelError('FILE_NOT_FOUND', `Model file ${path} does not exist; check the path`, error);
    if (code === 'EISDIR') throw modelError('FILE_NOT_FOUND', `${path} is a directory; expected a model file`, error);
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    if (size === 0 || (await handle.stat()).isDirectory()) {
      throw modelError('UNKNOWN_FORMAT', `${path} is ${size === 0 ? 'empty' : 'a directory'}; expected an embedkit word2vec model file`);
    }
    const prefix = Buffer.alloc(Math.min(size, PREFIX_BYTES));
    await readFully(handle, prefix, 0, path, 'the file prefix');
    if (pickleProtocol(prefix) !== undefined) {
      throw modelError(
        'UNKNOWN_FORMAT',
        `${path} is a Python pickle (probably a gensim .model file), not an embedkit word2vec model; ` +
          'a gensim model cannot be continued here: train with embedkit and save the model it writes',
      );
    }
    if (prefix.length < 4 || prefix.readUInt32LE(0) !== WORD2VEC_MODEL_MAGIC) {
      throw modelError(
        'UNKNOWN_FORMAT',
        `${path} is not an embedkit word2vec model (those start with "EK2M"); a file of vectors alone cannot be continued, it lacks the output weights`,
      );
    }
    if (prefix.length < PREFIX_BYTES) throw modelError('CORRUPT_MODEL', `${path}: the file ends at byte ${size} inside the ${PREFIX_BYTES}-byte prefix; it is truncated`);
    const version = prefix.readUInt32LE(4);
    if (version !== WORD2VEC_MODEL_VERSION) {
      throw modelError(
        'UNSUPPORTED_VERSION',
        `${path}: word2vec model format version ${version} is not supported (this embedkit reads version ${WORD2VEC_MODEL_VERSION}); upgrade embedkit`,
      );
    }
    const headerBytes = Number(prefix.readBigUInt64LE(8));
    if (headerBytes % 4 !== 0 || headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes > size) {
      throw modelError('CORRUPT_MODEL', `${path}: header length ${headerBytes} (byte 8) is impossible for a file of ${size} bytes; the file is damaged`);
    }
    const json = Buffer.alloc(headerBytes);
    await readFully(handle, json, PREFIX_BYTES, path, 'the header');
    const header = parseHeader(json, path);
    const { dim, rows } = header;
    const outRows = rows.wOut ?? 0;
    const hsRows = rows.wOutHs ?? 0;
    const expected = PREFIX_BYTES + headerBytes + (rows.wIn + outRows + hsRows) * dim * 4;
    if (size !== expected) {
      throw modelError(
        'CORRUPT_MODEL',
        `${path}: the header announces ${rows.wIn} + ${outRows} + ${hsRows} rows × dim ${dim} (${expected} bytes in all), ` +
          `but the file has ${size} bytes; it is ${size < expected ? 'truncated' : 'damaged'}`,
      );
    }
    let position = PREFIX_BYTES + headerBytes;
    const matrix = async (count: number, what: string): Promise<Float32Array> => {
      const data = new Float32Array(count * dim);
      await readFully(handle, bytesOf(data), position, path, what);
      position += data.byteLength;
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i]!)) throw modelError('CORRUPT_MODEL', `${path}: ${what} holds ${data[i]} at value ${i}; the file is damaged`);
      }
      return data;
    };
    const wIn = await matrix(rows.wIn, 'the input matrix');
    const wOut = await matrix(outRows, 'the output matrix');
    const wOutHs = await matrix(hsRows, 'the hierarchical-softmax matrix');
    let vocabulary: Vocabulary;
    try {
      vocabulary = new Vocabulary(header.words, Float64Array.from(header.counts));
    } catch (error) {
      throw modelError('CORRUPT_MODEL', `${path}: the vocabulary is invalid (${(error as Error).message}); the file is damaged`, error);
    }
    return {
      vocabulary,
      dim,
      model: header.model,
      wIn,
      wOut: rows.wOut === null ? null : wOut,
      wOutHs: rows.wOutHs === null ? null : wOutHs,
      epochsTrained: header.epochsTrained,
      subwords: header.subwords,
      ...(header.settings === null ? {} : { settings: header.settings }),
    };
  } finally {
    await handle.close();
  }
}

/** Parses and checks the JSON header against itself (row counts, vocabulary size, settings). */
function parseHeader(json: Buffer, path: string): Header {
  const damaged = (what: string): EmbedkitError<Word2VecErrorCode> => modelError('CORRUPT_MODEL', `${path}: ${what}; the file is damaged`);
  let header: Header;
  try {
    header = JSON.parse(json.toString('utf8')) as Header;
  } catch (error) {
    throw modelError('CORRUPT_MODEL', `${path}: the header is not valid JSON (${(error as Error).message}); the file is damaged`, error);
  }
  const count = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;
  if (header === null || typeof header !== 'object') throw damaged('the header is not an object');
  if (header.model !== 'cbow' && header.model !== 'skipgram') throw damaged(`unknown model ${JSON.stringify(header.model)}`);
  if (!count(header.dim) || header.dim === 0) throw damaged(`dim ${JSON.stringify(header.dim)} is not a positive integer`);
  if (!Array.isArray(header.words) || !Array.isArray(header.counts) || header.words.length !== header.counts.length) {
    throw damaged('the words and counts of the vocabulary do not match');
  }
  const v = header.words.length;
  const rows = header.rows;
  const optional = (value: unknown): boolean => value === null || count(value);
  if (rows === null || typeof rows !== 'object' || !count(rows.wIn) || !optional(rows.wOut) || !optional(rows.wOutHs) || (rows.wOut === null && rows.wOutHs === null)) {
    throw damaged('the row counts are missing');
  }
  let subwords: SubwordSettings | null = null;
  if (header.subwords !== null) {
    try {
      subwords = resolveSubwordSettings(header.subwords);
    } catch (error) {
      throw damaged(`invalid subword settings (${(error as Error).message})`);
    }
  }
  const inRows = v + (subwords?.buckets ?? 0);
  if (rows.wIn !== inRows || (rows.wOut !== null && rows.wOut !== v) || (rows.wOutHs !== null && rows.wOutHs !== Math.max(0, v - 1))) {
    throw damaged(`the rows (${rows.wIn}, ${rows.wOut}, ${rows.wOutHs}) do not fit a vocabulary of ${v} words${subwords ? ` and ${subwords.buckets} buckets` : ''}`);
  }
  if (!count(header.epochsTrained)) throw damaged('epochsTrained is not a count');
  return { ...header, subwords };
}

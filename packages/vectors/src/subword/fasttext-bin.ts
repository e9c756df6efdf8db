/**
 * Reader of fastText's own `.bin` models (non-quantized), so pretrained fastText models can be
 * queried here: `cc.en.300.bin`, or anything `fasttext skipgram|cbow|supervised` writes.
 *
 * Layout (little-endian; fastText 0.9.x, format version 12; version 11 is read alike):
 * ```
 * int32 magic 793712314, int32 version
 * args:  int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
 *        lrUpdateRate; float64 t
 * dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidxSize;
 *        size × (word bytes, 0, int64 count, int8 type 0=word 1=label);
 *        max(pruneidxSize, 0) × (int32, int32)
 * bool quant                 (1 = product-quantized input: not supported yet)
 * input matrix:  int64 rows (nwords + bucket), int64 cols (dim), rows × cols float32
 * bool qout; output matrix: int64 rows, int64 cols, rows × cols float32  (size-checked; read on request)
 * ```
 *
 * And the writer of the same format, so that models trained here load in fastText itself.
 */
import { open } from 'node:fs/promises';
import { subwordError } from './errors';
import { FileReader, float32LittleEndianBytes } from './file-reader';
import { resolveSubwordSettings } from './settings';
import type { SubwordSettings } from './settings';
import { writeAtomically, writeInSlices } from '../atomic-write';

/** The first int32 of every fastText model file. */
export const FASTTEXT_MAGIC = 793712314;
/** The newest fastText file format version this reader knows. */
export const FASTTEXT_VERSION = 12;

/** fastText's training arguments as stored in a `.bin` (its `Args::save`). */
export interface FastTextArgs {
  dim: number;
  /** Context window (`-ws`). */
  ws: number;
  epoch: number;
  minCount: number;
  /** Negatives per example (`-neg`). */
  neg: number;
  wordNgrams: number;
  loss: 'hs' | 'ns' | 'softmax' | 'ova';
  model: 'cbow' | 'skipgram' | 'supervised';
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  /** Subsampling threshold (`-t`). */
  t: number;
}

/** Everything in a fastText `.bin` that word vectors need. */
export interface FastTextBinModel {
  /** File format version (11 or 12). */
  version: number;
  args: FastTextArgs;
  /** Vocabulary words (entries of type "word"), in the model's order (descending count). */
  words: string[];
  /** Count of each word in the training data. */
  counts: Float64Array;
  /** Labels of supervised models (`__label__…`), in order; empty for skipgram / cbow. */
  labels: string[];
  /** Count of each label. */
  labelCounts: Float64Array;
  /** Tokens read during training (fastText's `ntokens`). */
  tokenCount: number;
  dim: number;
  /** Settings of the n-gram scheme, normalised (minn 0 with n-grams on reads as 1, as it acts). */
  settings: SubwordSettings;
  /** The input matrix, `(words.length + bucket) × dim` row-major. */
  input: Float32Array;
  /**
   * The output matrix (`wOut`: one row per word for negative sampling and softmax, per label
   * for supervised models, per inner tree node — words − 1 — for hierarchical softmax), row-major
   * `outputRows × dim`; only with `{ output: true }`.
   */
  output?: Float32Array;
  /** Rows of the output matrix (read from the file even when the matrix is not). */
  outputRows: number;
}

/** Options of {@link readFastTextBin}. */
export interface ReadFastTextBinOptions {
  /** Also read the output matrix (to continue training or re-save the model). Default false. */
  output?: boolean;
}

const LOSSES = ['hs', 'ns', 'softmax', 'ova'] as const;
const MODELS = ['cbow', 'skipgram', 'supervised'] as const;

/**
 * Reads a fastText `.bin` model.
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`; `UNKNOWN_FORMAT` (no fastText magic number: e.g. a
 *   word2vec binary, or a model older than fastText 0.2); `UNSUPPORTED_VERSION`; `NOT_SUPPORTED`
 *   for quantized models (`.ftz`, `fasttext quantize`) and pruned dictionaries;
 *   `TRUNCATED_FILE` / `CORRUPT_MODEL` naming the byte offset.
 */
export async function readFastTextBin(path: string, options: ReadFastTextBinOptions = {}): Promise<FastTextBinModel> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('readFastTextBin: path must be a non-empty string');
  if (options === null || typeof options !== 'object') throw new TypeError('readFastTextBin: options must be an object');
  const reader = await FileReader.open(path);
  try {
    return await readModel(reader, options.output === true);
  } finally {
    await reader.close();
  }
}

async function readModel(reader: FileReader, wantOutput: boolean): Promise<FastTextBinModel> {
  const path = reader.path;
  const corrupt = (at: number, message: string): Error =>
    subwordError('CORRUPT_MODEL', `${path}: ${message} (byte ${at}); the file is damaged or not a fastText model`);
  if (reader.size < 8) {
    throw subwordError('UNKNOWN_FORMAT', `${path} (${reader.size} bytes) is too short to be a fastText model`);
  }
  const magic = (await reader.int32('the magic number')) >>> 0;
  if (magic !== FASTTEXT_MAGIC) {
    throw subwordError(
      'UNKNOWN_FORMAT',
      `${path} is not a fastText .bin model: it starts with 0x${magic.toString(16).padStart(8, '0')}, ` +
        `not fastText's magic number ${FASTTEXT_MAGIC} (models of fastText before 0.2 have none; ` +
        're-save them with a newer fastText)',
    );
  }
  const version = await reader.int32('the format version');
  if (version !== 11 && version !== 12) {
    throw subwordError(
      'UNSUPPORTED_VERSION',
      `${path}: fastText model format version ${version} (byte 4) is not supported; versions 11 and 12 ` +
        '(fastText 0.2 – 0.9.x) are',
    );
  }

  // ── args ──
  const names = ['dim', 'ws', 'epoch', 'minCount', 'neg', 'wordNgrams', 'loss', 'model', 'bucket', 'minn', 'maxn', 'lrUpdateRate'] as const;
  const raw: Record<string, number> = {};
  for (const name of names) {
    const at = reader.offset;
    const value = await reader.int32(`the argument ${name}`);
    if (value < 0 || (name === 'dim' && value === 0)) throw corrupt(at, `argument ${name} is ${value}`);
    raw[name] = value;
  }
  const t = await reader.float64('the argument t');
  const loss = LOSSES[(raw.loss as number) - 1];
  if (loss === undefined) throw corrupt(8 + 6 * 4, `unknown loss ${raw.loss}`);
  const model = MODELS[(raw.model as number) - 1];
  if (model === undefined) throw corrupt(8 + 7 * 4, `unknown model ${raw.model}`);
  const args: FastTextArgs = {
    dim: raw.dim as number,
    ws: raw.ws as number,
    epoch: raw.epoch as number,
    minCount: raw.minCount as number,
    neg: raw.neg as number,
    wordNgrams: raw.wordNgrams as number,
    loss,
    model,
    bucket: raw.bucket as number,
    minn: raw.minn as number,
    maxn: raw.maxn as number,
    lrUpdateRate: raw.lrUpdateRate as number,
    t,
  };
  // fastText's loadModel: version-11 supervised models did not use character n-grams.
  if (version === 11 && model === 'supervised') args.maxn = 0;

  // ── dictionary ──
  const dictionaryAt = reader.offset;
  const size = await reader.int32('the dictionary size');
  const nwords = await reader.int32('the number of words');
  const nlabels = await reader.int32('the number of labels');
  if (size < 0 || nwords < 0 || nlabels < 0 || nwords + nlabels !== size) {
    throw corrupt(dictionaryAt, `dictionary sizes disagree: ${size} entries, ${nwords} words, ${nlabels} labels`);
  }
  // Each entry takes at least 10 bytes (NUL, int64 count, int8 type): refuse absurd sizes
  // before allocating for them.
  if (dictionaryAt + 28 + size * 10 > reader.size) {
    throw subwordError(
      'TRUNCATED_FILE',
      `${path}: the dictionary (byte ${dictionaryAt}) announces ${size} entries, which cannot fit in the ` +
        `${reader.size}-byte file; it is truncated or damaged`,
    );
  }
  const tokenCount = await reader.int64('the token count');
  const pruneAt = reader.offset;
  const pruneIndexSize = await reader.int64('the pruned index size');
  const decoder = new TextDecoder('utf-8');
  const words: string[] = new Array(nwords);
  const counts = new Float64Array(nwords);
  const labels: string[] = [];
  const labelCounts = new Float64Array(nlabels);
  for (let i = 0; i < size; i++) {
    const at = reader.offset;
    if (at >= reader.size) {
      throw subwordError(
        'TRUNCATED_FILE',
        `${path}: the file ends at byte ${reader.size} after ${i} of ${size} dictionary entries; it is truncated`,
      );
    }
    const bytes = await reader.cString(`dictionary entry ${i}`);
    const count = await reader.int64(`the count of dictionary entry ${i}`);
    const type = await reader.uint8(`the type of dictionary entry ${i}`);
    if (type > 1) throw corrupt(reader.offset - 1, `dictionary entry ${i} has type ${type} (0 word, 1 label expected)`);
    const word = decoder.decode(bytes);
    if (type === 0) {
      if (i >= nwords) throw corrupt(at, `dictionary entry ${i} is a word after the ${nwords} words`);
      words[i] = word;
      counts[i] = count;
    } else {
      if (i < nwords) throw corrupt(at, `dictionary entry ${i} is a label among the ${nwords} words`);
      labelCounts[labels.length] = count;
      labels.push(word);
    }
  }
  if (pruneIndexSize > 0) {
    reader.skip(pruneIndexSize * 8);
  }

  // ── input matrix ──
  const quantAt = reader.offset;
  const quant = await reader.uint8('the quantization flag');
  if (quant === 1) {
    throw subwordError(
      'NOT_SUPPORTED',
      `${path} is a quantized fastText model (made by \`fasttext quantize\`, often named .ftz); quantized ` +
        'models are not supported yet. Use the non-quantized .bin it was made from',
    );
  }
  if (quant !== 0) throw corrupt(quantAt, `the quantization flag is ${quant} (0 or 1 expected)`);
  if (pruneIndexSize >= 0) {
    // fastText itself refuses these ("Invalid model file", its issue #332).
    throw subwordError(
      'NOT_SUPPORTED',
      `${path}: a non-quantized model with a pruned dictionary (pruned index size ${pruneIndexSize}, byte ` +
        `${pruneAt}) is not supported (fastText refuses it too); download an updated model`,
    );
  }
  const shapeAt = reader.offset;
  const rows = await reader.int64('the input matrix row count');
  const cols = await reader.int64('the input matrix column count');
  if (cols !== args.dim) throw corrupt(shapeAt + 8, `the input matrix has ${cols} columns but dim is ${args.dim}`);
  if (rows !== nwords + args.bucket) {
    throw corrupt(shapeAt, `the input matrix has ${rows} rows but ${nwords} words + ${args.bucket} buckets = ${nwords + args.bucket} were expected`);
  }
  if (reader.offset + rows * cols * 4 > reader.size) {
    throw subwordError(
      'TRUNCATED_FILE',
      `${path}: the input matrix (${rows} × ${cols}, from byte ${reader.offset}) needs the file to end at byte ` +
        `${reader.offset + rows * cols * 4}, but it ends at byte ${reader.size}; the file is truncated`,
    );
  }
  const input = new Float32Array(rows * cols);
  await reader.float32Array(input, `the input matrix (${rows} × ${cols})`);

  // ── output matrix: checked to be whole, read on request ──
  const qout = await reader.uint8('the output quantization flag');
  let output: Float32Array | undefined;
  let outputRows = 0;
  if (qout === 0) {
    const outputAt = reader.offset;
    const outRows = await reader.int64('the output matrix row count');
    const outCols = await reader.int64('the output matrix column count');
    if (outRows < 0 || outCols !== args.dim) throw corrupt(outputAt, `the output matrix shape is ${outRows} × ${outCols} (dim ${args.dim})`);
    outputRows = outRows;
    const end = reader.offset + outRows * outCols * 4;
    if (end > reader.size) {
      throw subwordError(
        'TRUNCATED_FILE',
        `${path}: the output matrix (${outRows} × ${outCols}, from byte ${reader.offset}) needs the file to ` +
          `end at byte ${end}, but it ends at byte ${reader.size}; the file is truncated`,
      );
    }
    if (wantOutput) {
      output = new Float32Array(outRows * outCols);
      await reader.float32Array(output, `the output matrix (${outRows} × ${outCols})`);
    }
  } else if (qout === 1) {
    if (wantOutput) throw subwordError('NOT_SUPPORTED', `${path}: a quantized output matrix is not supported yet`);
  } else {
    throw corrupt(reader.offset - 1, `the output quantization flag is ${qout} (0 or 1 expected)`);
  }

  return {
    version,
    args,
    words,
    counts,
    labels,
    labelCounts,
    tokenCount,
    dim: args.dim,
    settings: normaliseSettings(args, path),
    input,
    ...(output === undefined ? {} : { output }),
    outputRows,
  };
}

/** fastText's n-gram settings, mapped to equivalent valid {@link SubwordSettings}. */
function normaliseSettings(args: FastTextArgs, path: string): SubwordSettings {
  const { minn, maxn, bucket } = args;
  // No n-gram is ever made when maxn is 0 or below minn.
  if (maxn === 0 || maxn < minn) return { minN: 0, maxN: 0, buckets: bucket };
  if (bucket === 0) {
    throw subwordError(
      'CORRUPT_MODEL',
      `${path}: n-grams are on (minn ${minn}, maxn ${maxn}) but bucket is 0; fastText cannot use this model either`,
    );
  }
  // minn 0 acts as 1: n counts from 1 and the lone boundary marks are skipped either way.
  const settings = { minN: Math.max(minn, 1), maxN: maxn, buckets: bucket };
  try {
    return resolveSubwordSettings(settings);
  } catch (error) {
    throw subwordError('CORRUPT_MODEL', `${path}: unusable n-gram settings (byte 44): ${(error as Error).message}`, error);
  }
}

/** What {@link writeFastTextBin} writes: fastText's `.bin` contents. */
export interface FastTextBinContents {
  /** Training arguments; `dim`, `bucket`, `minn`, `maxn` must match the matrices and the n-grams used. */
  args: FastTextArgs;
  /** Vocabulary words, in row order (fastText sorts them by descending count). */
  words: readonly string[];
  /** Count of each word. */
  counts: ArrayLike<number>;
  /** Labels (supervised models). Default none. */
  labels?: readonly string[];
  /** Count of each label. */
  labelCounts?: ArrayLike<number>;
  /** Tokens read during training (fastText's `ntokens`). */
  tokenCount: number;
  /** `(words.length + args.bucket) × args.dim`, row-major. */
  input: Float32Array;
  /** `rows × args.dim`, row-major (`wOut`). */
  output: Float32Array;
}


/**
 * Writes a fastText `.bin` (format version 12, non-quantized) that fastText 0.9.x loads: the
 * file a `fasttext skipgram|cbow` run leaves, from matrices trained anywhere. Through a temporary
 * file in the same folder, renamed at the end. Reading a fastText model with `{ output: true }`
 * and writing it back gives the same bytes.
 *
 * @throws RangeError when the matrices' sizes disagree with the words and `args`.
 * @throws EmbedkitError `INVALID_LABEL` for an empty word or one containing a NUL character
 *   (fastText ends words with NUL).
 */
export async function writeFastTextBin(path: string, contents: FastTextBinContents): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('writeFastTextBin: path must be a non-empty string');
  const { args, words, counts, input, output, tokenCount } = contents;
  const labels = contents.labels ?? [];
  const labelCounts = contents.labelCounts ?? new Float64Array(labels.length);
  const dim = args.dim;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`writeFastTextBin: args.dim must be a positive integer, got ${dim}`);
  if (counts.length !== words.length) throw new RangeError(`writeFastTextBin: ${counts.length} counts for ${words.length} words`);
  if (labelCounts.length !== labels.length) throw new RangeError(`writeFastTextBin: ${labelCounts.length} label counts for ${labels.length} labels`);
  if (input.length !== (words.length + args.bucket) * dim) {
    throw new RangeError(
      `writeFastTextBin: input has ${input.length} values but (${words.length} words + ${args.bucket} buckets) × dim ${dim} were expected`,
    );
  }
  if (output.length % dim !== 0) throw new RangeError(`writeFastTextBin: output has ${output.length} values, not a multiple of dim ${dim}`);
  const loss = LOSSES.indexOf(args.loss);
  const model = MODELS.indexOf(args.model);
  if (loss < 0) throw new RangeError(`writeFastTextBin: args.loss must be one of ${LOSSES.join(', ')}, got ${String(args.loss)}`);
  if (model < 0) throw new RangeError(`writeFastTextBin: args.model must be one of ${MODELS.join(', ')}, got ${String(args.model)}`);

  const encoder = new TextEncoder();
  const entries = [...words, ...labels].map((word, i) => {
    if (typeof word !== 'string' || word.length === 0 || word.includes('\0')) {
      throw subwordError('INVALID_LABEL', `writeFastTextBin: entry ${i} (${JSON.stringify(word)}) is empty or contains NUL; fastText cannot store it`);
    }
    return encoder.encode(word);
  });
  let dictionaryBytes = 4 * 3 + 8 * 2;
  for (const bytes of entries) dictionaryBytes += bytes.length + 1 + 8 + 1;
  const head = Buffer.alloc(8 + 12 * 4 + 8 + dictionaryBytes + 1 + 16);
  let pos = 0;
  const int32 = (v: number): void => {
    head.writeInt32LE(v, pos);
    pos += 4;
  };
  const int64 = (v: number): void => {
    head.writeBigInt64LE(BigInt(v), pos);
    pos += 8;
  };
  int32(FASTTEXT_MAGIC);
  int32(FASTTEXT_VERSION);
  for (const v of [dim, args.ws, args.epoch, args.minCount, args.neg, args.wordNgrams, loss + 1, model + 1, args.bucket, args.minn, args.maxn, args.lrUpdateRate]) int32(v);
  head.writeDoubleLE(args.t, pos);
  pos += 8;
  int32(words.length + labels.length);
  int32(words.length);
  int32(labels.length);
  int64(tokenCount);
  int64(-1); // no pruned index
  for (let i = 0; i < entries.length; i++) {
    const bytes = entries[i] as Uint8Array;
    head.set(bytes, pos);
    pos += bytes.length;
    head[pos++] = 0;
    int64(i < words.length ? (counts[i] as number) : (labelCounts[i - words.length] as number));
    head[pos++] = i < words.length ? 0 : 1;
  }
  head[pos++] = 0; // quant
  int64(words.length + args.bucket);
  int64(dim);
  const tail = Buffer.alloc(1 + 16);
  tail[0] = 0; // qout
  tail.writeBigInt64LE(BigInt(output.length / dim), 1);
  tail.writeBigInt64LE(BigInt(dim), 9);

  await writeAtomically(path, async (temporary) => {
    const handle = await open(temporary, 'w');
    try {
      await handle.write(head, 0, pos);
      await writeInSlices(handle, float32LittleEndianBytes(input));
      await handle.write(tail, 0, tail.length);
      await writeInSlices(handle, float32LittleEndianBytes(output));
    } finally {
      await handle.close();
    }
  });
}

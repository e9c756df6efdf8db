/**
 * A trained bidirectional language model as an {@link Embedder}, and its files.
 *
 * Token vectors are ELMo's equal-weight mix of its two layers: layer 0 is the context-free token
 * embedding x (duplicated to face both directions), layer 1 the forward and backward tower states,
 * so a token's vector is `[(x + h→)/2, (x + h←)/2]`, of width 2·dim. Sentence vectors are the mean
 * of the token vectors. A text is read as `</s> tokens… </s>`, as the training stream separates
 * sentences, and cut to `maxTokens` tokens.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LOCAL_PRICE } from '@embedkit/encoders';
import type { EmbedCost, Embedder, EmbeddingBatch, EmbedOptions, EmbedPrice, TokenEmbeddings } from '@embedkit/encoders';
import { Tokenizer } from '@embedkit/tokenizer';
import { writeAtomically } from '@embedkit/vectors';
import { selectBackend } from '@embedkit/word2vec-tfjs';
import type { BackendChoice } from '@embedkit/word2vec-tfjs';
import { bilmError, throwIfAborted } from './errors';
import { BilmNetwork, weightShapes } from './network';
import type { BilmShape } from './network';

/** Sentence separator (id 0) and unknown word (id 1) of every bilm vocabulary. */
export const SENTENCE_BOUNDARY = '</s>';
export const UNKNOWN_WORD = '<unk>';

/** The format name in `bilm.json`. */
export const BILM_FORMAT = 'embedkit-bilm';
const BILM_VERSION = 1;

/** How the model was trained, kept in `bilm.json` for tables and reports. */
export interface BilmTrainingReport {
  readonly steps: number;
  readonly seconds: number;
  /** CPU seconds of the training process (all threads), when measured (models saved before it was kept have none). */
  readonly cpuSeconds?: number;
  readonly tokensSeen: number;
  readonly trainingTokens: number;
  readonly finalLoss: number;
  readonly backend: string;
  readonly seed: number;
}

/** Texts per forward pass by default. */
export const BILM_BATCH_SIZE = 32;
const BILM_MAX_BATCH_SIZE = 4096;

/** Options of {@link loadContextualEncoder}. */
export interface LoadContextualEncoderOptions {
  /** TensorFlow.js backend. Default `'auto'` (tfjs-node when installed, else wasm, else cpu). */
  readonly backend?: BackendChoice;
  /** Name in tables. Default `bilm`. */
  readonly name?: string;
}

/**
 * The ELMo-style encoder. Made by `trainContextualEncoder` or {@link loadContextualEncoder}.
 *
 * @example
 * ```ts
 * const encoder = await loadContextualEncoder('./models/contextual');
 * const { tokens, vectors } = await encoder.embedTokens('We sat on the river bank.');
 * const { vectors: sentences } = await encoder.embed(['The bank raised its rates.']);
 * ```
 */
export class BilmEncoder implements Embedder {
  readonly name: string;
  readonly family = 'contextual' as const;
  /** 2 × the network's width (see the module comment). */
  readonly dimension: number;
  /** Tokens per text; longer texts are cut. */
  readonly maxTokens: number;
  readonly contextual = true;
  readonly price: EmbedPrice = LOCAL_PRICE;
  /** id → word; 0 is `</s>`, 1 is `<unk>`. */
  readonly words: readonly string[];
  /** id → training count. */
  readonly counts: Float64Array;
  /** The training run, when known. */
  readonly training: BilmTrainingReport | undefined;
  /** @internal */
  readonly network: BilmNetwork;
  private readonly ids: Map<string, number>;
  private readonly tokenizer = new Tokenizer({ lowercase: true });

  /** @internal Use `trainContextualEncoder` or {@link loadContextualEncoder}. */
  constructor(network: BilmNetwork, words: readonly string[], counts: Float64Array, training: BilmTrainingReport | undefined, name = 'bilm') {
    this.network = network;
    this.words = words;
    this.counts = counts;
    this.training = training;
    this.name = name;
    this.dimension = 2 * network.shape.dim;
    this.maxTokens = network.shape.window - 2;
    this.ids = new Map(words.map((word, id) => [word, id]));
  }

  /** The id of `word`, or 1 (`<unk>`). */
  idOf(word: string): number {
    return this.ids.get(word) ?? 1;
  }

  /** The text's tokens as the model reads them (lower-case words of @embedkit/tokenizer), cut to `maxTokens`. */
  tokenize(text: string): string[] {
    return this.tokenizer.tokenizeInto(text, []).slice(0, this.maxTokens);
  }

  /**
   * Token vectors of several tokenized texts at once (one padded forward pass per batch).
   * Returns, per text, `tokens.length × dimension` floats.
   */
  private async encodeTokenized(batch: readonly (readonly string[])[]): Promise<Float32Array[]> {
    // One forward pass per distinct length: padding would change what the backward tower sees.
    const byLength = new Map<number, number[]>();
    batch.forEach((tokens, row) => {
      const rows = byLength.get(tokens.length) ?? [];
      rows.push(row);
      byLength.set(tokens.length, rows);
    });
    const out: Float32Array[] = new Array<Float32Array>(batch.length);
    for (const [count, rows] of byLength) {
      const vectors = await this.encodeSameLength(rows.map((row) => batch[row] as readonly string[]), count);
      rows.forEach((row, i) => {
        out[row] = vectors[i] as Float32Array;
      });
    }
    return out;
  }

  /** Token vectors of texts that all have `count` tokens, read as `</s> tokens… </s>`. */
  private async encodeSameLength(batch: readonly (readonly string[])[], count: number): Promise<Float32Array[]> {
    const tf = this.network.tf;
    const width = 2 * this.network.shape.dim;
    const length = count + 2;
    const ids = new Int32Array(batch.length * length);
    batch.forEach((tokens, row) => {
      tokens.forEach((token, j) => {
        ids[row * length + 1 + j] = this.idOf(token);
      });
    });
    const rows = tf.tidy(() => {
      const { embedded, forward, backward } = this.network.run(tf.tensor1d(ids, 'int32'), batch.length, length, false);
      return tf.mul(tf.concat([tf.add(embedded, forward), tf.add(embedded, backward)], 1), 0.5);
    });
    const all = (await rows.data()) as Float32Array;
    rows.dispose();
    return batch.map((_, row) => all.slice((row * length + 1) * width, (row * length + 1 + count) * width));
  }

  async embedTokens(text: string, options?: EmbedOptions): Promise<TokenEmbeddings> {
    if (typeof text !== 'string') throw new TypeError(`${this.name}: text must be a string`);
    checkOptions(options, this.name);
    throwIfAborted(options?.signal, `${this.name}.embedTokens`);
    const words = this.tokenize(text);
    const [vectors] = await this.encodeTokenized([words]);
    // Words outside the vocabulary are read as <unk> and shown so (as BERT shows [UNK]): their
    // rows hold what the context says, not a vector of the word.
    const tokens = words.map((word) => (this.ids.has(word) ? word : UNKNOWN_WORD));
    return { tokens, vectors: vectors as Float32Array, dimension: this.dimension, missing: [] };
  }

  async embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingBatch> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new TypeError(`${this.name}: texts must be an array of strings`);
    const batchSize = checkOptions(options, this.name);
    const dim = this.dimension;
    const vectors = new Float32Array(texts.length * dim);
    const missing: number[] = [];
    let tokenCount = 0;
    for (let start = 0; start < texts.length; start += batchSize) {
      throwIfAborted(options?.signal, `${this.name}.embed`);
      const batch = texts.slice(start, start + batchSize).map((text) => this.tokenize(text));
      const encoded = await this.encodeTokenized(batch);
      batch.forEach((tokens, row) => {
        const index = start + row;
        tokenCount += tokens.length;
        if (tokens.length === 0) {
          missing.push(index);
          return;
        }
        const rows = encoded[row] as Float32Array;
        const out = index * dim;
        for (let j = 0; j < tokens.length; j++) {
          for (let k = 0; k < dim; k++) vectors[out + k] = (vectors[out + k] as number) + (rows[j * dim + k] as number);
        }
        for (let k = 0; k < dim; k++) vectors[out + k] = (vectors[out + k] as number) / tokens.length;
      });
      options?.onProgress?.({ done: Math.min(start + batchSize, texts.length), total: texts.length });
    }
    throwIfAborted(options?.signal, `${this.name}.embed`);
    return { vectors, count: texts.length, dimension: dim, missing, cost: { tokens: tokenCount, estimated: false, usd: 0 } };
  }

  estimateCost(texts: readonly string[]): EmbedCost {
    let tokens = 0;
    for (const text of texts) tokens += this.tokenize(text).length;
    return { tokens, estimated: false, usd: 0 };
  }

  /**
   * Writes `bilm.json`, `vocab.txt` and `weights.bin` (float32, little-endian, in the order of
   * `bilm.json`'s `weights`) into `directory` (created if needed), each file under a temporary
   * name first.
   */
  async save(directory: string): Promise<void> {
    const root = resolve(directory);
    await mkdir(root, { recursive: true });
    const weights = await this.network.read();
    const shapes = weightShapes(this.network.shape);
    let total = 0;
    for (const [, dims] of shapes) total += dims.reduce((a, b) => a * b, 1);
    const flat = new Float32Array(total);
    let offset = 0;
    for (const [name] of shapes) {
      const values = weights.get(name) as Float32Array;
      flat.set(values, offset);
      offset += values.length;
    }
    const vocabulary = this.words.map((word, id) => `${word} ${this.counts[id]}\n`).join('');
    await writeAtomically(join(root, 'weights.bin'), (tmp) => writeFile(tmp, new Uint8Array(flat.buffer)));
    await writeAtomically(join(root, 'vocab.txt'), (tmp) => writeFile(tmp, vocabulary));
    const manifest = { format: BILM_FORMAT, version: BILM_VERSION, shape: this.network.shape, weights: shapes.map(([name, dims]) => ({ name, shape: dims })), training: this.training ?? null };
    await writeAtomically(join(root, 'bilm.json'), (tmp) => writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`));
  }

  /** Frees the network's tensors. */
  dispose(): void {
    this.network.dispose();
  }
}

function checkOptions(options: EmbedOptions | undefined, name: string): number {
  if (options === undefined) return BILM_BATCH_SIZE;
  if (options === null || typeof options !== 'object') throw new TypeError(`${name}: options must be an object`);
  const batchSize = options.batchSize ?? BILM_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > BILM_MAX_BATCH_SIZE) {
    throw new RangeError(`${name}: batchSize must be an integer from 1 to ${BILM_MAX_BATCH_SIZE}, got ${String(batchSize)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new TypeError(`${name}: onProgress must be a function`);
  return batchSize;
}

/** True when `directory` holds a saved bilm (its `bilm.json`). */
export async function isContextualEncoderDirectory(directory: string): Promise<boolean> {
  try {
    return (await stat(join(resolve(directory), 'bilm.json'))).isFile();
  } catch {
    return false;
  }
}

/** A saved model's files, read and checked. */
interface SavedBilm {
  readonly shape: BilmShape;
  readonly training: BilmTrainingReport | undefined;
  readonly words: string[];
  readonly counts: Float64Array;
  readonly weights: Map<string, Float32Array>;
}

/** What is wrong with a saved model: a file that cannot be read (`missing`), or a damaged one. */
interface SavedBilmFault {
  readonly fault: string;
  readonly missing: boolean;
  readonly cause?: unknown;
}

/** Reads and checks the files of a saved model; the fault says what is wrong, not how to fix it. */
async function readSavedBilm(root: string): Promise<SavedBilm | SavedBilmFault> {
  const files = new Map<string, Buffer>();
  for (const file of ['bilm.json', 'vocab.txt', 'weights.bin']) {
    try {
      files.set(file, await readFile(join(root, file)));
    } catch (error) {
      return { fault: `cannot read ${join(root, file)} (${(error as Error).message})`, missing: true, cause: error };
    }
  }
  const damaged = (fault: string): SavedBilmFault => ({ fault, missing: false });
  let manifest: { format?: unknown; version?: unknown; shape?: BilmShape; training?: BilmTrainingReport | null };
  try {
    manifest = JSON.parse((files.get('bilm.json') as Buffer).toString('utf8')) as typeof manifest;
  } catch {
    return damaged('bilm.json is not valid JSON');
  }
  if (manifest.format !== BILM_FORMAT) return damaged(`bilm.json's format is ${JSON.stringify(manifest.format)}, not ${BILM_FORMAT}`);
  if (manifest.version !== BILM_VERSION) return damaged(`bilm.json's version ${String(manifest.version)} is not ${BILM_VERSION}`);
  const shape = manifest.shape;
  const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (shape === undefined || !positive(shape.vocabularySize) || !positive(shape.dim) || !positive(shape.ffnDim) || !positive(shape.window) || shape.window < 3) {
    return damaged('bilm.json has no valid shape');
  }
  const lines = (files.get('vocab.txt') as Buffer).toString('utf8').split('\n').filter((line) => line.length > 0);
  if (lines.length !== shape.vocabularySize) return damaged(`vocab.txt has ${lines.length} words, bilm.json says ${shape.vocabularySize}`);
  const words: string[] = [];
  const counts = new Float64Array(lines.length);
  lines.forEach((line, id) => {
    const space = line.lastIndexOf(' ');
    words.push(line.slice(0, space));
    counts[id] = Number(line.slice(space + 1));
  });
  if (words[0] !== SENTENCE_BOUNDARY || words[1] !== UNKNOWN_WORD) return damaged(`vocab.txt must start with ${SENTENCE_BOUNDARY} and ${UNKNOWN_WORD}`);
  const bytes = files.get('weights.bin') as Buffer;
  const shapes = weightShapes(shape);
  let total = 0;
  for (const [, dims] of shapes) total += dims.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== total * 4) return damaged(`weights.bin has ${bytes.byteLength} bytes, the shape needs ${total * 4}`);
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (!flat.every(Number.isFinite)) return damaged('weights.bin holds NaN or infinite values');
  const weights = new Map<string, Float32Array>();
  let offset = 0;
  for (const [name, dims] of shapes) {
    const size = dims.reduce((a, b) => a * b, 1);
    weights.set(name, flat.subarray(offset, offset + size));
    offset += size;
  }
  return { shape, training: manifest.training ?? undefined, words, counts, weights };
}

/**
 * What is wrong with the model saved in `directory` (a file missing or damaged), without the fix,
 * for callers that say the fix in their own words (a CLI's flags); null when it would load.
 */
export async function contextualEncoderFault(directory: string): Promise<string | null> {
  const saved = await readSavedBilm(resolve(directory));
  return 'fault' in saved ? saved.fault : null;
}

/**
 * Loads a model saved by {@link BilmEncoder.save} (e.g. by `trainContextualEncoder` with `output`).
 *
 * @throws EmbedkitError `MODEL_NOT_FOUND` (no directory or a missing file), `INVALID_MODEL`
 * (another format, a damaged or truncated file).
 */
export async function loadContextualEncoder(directory: string, options: LoadContextualEncoderOptions = {}): Promise<BilmEncoder> {
  if (typeof directory !== 'string' || directory.length === 0) throw new TypeError('loadContextualEncoder: directory must be a non-empty path');
  const root = resolve(directory);
  const saved = await readSavedBilm(root);
  if ('fault' in saved) {
    if (saved.missing) {
      throw bilmError('MODEL_NOT_FOUND', `Cannot use ${root}: ${saved.fault}. Train a model first: trainContextualEncoder(sentences, { output: '${directory}' }), or \`embedkit main\`.`, saved.cause);
    }
    throw bilmError('INVALID_MODEL', `${root} is not a usable bilm model: ${saved.fault}. Train it again (trainContextualEncoder with output).`);
  }
  const { tf } = await selectBackend(options.backend ?? 'auto');
  return new BilmEncoder(new BilmNetwork(tf, saved.shape, saved.weights), saved.words, saved.counts, saved.training, options.name);
}

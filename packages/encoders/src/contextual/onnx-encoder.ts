/**
 * A BERT-family encoder (BERT, MiniLM, DistilBERT, RoBERTa, … exported to ONNX) run from a local
 * directory on the CPU with onnxruntime-node: nothing is downloaded, ever.
 *
 * The directory is what the Hugging Face exporters write: `model.onnx` (or `onnx/model.onnx`),
 * `tokenizer.json`, and optionally `tokenizer_config.json` and `config.json`. Texts are cut into
 * word pieces by @huggingface/tokenizers (the pure-JS reading of `tokenizer.json`), padded per
 * batch, and the model's last hidden state gives one vector per word piece in context;
 * sentence vectors are its mean over the real tokens (the attention mask), as
 * sentence-transformers pools.
 *
 * onnxruntime-node is an optional peer dependency (its npm package is ~300 MB with the binaries
 * of every platform): it is imported on first use, with a clear error when it is missing.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { LOCAL_PRICE } from '../embedder';
import type { EmbedCost, Embedder, EmbeddingBatch, EmbedOptions, EmbedPrice, TokenEmbeddings } from '../embedder';
import { encodersError } from '../errors';
import { checkTexts, resolveEmbedOptions, throwIfAborted } from '../options';

/** Texts per `session.run` by default. */
export const ONNX_BATCH_SIZE = 32;
const ONNX_MAX_BATCH_SIZE = 4096;

/** Longest input when neither tokenizer_config.json nor config.json say (BERT's 512). */
export const DEFAULT_MAX_TOKENS = 512;

/** Where {@link loadOnnxEncoder} looks for the model file in a model directory, in order. */
export const ONNX_MODEL_FILES = ['model.onnx', 'onnx/model.onnx', 'model_quantized.onnx', 'onnx/model_quantized.onnx'] as const;

/** The hidden-state output read by default (the name Hugging Face's exporters give it). */
export const ONNX_TOKEN_OUTPUT = 'last_hidden_state';

/** The inputs a BERT-family export may declare; anything else is refused with its name. */
const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

/** Options of {@link loadOnnxEncoder}. */
export interface OnnxEncoderOptions {
  /** Name in tables. Default: the directory's last segment, e.g. `all-MiniLM-L6-v2`. */
  readonly name?: string;
  /** The model file, relative to the directory or absolute. Default: the first of `model.onnx`, `onnx/model.onnx`, `model_quantized.onnx`, `onnx/model_quantized.onnx`. */
  readonly modelFile?: string;
  /** Longest input in word pieces, special tokens included. Default: tokenizer_config.json's `model_max_length`, else config.json's `max_position_embeddings` (less RoBERTa's offset of 2), else 512. */
  readonly maxTokens?: number;
  /** Scale each sentence vector to unit length (what sentence-transformers' `Normalize` layer does). Default false. */
  readonly normalize?: boolean;
  /** CPU threads of onnxruntime within one operator. Default: onnxruntime's own (all physical cores). */
  readonly threads?: number;
  /** The model output to read. Default `last_hidden_state`, else the only 3-D output. */
  readonly outputName?: string;
}

/** The part of onnxruntime-node's API this file uses (kept local so our types do not need it). */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly { readonly name: string; readonly isTensor: boolean; readonly type?: string; readonly shape?: readonly (number | string)[] }[];
  readonly outputMetadata?: readonly { readonly name: string; readonly isTensor: boolean; readonly shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: string, data: BigInt64Array | Int32Array, dims: readonly number[]) => OrtTensor;
}

async function importOnnxRuntime(): Promise<OrtModule> {
  // A computed specifier: the bundler leaves it alone and the package stays optional.
  const specifier = 'onnxruntime-node';
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as OrtModule & { default?: OrtModule };
    return typeof mod.InferenceSession === 'function' || typeof mod.InferenceSession === 'object' ? mod : (mod.default as OrtModule);
  } catch (error) {
    throw encodersError(
      'RUNTIME_UNAVAILABLE',
      'Running an ONNX model needs onnxruntime-node, which is not installed. Add it with `npm install onnxruntime-node` ' +
        '(its CPU runtime ships inside the npm package; its install step may try to fetch CUDA files: set ONNXRUNTIME_NODE_INSTALL=skip offline).',
      error,
    );
  }
}

async function readJson(path: string, required: boolean): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw encodersError('MODEL_NOT_FOUND', `Cannot read ${path}: ${(error as Error).message}. A model directory needs tokenizer.json beside the .onnx file.`, error);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw encodersError('INVALID_MODEL', `${path} is not valid JSON (${(error as Error).message}); re-export it or copy it again from the model's files.`, error);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The files {@link loadOnnxEncoder} needs in a model directory, as found there (nothing is read). */
export interface OnnxModelFiles {
  /** The directory, resolved. */
  readonly directory: string;
  /** False when the path does not exist or is not a directory (the files are then null). */
  readonly isDirectory: boolean;
  /** The model file: `modelFile` when given, else the first of {@link ONNX_MODEL_FILES}; null when it is not there. */
  readonly model: string | null;
  /** `tokenizer.json`, or null when the directory has none. */
  readonly tokenizer: string | null;
}

/**
 * Finds the files of a model directory the way {@link loadOnnxEncoder} does, without loading
 * anything: for callers that explain a missing file in their own words (a CLI's flags).
 */
export async function findOnnxModelFiles(directory: string, modelFile?: string): Promise<OnnxModelFiles> {
  const root = resolve(directory);
  let isDirectory = false;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch {
    // not there: isDirectory stays false
  }
  if (!isDirectory) return { directory: root, isDirectory, model: null, tokenizer: null };
  let model: string | null = null;
  for (const candidate of modelFile === undefined ? ONNX_MODEL_FILES : [modelFile]) {
    if (await isFile(resolve(root, candidate))) {
      model = resolve(root, candidate);
      break;
    }
  }
  const tokenizer = join(root, 'tokenizer.json');
  return { directory: root, isDirectory, model, tokenizer: (await isFile(tokenizer)) ? tokenizer : null };
}

/** The usable input length from the two config files (see {@link OnnxEncoderOptions.maxTokens}). */
function configuredMaxTokens(tokenizerConfig: Record<string, unknown> | undefined, config: Record<string, unknown> | undefined): number {
  const fromTokenizer = tokenizerConfig?.model_max_length;
  // Hugging Face writes a huge sentinel (1e30) when the length is not known.
  if (typeof fromTokenizer === 'number' && Number.isInteger(fromTokenizer) && fromTokenizer > 0 && fromTokenizer < 1e6) return fromTokenizer;
  const positions = config?.max_position_embeddings;
  if (typeof positions === 'number' && Number.isInteger(positions) && positions > 0) {
    // RoBERTa-like models number positions from padding_idx + 1 = 2: two fewer usable.
    const type = typeof config?.model_type === 'string' ? config.model_type : '';
    const offset = /roberta|camembert|longformer/u.test(type) ? 2 : 0;
    return positions - offset;
  }
  return DEFAULT_MAX_TOKENS;
}

/** Word pieces of one text after truncation, ready to batch. */
interface EncodedText {
  readonly ids: readonly number[];
  readonly typeIds: readonly number[];
  readonly tokens: readonly string[];
  /** Per position: true for tokens the post-processor added ([CLS], [SEP], <s>, </s>). */
  readonly special: readonly boolean[];
}

/**
 * A BERT-family ONNX model as an {@link Embedder}. Made by {@link loadOnnxEncoder}.
 *
 * `embed` mean-pools the last hidden state over every real position (special tokens included, as
 * sentence-transformers does); `embedTokens` returns the word pieces of the text itself (special
 * tokens left out) with their vectors in context.
 */
export class OnnxEncoder implements Embedder {
  readonly name: string;
  readonly family = 'contextual' as const;
  readonly dimension: number;
  readonly maxTokens: number;
  readonly contextual = true;
  readonly price: EmbedPrice = LOCAL_PRICE;
  /** The .onnx file that was loaded. */
  readonly modelPath: string;

  private readonly ort: OrtModule;
  private readonly session: OrtSession;
  private readonly tokenizer: Tokenizer;
  private readonly inputs: readonly string[];
  private readonly idType: 'int64' | 'int32';
  private readonly outputName: string;
  private readonly normalize: boolean;
  private readonly padId: number;
  private readonly specialIds: ReadonlySet<number>;

  /** @internal Use {@link loadOnnxEncoder}. */
  constructor(parts: {
    name: string;
    dimension: number;
    maxTokens: number;
    modelPath: string;
    ort: OrtModule;
    session: OrtSession;
    tokenizer: Tokenizer;
    inputs: readonly string[];
    idType: 'int64' | 'int32';
    outputName: string;
    normalize: boolean;
    padId: number;
    specialIds: ReadonlySet<number>;
  }) {
    this.name = parts.name;
    this.dimension = parts.dimension;
    this.maxTokens = parts.maxTokens;
    this.modelPath = parts.modelPath;
    this.ort = parts.ort;
    this.session = parts.session;
    this.tokenizer = parts.tokenizer;
    this.inputs = parts.inputs;
    this.idType = parts.idType;
    this.outputName = parts.outputName;
    this.normalize = parts.normalize;
    this.padId = parts.padId;
    this.specialIds = parts.specialIds;
  }

  /** Word pieces of `text` with special tokens, cut to `maxTokens` (the last special token kept). */
  private encode(text: string): EncodedText {
    const encoding = this.tokenizer.encode(text, { return_token_type_ids: true });
    let ids = encoding.ids;
    let typeIds = encoding.token_type_ids ?? new Array<number>(ids.length).fill(0);
    let tokens = encoding.tokens;
    if (ids.length > this.maxTokens) {
      // Keep the closing [SEP] / </s>: models are trained with it at the end.
      const last = ids.length - 1;
      const keep = (values: readonly number[] | readonly string[]) => [...values.slice(0, this.maxTokens - 1), values[last]];
      ids = keep(ids) as number[];
      typeIds = keep(typeIds) as number[];
      tokens = keep(tokens) as string[];
    }
    return { ids, typeIds, tokens, special: ids.map((id) => this.specialIds.has(id)) };
  }

  /** Runs one padded batch; returns the hidden states [count, width, dimension] and the width. */
  private async runBatch(batch: readonly EncodedText[]): Promise<{ hidden: Float32Array; width: number }> {
    const count = batch.length;
    let width = 1;
    for (const text of batch) width = Math.max(width, text.ids.length);
    const size = count * width;
    const makeArray = (): BigInt64Array | Int32Array => (this.idType === 'int64' ? new BigInt64Array(size) : new Int32Array(size));
    const ids = makeArray();
    const mask = makeArray();
    const types = makeArray();
    const one = this.idType === 'int64' ? 1n : 1;
    for (let row = 0; row < count; row++) {
      const text = batch[row] as EncodedText;
      const base = row * width;
      for (let j = 0; j < width; j++) {
        const real = j < text.ids.length;
        const id = real ? (text.ids[j] as number) : this.padId;
        const type = real ? (text.typeIds[j] as number) : 0;
        if (this.idType === 'int64') {
          (ids as BigInt64Array)[base + j] = BigInt(id);
          (types as BigInt64Array)[base + j] = BigInt(type);
          if (real) (mask as BigInt64Array)[base + j] = one as bigint;
        } else {
          (ids as Int32Array)[base + j] = id;
          (types as Int32Array)[base + j] = type;
          if (real) (mask as Int32Array)[base + j] = one as number;
        }
      }
    }
    const arrays: Record<string, BigInt64Array | Int32Array> = { input_ids: ids, attention_mask: mask, token_type_ids: types };
    const feeds: Record<string, OrtTensor> = {};
    for (const name of this.inputs) feeds[name] = new this.ort.Tensor(this.idType, arrays[name] as BigInt64Array | Int32Array, [count, width]);
    let outputs: Record<string, OrtTensor>;
    try {
      outputs = await this.session.run(feeds);
    } catch (error) {
      throw encodersError('INVALID_MODEL', `${this.modelPath}: onnxruntime failed on a batch of ${count} texts of up to ${width} tokens: ${(error as Error).message}`, error);
    }
    const output = outputs[this.outputName];
    if (output === undefined || !(output.data instanceof Float32Array) || output.dims.length !== 3 || output.dims[0] !== count || output.dims[1] !== width || output.dims[2] !== this.dimension) {
      throw encodersError(
        'INVALID_MODEL',
        `${this.modelPath}: output ${this.outputName} should be float32 [${count}, ${width}, ${this.dimension}], got ${output === undefined ? 'nothing' : `${output.type} [${output.dims.join(', ')}]`}. Pass outputName for a model whose hidden states have another name.`,
      );
    }
    return { hidden: output.data, width };
  }

  async embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingBatch> {
    checkTexts(texts, this.name);
    const { signal, batchSize, onProgress } = resolveEmbedOptions(options, { batchSize: ONNX_BATCH_SIZE, maxBatchSize: ONNX_MAX_BATCH_SIZE, embedder: this.name });
    throwIfAborted(signal);
    const dim = this.dimension;
    const vectors = new Float32Array(texts.length * dim);
    let tokenCount = 0;
    for (let start = 0; start < texts.length; start += batchSize) {
      throwIfAborted(signal);
      const batch = texts.slice(start, start + batchSize).map((text) => this.encode(text));
      const { hidden, width } = await this.runBatch(batch);
      throwIfAborted(signal);
      for (let row = 0; row < batch.length; row++) {
        const length = (batch[row] as EncodedText).ids.length;
        tokenCount += length;
        const out = (start + row) * dim;
        for (let j = 0; j < length; j++) {
          const from = (row * width + j) * dim;
          for (let k = 0; k < dim; k++) vectors[out + k] = (vectors[out + k] as number) + (hidden[from + k] as number);
        }
        let norm = 0;
        for (let k = 0; k < dim; k++) {
          const value = (vectors[out + k] as number) / length;
          vectors[out + k] = value;
          norm += value * value;
        }
        if (this.normalize && norm > 0) {
          const scale = 1 / Math.sqrt(norm);
          for (let k = 0; k < dim; k++) vectors[out + k] = (vectors[out + k] as number) * scale;
        }
      }
      onProgress?.({ done: Math.min(start + batchSize, texts.length), total: texts.length });
    }
    // Every text has at least [CLS] and [SEP], so every text gets a vector.
    return { vectors, count: texts.length, dimension: dim, missing: [], cost: { tokens: tokenCount, estimated: false, usd: 0 } };
  }

  async embedTokens(text: string, options?: EmbedOptions): Promise<TokenEmbeddings> {
    if (typeof text !== 'string') throw new TypeError(`${this.name}: text must be a string`);
    const { signal } = resolveEmbedOptions(options, { batchSize: 1, maxBatchSize: ONNX_MAX_BATCH_SIZE, embedder: this.name });
    throwIfAborted(signal);
    const encoded = this.encode(text);
    const { hidden } = await this.runBatch([encoded]);
    throwIfAborted(signal);
    const dim = this.dimension;
    const tokens: string[] = [];
    const rows: number[] = [];
    encoded.special.forEach((special, j) => {
      if (!special) {
        tokens.push(encoded.tokens[j] as string);
        rows.push(j);
      }
    });
    const vectors = new Float32Array(rows.length * dim);
    rows.forEach((j, i) => vectors.set(hidden.subarray(j * dim, (j + 1) * dim), i * dim));
    return { tokens, vectors, dimension: dim, missing: [] };
  }

  estimateCost(texts: readonly string[]): EmbedCost {
    checkTexts(texts, this.name);
    let tokens = 0;
    for (const text of texts) tokens += this.encode(text).ids.length;
    return { tokens, estimated: false, usd: 0 };
  }

  /** Frees the onnxruntime session. The encoder cannot be used afterwards. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Loads a BERT-family ONNX model from a local directory (see the module comment for its files).
 *
 * @throws EmbedkitError `MODEL_NOT_FOUND` (no directory, no .onnx file, no tokenizer.json),
 * `INVALID_MODEL` (bad JSON, inputs other than input_ids / attention_mask / token_type_ids),
 * `NO_TOKEN_OUTPUT` (no `outputName` / last_hidden_state output and not exactly one 3-D output),
 * `RUNTIME_UNAVAILABLE` (onnxruntime-node not installed).
 *
 * @example
 * ```ts
 * const minilm = await loadOnnxEncoder('./models/all-MiniLM-L6-v2', { normalize: true });
 * const { vectors } = await minilm.embed(['The river bank.', 'The bank raised its rates.']);
 * const { tokens, vectors: inContext } = await minilm.embedTokens('We sat on the river bank.');
 * ```
 */
export async function loadOnnxEncoder(directory: string, options: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
  if (typeof directory !== 'string' || directory.length === 0) throw new TypeError('loadOnnxEncoder: directory must be a non-empty path');
  if (options.maxTokens !== undefined && (!Number.isInteger(options.maxTokens) || options.maxTokens < 2)) {
    throw new RangeError(`loadOnnxEncoder: maxTokens must be an integer >= 2 (room for [CLS] and [SEP]), got ${String(options.maxTokens)}`);
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new RangeError(`loadOnnxEncoder: threads must be an integer >= 1, got ${String(options.threads)}`);
  }
  const files = await findOnnxModelFiles(directory, options.modelFile);
  const root = files.directory;
  if (!files.isDirectory) {
    throw encodersError('MODEL_NOT_FOUND', `${root} is not a directory. Pass the folder that holds model.onnx and tokenizer.json (e.g. an ONNX export of all-MiniLM-L6-v2).`);
  }
  const modelPath = files.model;
  if (modelPath === null) {
    throw encodersError(
      'MODEL_NOT_FOUND',
      options.modelFile !== undefined
        ? `The model file ${resolve(root, options.modelFile)} does not exist.`
        : `No ONNX model in ${root}: looked for ${ONNX_MODEL_FILES.join(', ')}. Pass modelFile for another name.`,
    );
  }
  const tokenizerJson = (await readJson(join(root, 'tokenizer.json'), true)) as Record<string, unknown>;
  const tokenizerConfig = await readJson(join(root, 'tokenizer_config.json'), false);
  const config = await readJson(join(root, 'config.json'), false);
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig ?? {});
  } catch (error) {
    throw encodersError('INVALID_MODEL', `${join(root, 'tokenizer.json')} could not be read as a tokenizer: ${(error as Error).message}`, error);
  }

  const ort = await importOnnxRuntime();
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads, interOpNumThreads: 1 }),
    });
  } catch (error) {
    throw encodersError('INVALID_MODEL', `onnxruntime cannot load ${modelPath}: ${(error as Error).message}`, error);
  }
  const fail = async (message: string, code: 'INVALID_MODEL' | 'NO_TOKEN_OUTPUT' = 'INVALID_MODEL'): Promise<never> => {
    await session.release();
    throw encodersError(code, `${modelPath}: ${message}`);
  };
  const unknown = session.inputNames.filter((name) => !(KNOWN_INPUTS as readonly string[]).includes(name));
  if (unknown.length > 0 || !session.inputNames.includes('input_ids')) {
    return fail(
      `the model's inputs are ${session.inputNames.join(', ')}; a BERT-family encoder takes input_ids and optionally attention_mask and token_type_ids (export the encoder alone, without past key values or position_ids).`,
    );
  }
  const idMeta = session.inputMetadata?.find((m) => m.name === 'input_ids');
  const idType = idMeta?.type === 'int32' ? 'int32' : 'int64';
  const outputName = options.outputName ?? (session.outputNames.includes(ONNX_TOKEN_OUTPUT) ? ONNX_TOKEN_OUTPUT : undefined);
  let chosen = outputName;
  if (chosen === undefined) {
    const threeD = (session.outputMetadata ?? []).filter((m) => m.isTensor && m.shape?.length === 3);
    if (threeD.length === 1) chosen = (threeD[0] as { name: string }).name;
    else return fail(`no output named ${ONNX_TOKEN_OUTPUT} among ${session.outputNames.join(', ')}, and ${threeD.length} of them are 3-D; pass outputName to say which holds the token vectors.`, 'NO_TOKEN_OUTPUT');
  } else if (!session.outputNames.includes(chosen)) {
    return fail(`no output named ${chosen}; the model's outputs are ${session.outputNames.join(', ')}.`, 'NO_TOKEN_OUTPUT');
  }
  const meta = session.outputMetadata?.find((m) => m.name === chosen);
  const lastDim = meta?.shape?.[2];
  const hidden = typeof lastDim === 'number' ? lastDim : config?.hidden_size ?? config?.dim ?? config?.d_model;
  if (typeof hidden !== 'number' || !Number.isInteger(hidden) || hidden < 1) {
    return fail(`the width of ${chosen} is not fixed in the graph and config.json gives no hidden_size; add config.json from the model's files.`);
  }

  const vocab = tokenizer.get_vocab(true);
  const padToken = typeof tokenizerConfig?.pad_token === 'string' ? tokenizerConfig.pad_token : undefined;
  const padId = (padToken === undefined ? undefined : vocab.get(padToken)) ?? vocab.get('[PAD]') ?? vocab.get('<pad>') ?? 0;
  const specialIds = new Set<number>();
  // The unknown-word token is special to the tokenizer but stands for a word of the text: keep it.
  const model = tokenizerJson.model as { unk_token?: unknown } | undefined;
  const unknownId = typeof model?.unk_token === 'string' ? vocab.get(model.unk_token) : undefined;
  for (const [id, token] of tokenizer.get_added_tokens_decoder()) if (token.special && id !== unknownId) specialIds.add(id);

  const maxTokens = options.maxTokens ?? configuredMaxTokens(tokenizerConfig, config);
  const segments = root.split(/[\\/]/u).filter((s) => s.length > 0);
  return new OnnxEncoder({
    name: options.name ?? segments[segments.length - 1] ?? 'onnx',
    dimension: hidden,
    maxTokens,
    modelPath,
    ort,
    session,
    tokenizer,
    inputs: session.inputNames,
    idType,
    outputName: chosen,
    normalize: options.normalize ?? false,
    padId,
    specialIds,
  });
}

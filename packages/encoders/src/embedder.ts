/**
 * The `Embedder` contract: one shape for every embedding family, so that one harness can measure
 * static vectors (word2vec, GloVe, PPMI-SVD, fastText-style subwords), contextual encoders run
 * offline, and hosted APIs on the same points.
 */

/** The families of the comparison, as the article names them. */
export type EmbedderFamily =
  | 'word2vec'
  | 'glove'
  | 'ppmi-svd'
  | 'fasttext'
  | 'contextual'
  | 'hosted';

/** Progress of a long `embed` call: texts done out of the total. */
export interface EmbedProgress {
  readonly done: number;
  readonly total: number;
}

/** Options every `embed` and `embedTokens` call accepts. */
export interface EmbedOptions {
  /**
   * Stops the call between batches (hosted: also cancels the request in flight); the promise
   * rejects with an `EmbedkitError` coded `ABORTED` whose `cause` is the signal's reason, as the
   * trainers do.
   */
  readonly signal?: AbortSignal;
  /** Texts per batch (per request for hosted APIs); each embedder has its own default and limit. */
  readonly batchSize?: number;
  /** Called after each batch. */
  readonly onProgress?: (progress: EmbedProgress) => void;
}

/** What a call costs, known before it is made (an estimate) or after (the provider's count). */
export interface EmbedCost {
  /** Tokens as the model counts them (or our estimate of that count). */
  readonly tokens: number;
  /**
   * True when `tokens` is our estimate (before a call, or an API that reports no usage); false
   * when the model's own tokenizer or the provider's `usage` counted them.
   */
  readonly estimated: boolean;
  /** US dollars; 0 for local models; `undefined` when the model's price is unknown. */
  readonly usd: number | undefined;
}

/** What a model charges, as read on its provider's page on a given day. */
export interface EmbedPrice {
  /** US dollars per million input tokens; 0 for local models; `undefined` when not verified. */
  readonly usdPerMillionTokens: number | undefined;
  /** Where the figure was read (a URL), or `'local'` for models that run on this machine. */
  readonly source: string;
  /** The day the figure was read (`YYYY-MM-DD`), or `undefined` for local models. */
  readonly checked: string | undefined;
  /** Why a figure is unknown, or what it covers (hosted prices). */
  readonly note?: string;
}

/** The price of every model that runs on this machine. */
export const LOCAL_PRICE: EmbedPrice = Object.freeze({ usdPerMillionTokens: 0, source: 'local', checked: undefined });

/** Sentence vectors: one row of `dimension` floats per input text, row-major. */
export interface EmbeddingBatch {
  readonly vectors: Float32Array;
  readonly count: number;
  readonly dimension: number;
  /** Texts that got no vector from the model (every token out of vocabulary): their rows are 0. */
  readonly missing: readonly number[];
  readonly cost: EmbedCost;
}

/** One vector per token of a text, each in the context of the whole text. */
export interface TokenEmbeddings {
  /** The tokens as the model split them (words for static models, word pieces for BERT-like ones). */
  readonly tokens: readonly string[];
  /** `tokens.length` rows of `dimension` floats, row-major. */
  readonly vectors: Float32Array;
  readonly dimension: number;
  /** Tokens that got no vector (out of a static model's vocabulary): their rows are 0. Empty when all did. */
  readonly missing: readonly number[];
}

/** Anything that turns texts into vectors. */
export interface Embedder {
  /** A short, unique name for tables: `word2vec-sg`, `minilm`, `openai:text-embedding-3-small`. */
  readonly name: string;
  readonly family: EmbedderFamily;
  /** Length of every vector this embedder returns. */
  readonly dimension: number;
  /** Longest input in the model's tokens; longer texts are truncated (hosted: refused by the API). */
  readonly maxTokens: number;
  /** True when `embedTokens` gives vectors that depend on the surrounding text. */
  readonly contextual: boolean;
  /** What the model charges ({@link LOCAL_PRICE} for local models). */
  readonly price: EmbedPrice;
  /** Sentence (or short text) vectors. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingBatch>;
  /**
   * One vector per token in context, where the model allows it (static models return each word's
   * own vector; hosted APIs have none and leave this undefined).
   */
  embedTokens?(text: string, options?: EmbedOptions): Promise<TokenEmbeddings>;
  /** What embedding these texts would cost, without calling anything. */
  estimateCost(texts: readonly string[]): EmbedCost;
}

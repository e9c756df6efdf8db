/**
 * What the hosted adapters share: batching within each API's documented limits, a small pool of
 * requests in flight, progress and abort, validation of every returned vector, token and cost
 * accounting (the provider's count when it reports one, our estimate otherwise) and credentials
 * read from the environment only when a call is made — so an adapter can be built, listed and
 * priced on a machine without keys, and a key never sits in an object that might be logged.
 */
import type { EmbedCost, Embedder, EmbedderFamily, EmbeddingBatch, EmbedOptions, EmbedPrice } from '../embedder';
import { abortedError, encodersError } from '../errors';
import { checkTexts, resolveEmbedOptions, throwIfAborted } from '../options';
import { postJson, resolveRetryOptions } from './http';
import type { JsonRequest, ResolvedRetryOptions, RetryOptions } from './http';

/** The environment the adapters read credentials from. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Options every hosted adapter takes. No option carries a key: keys come from the environment. */
export interface HostedOptions extends RetryOptions {
  /** Model id as the provider names it. Each adapter has a default. */
  readonly model?: string;
  /** Replaces the provider's base URL (a proxy, a regional endpoint, a test server on 127.0.0.1). */
  readonly baseUrl?: string;
  /** Where keys are read from. Default `process.env`. */
  readonly env?: Environment;
  /** Name in tables. Default `<provider>:<model>`. */
  readonly name?: string;
  /** Requests in flight at once. Default 1 (4 for Bedrock, which takes one text per request). */
  readonly concurrency?: number;
}

/** Running totals over every call an adapter made (for cost reports and tests). */
export interface HostedStats {
  /** HTTP requests that succeeded. */
  requests: number;
  /** Retries made (429 / 5xx / network / timeout) before those successes. */
  retries: number;
  /** Tokens billed (or estimated, see `estimated`). */
  tokens: number;
  /** True when some of `tokens` are our estimate. */
  estimated: boolean;
}

/** One request's result, as an adapter parses it. */
export interface BatchResult {
  /** One array of numbers per text sent, in order. */
  readonly vectors: readonly unknown[];
  /** Tokens the provider reports for the request; undefined when it reports none. */
  readonly tokens: number | undefined;
}

/** How long an adapter's inputs may be and how many fit one request. */
export interface HostedLimits {
  /** Texts per request, as documented. */
  readonly maxBatchSize: number;
  /** Estimated tokens per request (OpenAI: 300,000 summed over the inputs); Infinity when none. */
  readonly maxTokensPerRequest: number;
  /** Tokens per text. */
  readonly maxTokens: number;
}

/**
 * Roughly four characters per token in English text (OpenAI's rule of thumb, "Counting tokens"
 * in its embeddings guide); used only where an API reports no count, and before a call.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Base of the hosted adapters; each subclass builds one request and parses its answer. */
export abstract class HostedEmbedder implements Embedder {
  readonly family: EmbedderFamily = 'hosted';
  readonly contextual = false;
  readonly name: string;
  readonly model: string;
  readonly dimension: number;
  readonly maxTokens: number;
  readonly price: EmbedPrice;
  /** Texts per request, as the provider documents. */
  readonly maxBatchSize: number;
  readonly stats: HostedStats = { requests: 0, retries: 0, tokens: 0, estimated: false };

  protected readonly env: Environment;
  protected readonly baseUrl: string;
  private readonly retry: ResolvedRetryOptions;
  private readonly concurrency: number;
  private readonly maxTokensPerRequest: number;

  protected constructor(
    provider: string,
    settings: { model: string; dimension: number; price: EmbedPrice; limits: HostedLimits; baseUrl: string; concurrency: number },
    options: HostedOptions,
  ) {
    if (options.env !== undefined && (options.env === null || typeof options.env !== 'object')) {
      throw new TypeError(`${provider}: env must be an object of environment variables`);
    }
    if (options.baseUrl !== undefined) {
      try {
        new URL(options.baseUrl);
      } catch {
        throw new TypeError(`${provider}: baseUrl must be an absolute URL, got ${JSON.stringify(options.baseUrl)}`);
      }
    }
    const concurrency = options.concurrency ?? settings.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new RangeError(`${provider}: concurrency must be an integer from 1 to 64, got ${String(concurrency)}`);
    }
    this.model = settings.model;
    this.name = options.name ?? `${provider.toLowerCase()}:${settings.model}`;
    this.dimension = settings.dimension;
    this.price = settings.price;
    this.maxTokens = settings.limits.maxTokens;
    this.maxBatchSize = settings.limits.maxBatchSize;
    this.maxTokensPerRequest = settings.limits.maxTokensPerRequest;
    this.env = options.env ?? process.env;
    this.baseUrl = (options.baseUrl ?? settings.baseUrl).replace(/\/+$/, '');
    this.retry = resolveRetryOptions(options, provider);
    this.concurrency = concurrency;
  }

  /** The provider's name in messages (`OpenAI`, `Cohere`, …). */
  abstract readonly provider: string;

  /** True when the environment holds what this adapter needs (without reading it into the object). */
  abstract credentialsAvailable(): boolean;

  /** Throws `MISSING_API_KEY` naming the variable(s) to set, when the environment lacks them. */
  protected abstract checkCredentials(): void;

  /**
   * The request for one batch, with the credentials read now from the environment.
   *
   * @throws EmbedkitError `MISSING_API_KEY` naming the variable(s) to set.
   */
  protected abstract buildRequest(texts: readonly string[]): JsonRequest;

  /** The vectors and token count of one answer, or a `BAD_RESPONSE` error naming what is missing. */
  protected abstract parseResponse(json: unknown, count: number): BatchResult;

  /**
   * Sentence vectors from the provider. Empty (or whitespace-only) texts are not sent — the APIs
   * refuse them — and come back as zero rows listed in `missing`. `batchSize` defaults to, and
   * may not exceed, the provider's documented limit; requests are also split to stay under its
   * per-request token limit (by our estimate).
   *
   * @throws EmbedkitError `MISSING_API_KEY`, `ABORTED`, `TIMEOUT`, `RETRIES_EXHAUSTED`,
   *   `REQUEST_FAILED`, `BAD_RESPONSE`.
   */
  async embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingBatch> {
    checkTexts(texts, this.name);
    const { signal, batchSize, onProgress } = resolveEmbedOptions(options, {
      batchSize: this.maxBatchSize,
      maxBatchSize: this.maxBatchSize,
      embedder: this.name,
    });
    throwIfAborted(signal);
    const dim = this.dimension;
    const vectors = new Float32Array(texts.length * dim);
    const missing: number[] = [];
    const sent: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      if ((texts[i] as string).trim() === '') missing.push(i);
      else sent.push(i);
    }
    const batches = this.split(texts, sent, batchSize);
    if (batches.length > 0) this.checkCredentials(); // the missing-key error before any request
    let tokens = 0;
    let estimated = false;
    let done = missing.length;
    // A failure stops the batches still in flight: one controller under the caller's signal.
    const stop = new AbortController();
    const onCallerAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      try {
        while (next < batches.length && !stop.signal.aborted) {
          const batch = batches[next++] as number[];
          const batchTexts = batch.map((i) => texts[i] as string);
          const result = await this.send(batchTexts, stop.signal);
          for (let k = 0; k < batch.length; k++) this.copyVector(result.vectors[k], vectors, (batch[k] as number) * dim, k);
          if (result.tokens === undefined) {
            estimated = true;
            for (const text of batchTexts) tokens += estimateTokens(text);
          } else {
            tokens += result.tokens;
          }
          done += batch.length;
          onProgress?.({ done, total: texts.length });
        }
      } catch (error) {
        // The first failure is the one reported; it stops the other workers' requests too.
        failure ??= { error };
        stop.abort();
      }
    };
    try {
      const workers: Promise<void>[] = [];
      for (let w = 0; w < Math.min(this.concurrency, batches.length); w++) workers.push(worker());
      await Promise.all(workers);
    } finally {
      signal?.removeEventListener('abort', onCallerAbort);
    }
    if (signal?.aborted === true) throw abortedError(signal);
    if (failure !== undefined) throw failure.error;
    missing.sort((a, b) => a - b);
    this.stats.tokens += tokens;
    if (estimated) this.stats.estimated = true;
    return { vectors, count: texts.length, dimension: dim, missing, cost: { tokens, estimated, usd: this.usdFor(tokens) } };
  }

  /** Our estimate of the tokens and price of embedding `texts` (no request is made). */
  estimateCost(texts: readonly string[]): EmbedCost {
    checkTexts(texts, this.name);
    let tokens = 0;
    for (const text of texts) tokens += estimateTokens(text);
    return { tokens, estimated: true, usd: this.usdFor(tokens) };
  }

  /** Reads an environment variable, or throws `MISSING_API_KEY` naming every accepted variable. */
  protected requireVariable(names: readonly string[], what: string): string {
    for (const name of names) {
      const value = this.env[name];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    throw encodersError(
      'MISSING_API_KEY',
      `${this.provider}: ${what} is not set; export ${list} in the environment (keys are read from the environment only)`,
    );
  }

  /** True when at least one of `names` is set to a non-empty value. */
  protected hasVariable(names: readonly string[]): boolean {
    return names.some((name) => {
      const value = this.env[name];
      return typeof value === 'string' && value.trim() !== '';
    });
  }

  private async send(texts: readonly string[], signal: AbortSignal): Promise<BatchResult> {
    const request = this.buildRequest(texts);
    const response = await postJson(request, this.retry, signal);
    this.stats.requests++;
    this.stats.retries += response.retries;
    return this.parseResponse(response.json, texts.length);
  }

  // Batches of at most `batchSize` texts and `maxTokensPerRequest` estimated tokens.
  private split(texts: readonly string[], indexes: readonly number[], batchSize: number): number[][] {
    const batches: number[][] = [];
    let current: number[] = [];
    let currentTokens = 0;
    for (const i of indexes) {
      const t = estimateTokens(texts[i] as string);
      if (current.length > 0 && (current.length >= batchSize || currentTokens + t > this.maxTokensPerRequest)) {
        batches.push(current);
        current = [];
        currentTokens = 0;
      }
      current.push(i);
      currentTokens += t;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  private copyVector(values: unknown, out: Float32Array, offset: number, position: number): void {
    const dim = this.dimension;
    if (!Array.isArray(values) || values.length !== dim) {
      throw encodersError(
        'BAD_RESPONSE',
        `${this.provider} returned ${Array.isArray(values) ? `a vector of ${values.length} values` : 'no vector'} for text ${position} ` +
          `of a request where ${dim} were expected (model ${this.model}; set dimensions to what the model gives)`,
      );
    }
    for (let j = 0; j < dim; j++) {
      const v = values[j] as unknown;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw encodersError('BAD_RESPONSE', `${this.provider} returned a non-finite value (${String(v)}) at component ${j} of text ${position}`);
      }
      out[offset + j] = v;
    }
  }

  private usdFor(tokens: number): number | undefined {
    const perMillion = this.price.usdPerMillionTokens;
    return perMillion === undefined ? undefined : (tokens * perMillion) / 1_000_000;
  }
}

/** Checks a `dimensions` option against the sizes a model accepts. */
export function resolveDimension(
  provider: string,
  model: string,
  requested: number | undefined,
  known: { readonly dimension: number; readonly allowed?: readonly number[]; readonly max?: number } | undefined,
): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1) {
      throw new RangeError(`${provider}: dimensions must be a positive integer, got ${String(requested)}`);
    }
    if (known?.allowed !== undefined && !known.allowed.includes(requested)) {
      throw new RangeError(`${provider}: ${model} gives ${known.allowed.join(', ')} dimensions, not ${requested}`);
    }
    if (known?.max !== undefined && requested > known.max) {
      throw new RangeError(`${provider}: ${model} gives at most ${known.max} dimensions, not ${requested}`);
    }
    return requested;
  }
  if (known === undefined) {
    throw new RangeError(`${provider}: model ${JSON.stringify(model)} is not in our table; pass dimensions (its vector length)`);
  }
  return known.dimension;
}

/** Checks that `value` is an object, for response parsing. */
export function asObject(value: unknown, provider: string, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw encodersError('BAD_RESPONSE', `${provider} answered without ${what} (the response is not in the documented shape)`);
  }
  return value as Record<string, unknown>;
}

/** `vectors` must hold `count` entries. */
export function checkCount(vectors: unknown, count: number, provider: string, field: string): readonly unknown[] {
  if (!Array.isArray(vectors)) throw encodersError('BAD_RESPONSE', `${provider} answered without ${field}`);
  if (vectors.length !== count) {
    throw encodersError('BAD_RESPONSE', `${provider} returned ${vectors.length} vectors in ${field} for ${count} texts`);
  }
  return vectors;
}

/** A non-negative integer token count, or undefined. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * OpenAI embeddings: `POST /v1/embeddings` with `{ model, input: string[], dimensions?,
 * encoding_format: 'float' }`, answered with `{ data: [{ index, embedding }], usage: {
 * prompt_tokens, total_tokens } }`. Limits (API reference, "Create embeddings",
 * https://developers.openai.com/api/reference/resources/embeddings, read 2026-12-04): at most 2048
 * inputs per request, 8192 tokens per input, 300,000 tokens summed over a request; no empty string.
 * Key: `OPENAI_API_KEY`, sent as `Authorization: Bearer`.
 */
import { encodersError } from '../errors';
import type { JsonRequest } from './http';
import { HostedEmbedder, asObject, checkCount, resolveDimension, tokenCount } from './hosted-embedder';
import type { BatchResult, HostedOptions } from './hosted-embedder';
import { priceOf } from './prices';

/** Options of {@link OpenAIEmbedder}. */
export interface OpenAIOptions extends HostedOptions {
  /** Default `'text-embedding-3-small'`. */
  readonly model?: string;
  /** Shorter vectors (text-embedding-3 models only). Default: the model's full length. */
  readonly dimensions?: number;
}

/** The environment variable read for the key. */
export const OPENAI_KEY_VARIABLE = 'OPENAI_API_KEY';
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_MAX_BATCH = 2048;

const MODELS: Readonly<Record<string, { dimension: number; max?: number; shortenable: boolean }>> = {
  'text-embedding-3-small': { dimension: 1536, max: 1536, shortenable: true },
  'text-embedding-3-large': { dimension: 3072, max: 3072, shortenable: true },
  'text-embedding-ada-002': { dimension: 1536, shortenable: false },
};

/**
 * OpenAI's embedding models behind the {@link Embedder} contract.
 *
 * @example
 * ```ts
 * const openai = new OpenAIEmbedder({ model: 'text-embedding-3-small', dimensions: 512 });
 * const { vectors, cost } = await openai.embed(['The river bank.', 'A bank loan.']); // OPENAI_API_KEY from the environment
 * ```
 */
export class OpenAIEmbedder extends HostedEmbedder {
  readonly provider = 'OpenAI';
  private readonly dimensions: number | undefined;

  constructor(options: OpenAIOptions = {}) {
    const model = options.model ?? 'text-embedding-3-small';
    const known = MODELS[model];
    if (options.dimensions !== undefined && known !== undefined && !known.shortenable) {
      throw new RangeError(`OpenAI: ${model} does not take dimensions (only the text-embedding-3 models do)`);
    }
    const dimension = resolveDimension('OpenAI', model, options.dimensions, known);
    super(
      'OpenAI',
      {
        model,
        dimension,
        price: priceOf(`openai:${model}`, 'https://openai.com/api/pricing/'),
        limits: { maxBatchSize: OPENAI_MAX_BATCH, maxTokensPerRequest: 300_000, maxTokens: 8192 },
        baseUrl: OPENAI_BASE_URL,
        concurrency: 1,
      },
      options,
    );
    this.dimensions = options.dimensions;
  }

  credentialsAvailable(): boolean {
    return this.hasVariable([OPENAI_KEY_VARIABLE]);
  }

  protected checkCredentials(): void {
    this.requireVariable([OPENAI_KEY_VARIABLE], 'the OpenAI API key');
  }

  protected buildRequest(texts: readonly string[]): JsonRequest {
    const key = this.requireVariable([OPENAI_KEY_VARIABLE], 'the OpenAI API key');
    const body: Record<string, unknown> = { model: this.model, input: texts, encoding_format: 'float' };
    if (this.dimensions !== undefined) body['dimensions'] = this.dimensions;
    return {
      url: `${this.baseUrl}/embeddings`,
      headers: () => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` }),
      body: JSON.stringify(body),
      provider: this.provider,
      secrets: [key],
    };
  }

  protected parseResponse(json: unknown, count: number): BatchResult {
    const body = asObject(json, this.provider, 'a JSON object');
    const data = checkCount(body['data'], count, this.provider, 'data');
    // Rows come with their input index; put them back in input order.
    const vectors: unknown[] = new Array(count);
    for (const entry of data) {
      const item = asObject(entry, this.provider, 'data[] objects');
      const index = item['index'];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined) {
        throw encodersError('BAD_RESPONSE', `OpenAI returned data[].index ${String(index)} for a request of ${count} inputs`);
      }
      vectors[index] = item['embedding'];
    }
    const usage = body['usage'];
    const tokens = usage !== null && typeof usage === 'object' ? tokenCount((usage as Record<string, unknown>)['prompt_tokens']) : undefined;
    return { vectors, tokens };
  }
}

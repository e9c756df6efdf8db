/**
 * Cohere embed, API v2: `POST /v2/embed` with `{ model, texts, input_type, embedding_types:
 * ['float'], output_dimension?, truncate? }`, answered with `{ id, embeddings: { float: [[…]] },
 * texts, meta: { billed_units: { input_tokens } } }` (API reference "Embed API (v2)",
 * https://docs.cohere.com/reference/embed, read 2026-12-04 through client schemas; at most 96
 * texts per call). Key: `COHERE_API_KEY`, sent as `Authorization: Bearer`.
 */
import type { JsonRequest } from './http';
import { HostedEmbedder, asObject, checkCount, resolveDimension, tokenCount } from './hosted-embedder';
import type { BatchResult, HostedOptions } from './hosted-embedder';
import { priceOf } from './prices';

/** What the texts are for; v3 and later models require it. */
export type CohereInputType = 'search_document' | 'search_query' | 'classification' | 'clustering';

/** Options of {@link CohereEmbedder}. */
export interface CohereOptions extends HostedOptions {
  /** Default `'embed-v4.0'`. */
  readonly model?: string;
  /** Default `'clustering'` (symmetric similarity, as the comparison measures it). */
  readonly inputType?: CohereInputType;
  /** `output_dimension` (embed-v4.0: 256, 512, 1024, 1536). Default: the model's. */
  readonly dimensions?: number;
  /** What the API does with a text over the limit: `'END'` (default, cut the end), `'START'`, `'NONE'` (refuse). */
  readonly truncate?: 'NONE' | 'START' | 'END';
}

export const COHERE_KEY_VARIABLE = 'COHERE_API_KEY';
export const COHERE_BASE_URL = 'https://api.cohere.com';
export const COHERE_MAX_BATCH = 96;

const MODELS: Readonly<Record<string, { dimension: number; allowed?: readonly number[]; maxTokens: number }>> = {
  'embed-v4.0': { dimension: 1536, allowed: [256, 512, 1024, 1536], maxTokens: 128_000 },
  'embed-english-v3.0': { dimension: 1024, allowed: [1024], maxTokens: 512 },
  'embed-multilingual-v3.0': { dimension: 1024, allowed: [1024], maxTokens: 512 },
  'embed-english-light-v3.0': { dimension: 384, allowed: [384], maxTokens: 512 },
  'embed-multilingual-light-v3.0': { dimension: 384, allowed: [384], maxTokens: 512 },
};
const INPUT_TYPES: readonly CohereInputType[] = ['search_document', 'search_query', 'classification', 'clustering'];

/** Cohere's embed models behind the {@link Embedder} contract (`COHERE_API_KEY`). */
export class CohereEmbedder extends HostedEmbedder {
  readonly provider = 'Cohere';
  readonly inputType: CohereInputType;
  private readonly dimensions: number | undefined;
  private readonly truncate: 'NONE' | 'START' | 'END';

  constructor(options: CohereOptions = {}) {
    const model = options.model ?? 'embed-v4.0';
    const known = MODELS[model];
    const dimension = resolveDimension('Cohere', model, options.dimensions, known);
    const inputType = options.inputType ?? 'clustering';
    if (!INPUT_TYPES.includes(inputType)) {
      throw new RangeError(`Cohere: inputType must be one of ${INPUT_TYPES.join(', ')}, got ${String(inputType)}`);
    }
    const truncate = options.truncate ?? 'END';
    if (truncate !== 'NONE' && truncate !== 'START' && truncate !== 'END') {
      throw new RangeError(`Cohere: truncate must be 'NONE', 'START' or 'END', got ${String(truncate)}`);
    }
    super(
      'Cohere',
      {
        model,
        dimension,
        price: priceOf(`cohere:${model}`, 'https://cohere.com/pricing'),
        limits: { maxBatchSize: COHERE_MAX_BATCH, maxTokensPerRequest: Number.POSITIVE_INFINITY, maxTokens: known?.maxTokens ?? 512 },
        baseUrl: COHERE_BASE_URL,
        concurrency: 1,
      },
      options,
    );
    this.inputType = inputType;
    this.dimensions = options.dimensions;
    this.truncate = truncate;
  }

  credentialsAvailable(): boolean {
    return this.hasVariable([COHERE_KEY_VARIABLE]);
  }

  protected checkCredentials(): void {
    this.requireVariable([COHERE_KEY_VARIABLE], 'the Cohere API key');
  }

  protected buildRequest(texts: readonly string[]): JsonRequest {
    const key = this.requireVariable([COHERE_KEY_VARIABLE], 'the Cohere API key');
    const body: Record<string, unknown> = {
      model: this.model,
      texts,
      input_type: this.inputType,
      embedding_types: ['float'],
      truncate: this.truncate,
    };
    if (this.dimensions !== undefined) body['output_dimension'] = this.dimensions;
    return {
      url: `${this.baseUrl}/v2/embed`,
      headers: () => ({ 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` }),
      body: JSON.stringify(body),
      provider: this.provider,
      secrets: [key],
    };
  }

  protected parseResponse(json: unknown, count: number): BatchResult {
    const body = asObject(json, this.provider, 'a JSON object');
    const embeddings = asObject(body['embeddings'], this.provider, 'embeddings (an object by embedding type)');
    const vectors = checkCount(embeddings['float'], count, this.provider, 'embeddings.float');
    const meta = body['meta'];
    const billed = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>)['billed_units'] : undefined;
    const tokens = billed !== null && typeof billed === 'object' ? tokenCount((billed as Record<string, unknown>)['input_tokens']) : undefined;
    return { vectors, tokens };
  }
}

/**
 * Google's text embeddings, two ways.
 *
 * - Gemini API: `POST /v1beta/models/{model}:batchEmbedContents` with header `x-goog-api-key`
 *   and `{ requests: [{ model: 'models/{model}', content: { parts: [{ text }] }, taskType?,
 *   outputDimensionality? }] }`, answered with `{ embeddings: [{ values }] }` in request order
 *   and no token count (API reference "Embeddings", https://ai.google.dev/api/embeddings, read
 *   2026-12-04). 100 requests per batch: the limit the API enforces as we know it; the corpus we
 *   could read states 100 only for the older `batchEmbedText`, so it is not confirmed there. Key: `GEMINI_API_KEY` or `GOOGLE_API_KEY`.
 * - Vertex AI: `POST https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/
 *   {location}/publishers/google/models/{model}:predict` with `Authorization: Bearer {token}` and
 *   `{ instances: [{ content, task_type? }], parameters: { outputDimensionality? } }`, answered
 *   with `{ predictions: [{ embeddings: { values, statistics: { token_count, truncated } } }] }`
 *   ("Get text embeddings", https://cloud.google.com/vertex-ai/generative-ai/docs/embeddings/get-text-embeddings;
 *   250 texts per request for text-embedding-005 — from memory of that page, not confirmed in the
 *   corpus we could read; the request and response shapes are confirmed by Google's client types). Token: `GOOGLE_OAUTH_ACCESS_TOKEN` (for example
 *   from `gcloud auth print-access-token`), project `GOOGLE_CLOUD_PROJECT`, location
 *   `GOOGLE_CLOUD_LOCATION` (default us-central1).
 */
import type { JsonRequest } from './http';
import { HostedEmbedder, asObject, checkCount, resolveDimension, tokenCount } from './hosted-embedder';
import type { BatchResult, HostedOptions } from './hosted-embedder';
import { priceOf } from './prices';

/** Gemini / Vertex task types (what the vectors will be used for). */
export type GoogleTaskType =
  | 'SEMANTIC_SIMILARITY'
  | 'CLASSIFICATION'
  | 'CLUSTERING'
  | 'RETRIEVAL_DOCUMENT'
  | 'RETRIEVAL_QUERY'
  | 'QUESTION_ANSWERING'
  | 'FACT_VERIFICATION';

/** Options of {@link GeminiEmbedder} and {@link VertexEmbedder}. */
export interface GoogleOptions extends HostedOptions {
  /** Default `'SEMANTIC_SIMILARITY'`. */
  readonly taskType?: GoogleTaskType;
  /** `outputDimensionality`: shorter vectors (truncated by the API). Default: the model's. */
  readonly dimensions?: number;
}

export const GEMINI_KEY_VARIABLES: readonly string[] = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];
export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
export const GEMINI_MAX_BATCH = 100;
export const VERTEX_TOKEN_VARIABLE = 'GOOGLE_OAUTH_ACCESS_TOKEN';
export const VERTEX_PROJECT_VARIABLE = 'GOOGLE_CLOUD_PROJECT';
export const VERTEX_LOCATION_VARIABLE = 'GOOGLE_CLOUD_LOCATION';
export const VERTEX_MAX_BATCH = 250;

const TASK_TYPES: readonly GoogleTaskType[] = [
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'RETRIEVAL_DOCUMENT',
  'RETRIEVAL_QUERY',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
];

const GEMINI_MODELS: Readonly<Record<string, { dimension: number; max: number; maxTokens: number }>> = {
  'gemini-embedding-001': { dimension: 3072, max: 3072, maxTokens: 2048 },
};
const VERTEX_MODELS: Readonly<Record<string, { dimension: number; max: number; maxTokens: number }>> = {
  'text-embedding-005': { dimension: 768, max: 768, maxTokens: 2048 },
  'text-multilingual-embedding-002': { dimension: 768, max: 768, maxTokens: 2048 },
};

function checkTaskType(provider: string, taskType: GoogleTaskType): GoogleTaskType {
  if (!TASK_TYPES.includes(taskType)) throw new RangeError(`${provider}: taskType must be one of ${TASK_TYPES.join(', ')}, got ${String(taskType)}`);
  return taskType;
}

/** The Gemini API's embedding models (`GEMINI_API_KEY` or `GOOGLE_API_KEY`). */
export class GeminiEmbedder extends HostedEmbedder {
  readonly provider = 'Gemini';
  readonly taskType: GoogleTaskType;
  private readonly dimensions: number | undefined;

  constructor(options: GoogleOptions = {}) {
    const model = options.model ?? 'gemini-embedding-001';
    const known = GEMINI_MODELS[model];
    const dimension = resolveDimension('Gemini', model, options.dimensions, known);
    const taskType = checkTaskType('Gemini', options.taskType ?? 'SEMANTIC_SIMILARITY');
    super(
      'Gemini',
      {
        model,
        dimension,
        price: priceOf(`gemini:${model}`, 'https://ai.google.dev/gemini-api/docs/pricing'),
        limits: { maxBatchSize: GEMINI_MAX_BATCH, maxTokensPerRequest: Number.POSITIVE_INFINITY, maxTokens: known?.maxTokens ?? 2048 },
        baseUrl: GEMINI_BASE_URL,
        concurrency: 1,
      },
      options,
    );
    this.taskType = taskType;
    this.dimensions = options.dimensions;
  }

  credentialsAvailable(): boolean {
    return this.hasVariable(GEMINI_KEY_VARIABLES);
  }

  protected checkCredentials(): void {
    this.requireVariable(GEMINI_KEY_VARIABLES, 'the Gemini API key');
  }

  protected buildRequest(texts: readonly string[]): JsonRequest {
    const key = this.requireVariable(GEMINI_KEY_VARIABLES, 'the Gemini API key');
    const model = `models/${this.model}`;
    const requests = texts.map((text) => {
      const request: Record<string, unknown> = { model, content: { parts: [{ text }] }, taskType: this.taskType };
      if (this.dimensions !== undefined) request['outputDimensionality'] = this.dimensions;
      return request;
    });
    return {
      url: `${this.baseUrl}/${model}:batchEmbedContents`,
      headers: () => ({ 'content-type': 'application/json', 'x-goog-api-key': key }),
      body: JSON.stringify({ requests }),
      provider: this.provider,
      secrets: [key],
    };
  }

  protected parseResponse(json: unknown, count: number): BatchResult {
    const body = asObject(json, this.provider, 'a JSON object');
    const embeddings = checkCount(body['embeddings'], count, this.provider, 'embeddings');
    const vectors = embeddings.map((entry) => asObject(entry, this.provider, 'embeddings[] objects')['values']);
    return { vectors, tokens: undefined }; // the API reports no token count
  }
}

/** Vertex AI's text embedding models (`GOOGLE_OAUTH_ACCESS_TOKEN`, `GOOGLE_CLOUD_PROJECT`). */
export class VertexEmbedder extends HostedEmbedder {
  readonly provider = 'Vertex AI';
  readonly taskType: GoogleTaskType;
  private readonly dimensions: number | undefined;
  private readonly explicitBaseUrl: boolean;

  constructor(options: GoogleOptions = {}) {
    const model = options.model ?? 'text-embedding-005';
    const known = VERTEX_MODELS[model];
    const dimension = resolveDimension('Vertex AI', model, options.dimensions, known);
    const taskType = checkTaskType('Vertex AI', options.taskType ?? 'SEMANTIC_SIMILARITY');
    super(
      'Vertex AI',
      {
        model,
        dimension,
        price: priceOf(`vertex:${model}`, 'https://cloud.google.com/vertex-ai/generative-ai/pricing'),
        limits: { maxBatchSize: VERTEX_MAX_BATCH, maxTokensPerRequest: Number.POSITIVE_INFINITY, maxTokens: known?.maxTokens ?? 2048 },
        // Replaced per request by the location's host unless a baseUrl was given.
        baseUrl: 'https://us-central1-aiplatform.googleapis.com/v1',
        concurrency: 1,
      },
      { ...options, name: options.name ?? `vertex:${model}` },
    );
    this.taskType = taskType;
    this.dimensions = options.dimensions;
    this.explicitBaseUrl = options.baseUrl !== undefined;
  }

  credentialsAvailable(): boolean {
    return this.hasVariable([VERTEX_TOKEN_VARIABLE]) && this.hasVariable([VERTEX_PROJECT_VARIABLE]);
  }

  protected checkCredentials(): void {
    this.requireVariable([VERTEX_TOKEN_VARIABLE], 'the Google Cloud access token');
    this.requireVariable([VERTEX_PROJECT_VARIABLE], 'the Google Cloud project');
  }

  protected buildRequest(texts: readonly string[]): JsonRequest {
    const token = this.requireVariable([VERTEX_TOKEN_VARIABLE], 'the Google Cloud access token');
    const project = this.requireVariable([VERTEX_PROJECT_VARIABLE], 'the Google Cloud project');
    const location = this.env[VERTEX_LOCATION_VARIABLE]?.trim() || 'us-central1';
    const base = this.explicitBaseUrl ? this.baseUrl : `https://${location}-aiplatform.googleapis.com/v1`;
    const parameters: Record<string, unknown> = {};
    if (this.dimensions !== undefined) parameters['outputDimensionality'] = this.dimensions;
    const body = { instances: texts.map((content) => ({ content, task_type: this.taskType })), parameters };
    return {
      url: `${base}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/publishers/google/models/${encodeURIComponent(this.model)}:predict`,
      headers: () => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` }),
      body: JSON.stringify(body),
      provider: this.provider,
      secrets: [token],
    };
  }

  protected parseResponse(json: unknown, count: number): BatchResult {
    const body = asObject(json, this.provider, 'a JSON object');
    const predictions = checkCount(body['predictions'], count, this.provider, 'predictions');
    let tokens: number | undefined = 0;
    const vectors = predictions.map((entry) => {
      const embeddings = asObject(asObject(entry, this.provider, 'predictions[] objects')['embeddings'], this.provider, 'predictions[].embeddings');
      const statistics = embeddings['statistics'];
      const count = statistics !== null && typeof statistics === 'object' ? tokenCount((statistics as Record<string, unknown>)['token_count']) : undefined;
      tokens = tokens === undefined || count === undefined ? undefined : tokens + count;
      return embeddings['values'];
    });
    return { vectors, tokens };
  }
}

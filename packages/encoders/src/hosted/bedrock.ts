/**
 * Amazon Bedrock, Titan Text Embeddings V2: `POST /model/amazon.titan-embed-text-v2:0/invoke` on
 * `bedrock-runtime.{region}.amazonaws.com`, one text per call, body `{ inputText, dimensions,
 * normalize }` (dimensions 1024 default, 512 or 256), answered with `{ embedding,
 * inputTextTokenCount, embeddingsByType }` ("Amazon Titan Embeddings Text",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html; up to
 * 8,192 tokens or 50,000 characters per text, "Amazon Titan Text Embeddings models",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/titan-embedding-models.html; both read
 * 2026-12-04). Signed with SigV4 (service `bedrock`) from `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`, region `AWS_REGION` (or
 * `AWS_DEFAULT_REGION`). One text per request, so four requests are in flight by default.
 */
import type { JsonRequest } from './http';
import { HostedEmbedder, asObject, resolveDimension, tokenCount } from './hosted-embedder';
import type { BatchResult, HostedOptions } from './hosted-embedder';
import { priceOf } from './prices';
import { signV4 } from './sigv4';

/** Options of {@link BedrockTitanEmbedder}. */
export interface BedrockOptions extends HostedOptions {
  /** Default `'amazon.titan-embed-text-v2:0'`. */
  readonly model?: string;
  /** 1024 (default), 512 or 256. */
  readonly dimensions?: number;
  /** Unit-length vectors from the API. Default true (the API's default). */
  readonly normalize?: boolean;
  /** The clock signatures are dated with (tests). Default `() => new Date()`. */
  readonly now?: () => Date;
}

export const AWS_ACCESS_KEY_VARIABLE = 'AWS_ACCESS_KEY_ID';
export const AWS_SECRET_VARIABLE = 'AWS_SECRET_ACCESS_KEY';
export const AWS_SESSION_TOKEN_VARIABLE = 'AWS_SESSION_TOKEN';
export const AWS_REGION_VARIABLES: readonly string[] = ['AWS_REGION', 'AWS_DEFAULT_REGION'];

const MODELS: Readonly<Record<string, { dimension: number; allowed: readonly number[] }>> = {
  'amazon.titan-embed-text-v2:0': { dimension: 1024, allowed: [1024, 512, 256] },
};

/** Titan Text Embeddings V2 on Amazon Bedrock behind the {@link Embedder} contract. */
export class BedrockTitanEmbedder extends HostedEmbedder {
  readonly provider = 'Bedrock';
  private readonly normalize: boolean;
  private readonly now: () => Date;
  private readonly explicitBaseUrl: boolean;

  constructor(options: BedrockOptions = {}) {
    const model = options.model ?? 'amazon.titan-embed-text-v2:0';
    const dimension = resolveDimension('Bedrock', model, options.dimensions, MODELS[model]);
    if (options.normalize !== undefined && typeof options.normalize !== 'boolean') {
      throw new TypeError(`Bedrock: normalize must be a boolean, got ${String(options.normalize)}`);
    }
    if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('Bedrock: now must be a function returning a Date');
    super(
      'Bedrock',
      {
        model,
        dimension,
        price: priceOf(`bedrock:${model}`, 'https://aws.amazon.com/bedrock/pricing/'),
        limits: { maxBatchSize: 1, maxTokensPerRequest: Number.POSITIVE_INFINITY, maxTokens: 8192 },
        baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
        concurrency: 4,
      },
      options,
    );
    this.normalize = options.normalize ?? true;
    this.now = options.now ?? (() => new Date());
    this.explicitBaseUrl = options.baseUrl !== undefined;
  }

  credentialsAvailable(): boolean {
    return this.hasVariable([AWS_ACCESS_KEY_VARIABLE]) && this.hasVariable([AWS_SECRET_VARIABLE]) && this.hasVariable(AWS_REGION_VARIABLES);
  }

  protected checkCredentials(): void {
    this.requireVariable([AWS_ACCESS_KEY_VARIABLE], 'the AWS access key id');
    this.requireVariable([AWS_SECRET_VARIABLE], 'the AWS secret access key');
    this.requireVariable(AWS_REGION_VARIABLES, 'the AWS region');
  }

  protected buildRequest(texts: readonly string[]): JsonRequest {
    const accessKeyId = this.requireVariable([AWS_ACCESS_KEY_VARIABLE], 'the AWS access key id');
    const secretAccessKey = this.requireVariable([AWS_SECRET_VARIABLE], 'the AWS secret access key');
    const region = this.requireVariable(AWS_REGION_VARIABLES, 'the AWS region');
    const sessionToken = this.env[AWS_SESSION_TOKEN_VARIABLE]?.trim() || undefined;
    const base = this.explicitBaseUrl ? this.baseUrl : `https://bedrock-runtime.${region}.amazonaws.com`;
    const url = new URL(`${base}/model/${encodeURIComponent(this.model)}/invoke`);
    const body = JSON.stringify({ inputText: texts[0] ?? '', dimensions: this.dimension, normalize: this.normalize });
    const credentials = { accessKeyId, secretAccessKey, sessionToken };
    return {
      url: url.toString(),
      // Signed per attempt: the signature carries the time, and AWS refuses one older than 5 minutes.
      headers: () =>
        signV4(
          { method: 'POST', url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body, region, service: 'bedrock' },
          credentials,
          this.now(),
        ).headers,
      body,
      provider: this.provider,
      secrets: sessionToken === undefined ? [secretAccessKey, accessKeyId] : [secretAccessKey, sessionToken, accessKeyId],
    };
  }

  protected parseResponse(json: unknown, count: number): BatchResult {
    const body = asObject(json, this.provider, 'a JSON object');
    return { vectors: count === 1 ? [body['embedding']] : [], tokens: tokenCount(body['inputTextTokenCount']) };
  }
}

/**
 * @embedkit/encoders: the `Embedder` contract that every embedding family implements — static
 * vectors pooled into sentence vectors, contextual encoders run offline, hosted embedding APIs.
 */

// The contract
export { LOCAL_PRICE } from './embedder';
export type {
  EmbedCost,
  EmbedOptions,
  EmbedPrice,
  EmbedProgress,
  Embedder,
  EmbedderFamily,
  EmbeddingBatch,
  TokenEmbeddings,
} from './embedder';

// Static word vectors as sentence embedders (pooling itself: SentencePooler in @embedkit/vectors)
export { StaticEmbedder, STATIC_BATCH_SIZE } from './static/static-embedder';
export type { SifEmbedderOptions, StaticEmbedderOptions } from './static/static-embedder';

// Hosted APIs (keys from the environment only)
export { HostedEmbedder, estimateTokens } from './hosted/hosted-embedder';
export type { Environment, HostedLimits, HostedOptions, HostedStats } from './hosted/hosted-embedder';
export { RETRY_DEFAULTS } from './hosted/http';
export type { RetryOptions } from './hosted/http';
export { OpenAIEmbedder, OPENAI_KEY_VARIABLE, OPENAI_MAX_BATCH } from './hosted/openai';
export type { OpenAIOptions } from './hosted/openai';
export { CohereEmbedder, COHERE_KEY_VARIABLE, COHERE_MAX_BATCH } from './hosted/cohere';
export type { CohereInputType, CohereOptions } from './hosted/cohere';
export {
  GeminiEmbedder,
  VertexEmbedder,
  GEMINI_KEY_VARIABLES,
  GEMINI_MAX_BATCH,
  VERTEX_LOCATION_VARIABLE,
  VERTEX_MAX_BATCH,
  VERTEX_PROJECT_VARIABLE,
  VERTEX_TOKEN_VARIABLE,
} from './hosted/google';
export type { GoogleOptions, GoogleTaskType } from './hosted/google';
export {
  BedrockTitanEmbedder,
  AWS_ACCESS_KEY_VARIABLE,
  AWS_REGION_VARIABLES,
  AWS_SECRET_VARIABLE,
  AWS_SESSION_TOKEN_VARIABLE,
} from './hosted/bedrock';
export type { BedrockOptions } from './hosted/bedrock';
export { signV4 } from './hosted/sigv4';
export type { AwsCredentials, Signature, SignableRequest } from './hosted/sigv4';
export { HOSTED_PRICES, PRICES_CHECKED } from './hosted/prices';
export type { PriceEntry } from './hosted/prices';
export { defaultHostedEmbedders } from './hosted/catalogue';

// Contextual encoders run offline: a BERT-family ONNX model from a local directory
export { loadOnnxEncoder, findOnnxModelFiles, OnnxEncoder, ONNX_BATCH_SIZE, ONNX_MODEL_FILES, ONNX_TOKEN_OUTPUT, DEFAULT_MAX_TOKENS } from './contextual/onnx-encoder';
export type { OnnxEncoderOptions, OnnxModelFiles } from './contextual/onnx-encoder';

// Errors
export type { EncodersErrorCode } from './errors';

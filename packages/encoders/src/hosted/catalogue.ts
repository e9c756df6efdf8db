/**
 * Every hosted adapter with its default model, for a harness that lists them all: each reports
 * whether its credentials are in the environment (`credentialsAvailable()`), so rows without a
 * key can be shown with their documented figures and marked "not measured".
 */
import { BedrockTitanEmbedder } from './bedrock';
import { CohereEmbedder } from './cohere';
import { GeminiEmbedder, VertexEmbedder } from './google';
import type { HostedEmbedder, HostedOptions } from './hosted-embedder';
import { OpenAIEmbedder } from './openai';

/** One adapter per provider (OpenAI, Cohere, Gemini, Vertex AI, Bedrock), default models. */
export function defaultHostedEmbedders(options: Pick<HostedOptions, 'env'> = {}): HostedEmbedder[] {
  const shared = options.env === undefined ? {} : { env: options.env };
  return [
    new OpenAIEmbedder({ ...shared, model: 'text-embedding-3-small' }),
    new OpenAIEmbedder({ ...shared, model: 'text-embedding-3-large' }),
    new CohereEmbedder(shared),
    new GeminiEmbedder(shared),
    new VertexEmbedder(shared),
    new BedrockTitanEmbedder(shared),
  ];
}

/**
 * From a row of the table to a working {@link Embedder}, and what is known about a row that
 * cannot run here (a hosted API without its key: its documented dimension and dated price).
 */
import {
  AWS_ACCESS_KEY_VARIABLE,
  AWS_REGION_VARIABLES,
  AWS_SECRET_VARIABLE,
  BedrockTitanEmbedder,
  COHERE_KEY_VARIABLE,
  CohereEmbedder,
  GEMINI_KEY_VARIABLES,
  GeminiEmbedder,
  LOCAL_PRICE,
  OPENAI_KEY_VARIABLE,
  OpenAIEmbedder,
  RETRY_DEFAULTS,
  VERTEX_PROJECT_VARIABLE,
  VERTEX_TOKEN_VARIABLE,
  VertexEmbedder,
  type EmbedPrice,
  type Environment,
  type HostedEmbedder,
} from '@embedkit/encoders';
import { EmbedkitError, isEmbedkitError } from '@embedkit/errors';
import type { FamiliesData } from './data';
import { buildContextualRow, buildStaticRow, type BuiltEmbedder, type FamiliesSettings, type FamilyRowSpec } from './rows';

/** What a row needs to be built. */
export interface BuildContext {
  readonly corpusPath: string;
  /** The evaluation data (for notes about it, such as the share of words a model maps to `<unk>`). */
  readonly data: FamiliesData;
  readonly settings: FamiliesSettings;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** A hosted row: how to make its adapter and which variables its credentials are in. */
interface HostedRow {
  readonly spec: Extract<FamilyRowSpec, { kind: 'hosted' }>;
  /** Credentials, as the adapter reads them (any one of a group of alternatives). */
  readonly variables: readonly string[];
  /** Points the adapter at another server (a proxy, or a 127.0.0.1 test server). */
  readonly baseUrlVariable: string;
  make(env: Environment, baseUrl: string | undefined): HostedEmbedder;
}

const options = (env: Environment, baseUrl: string | undefined) => ({ env, ...(baseUrl ? { baseUrl } : {}) });

/** The hosted rows, one per adapter of @embedkit/encoders (default models). */
export const HOSTED_ROWS: readonly HostedRow[] = [
  {
    spec: { kind: 'hosted', id: 'openai-3-small', label: 'OpenAI text-embedding-3-small', provider: 'openai' },
    variables: [OPENAI_KEY_VARIABLE],
    baseUrlVariable: 'EMBEDKIT_OPENAI_BASE_URL',
    make: (env, baseUrl) => new OpenAIEmbedder({ ...options(env, baseUrl), model: 'text-embedding-3-small' }),
  },
  {
    spec: { kind: 'hosted', id: 'openai-3-large', label: 'OpenAI text-embedding-3-large', provider: 'openai' },
    variables: [OPENAI_KEY_VARIABLE],
    baseUrlVariable: 'EMBEDKIT_OPENAI_BASE_URL',
    make: (env, baseUrl) => new OpenAIEmbedder({ ...options(env, baseUrl), model: 'text-embedding-3-large' }),
  },
  {
    spec: { kind: 'hosted', id: 'cohere', label: 'Cohere embed', provider: 'cohere' },
    variables: [COHERE_KEY_VARIABLE],
    baseUrlVariable: 'EMBEDKIT_COHERE_BASE_URL',
    make: (env, baseUrl) => new CohereEmbedder(options(env, baseUrl)),
  },
  {
    spec: { kind: 'hosted', id: 'gemini', label: 'Google Gemini embeddings', provider: 'gemini' },
    variables: [GEMINI_KEY_VARIABLES.join(' or ')],
    baseUrlVariable: 'EMBEDKIT_GEMINI_BASE_URL',
    make: (env, baseUrl) => new GeminiEmbedder(options(env, baseUrl)),
  },
  {
    spec: { kind: 'hosted', id: 'vertex', label: 'Google Vertex AI text embeddings', provider: 'vertex' },
    variables: [VERTEX_TOKEN_VARIABLE, VERTEX_PROJECT_VARIABLE],
    baseUrlVariable: 'EMBEDKIT_VERTEX_BASE_URL',
    make: (env, baseUrl) => new VertexEmbedder(options(env, baseUrl)),
  },
  {
    spec: { kind: 'hosted', id: 'bedrock-titan', label: 'Amazon Bedrock Titan embeddings', provider: 'bedrock' },
    variables: [AWS_ACCESS_KEY_VARIABLE, AWS_SECRET_VARIABLE, AWS_REGION_VARIABLES.join(' or ')],
    baseUrlVariable: 'EMBEDKIT_BEDROCK_BASE_URL',
    make: (env, baseUrl) => new BedrockTitanEmbedder(options(env, baseUrl)),
  },
];

function hostedRow(spec: FamilyRowSpec): HostedRow {
  const row = HOSTED_ROWS.find((candidate) => candidate.spec.id === spec.id);
  if (!row) throw new Error(`No hosted adapter for row ${spec.id}.`);
  return row;
}

function hostedEmbedder(spec: FamilyRowSpec, env: NodeJS.ProcessEnv): HostedEmbedder {
  const row = hostedRow(spec);
  return row.make(env, env[row.baseUrlVariable] || undefined);
}

/** The base URL as it may be printed: a `user:password@` part is never shown. */
export function withoutCredentials(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (url.username === '' && url.password === '') return baseUrl;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(a base URL that is not a valid URL)';
  }
}

/**
 * A hosted row's failure as its row shows it. The adapters' TIMEOUT and RETRIES_EXHAUSTED end with
 * advice in their option names (raise timeoutMs, maxRetries), which the comparison has no flags
 * for: the fault is kept, the advice becomes what its user can do.
 */
export function hostedFailure(error: unknown): unknown {
  if (!isEmbedkitError(error, 'TIMEOUT') && !isEmbedkitError(error, 'RETRIES_EXHAUSTED')) return error;
  const advice = error.message.lastIndexOf('; ');
  const fault = advice < 0 ? error.message : error.message.slice(0, advice);
  const tries = `each request is tried ${RETRY_DEFAULTS.maxRetries + 1} times, ${RETRY_DEFAULTS.timeoutMs / 1000} s at most each`;
  return new EmbedkitError(error.code, `${fault}; run the comparison again later (${tries})`, { cause: error });
}

/** Builds the row's embedder (training it when it is a static model). */
export async function buildRow(spec: FamilyRowSpec, context: BuildContext): Promise<BuiltEmbedder> {
  switch (spec.kind) {
    case 'static':
      return buildStaticRow(spec, context.corpusPath, context.settings, context.signal);
    case 'hosted': {
      const embedder = hostedEmbedder(spec, context.env);
      const baseUrl = context.env[hostedRow(spec).baseUrlVariable];
      return { embedder, trainCpuSeconds: null, trainWallSeconds: null, trainTokens: null, notes: [`model ${embedder.model}`, ...(baseUrl ? [`served by ${withoutCredentials(baseUrl)}`] : [])] };
    }
    case 'contextual':
      return buildContextualRow(spec, context.corpusPath, context.settings, context.signal);
  }
}

/** Null when the row can run with this environment; otherwise why not (shown in its row). */
export function rowUnavailableReason(spec: FamilyRowSpec, env: NodeJS.ProcessEnv, settings: FamiliesSettings): string | null {
  if (spec.kind === 'contextual') return spec.encoder === 'onnx' && !settings.onnxModel ? 'give --onnx-model DIR, a local BERT-family ONNX export, to measure it' : null;
  if (spec.kind !== 'hosted') return null;
  if (hostedEmbedder(spec, env).credentialsAvailable()) return null;
  return `set ${hostedRow(spec).variables.join(', ')} to measure it`;
}

/** The figures a row has without running it: its family, and for hosted APIs their documented dimension and price. */
export function documentedFigures(spec: FamilyRowSpec, env: NodeJS.ProcessEnv): { family: string; dimension: number | null; price: EmbedPrice | null; notes: string[] } {
  if (spec.kind === 'hosted') {
    const embedder = hostedEmbedder(spec, env);
    return { family: 'hosted', dimension: embedder.dimension, price: embedder.price, notes: [`model ${embedder.model}; dimension and price as documented`] };
  }
  if (spec.kind === 'contextual') return { family: 'contextual', dimension: null, price: LOCAL_PRICE, notes: [] };
  const family = spec.algorithm === 'skipgram' || spec.algorithm === 'cbow' ? 'word2vec' : spec.algorithm;
  return { family, dimension: null, price: null, notes: [] };
}

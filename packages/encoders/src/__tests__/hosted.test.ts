/**
 * The hosted adapters against a loopback server replaying each API's documented response shape:
 * request shape and auth, vectors in input order, token accounting, batching within the limits,
 * retries on 429 (Retry-After honoured) and 5xx, timeouts, abort, missing keys, and that no key
 * reaches an error message or its cause chain. One suite, run for every adapter.
 */
import { inspect } from 'node:util';
import { isEmbedkitError } from '@embedkit/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BedrockTitanEmbedder,
  CohereEmbedder,
  GeminiEmbedder,
  OpenAIEmbedder,
  VertexEmbedder,
  defaultHostedEmbedders,
} from '../index';
import type { Environment, HostedEmbedder } from '../index';
import { fixture, startLoopback, vectorFor } from './loopback';
import type { Loopback, Recorded, Reply } from './loopback';

const FAST = { retryBaseDelayMs: 1, retryMaxDelayMs: 5, timeoutMs: 2000 };

interface Case {
  readonly provider: string;
  readonly env: Environment;
  /** Every value of `env` that is secret. */
  readonly secrets: readonly string[];
  readonly missingVariable: RegExp;
  readonly maxBatch: number;
  make(baseUrl: string, extra?: Record<string, unknown>): HostedEmbedder;
  /** The texts a request carries. */
  inputs(request: Recorded): string[];
  /** The documented answer for those texts, vectors of `dim`. */
  answer(texts: string[], dim: number): unknown;
  /** Checks path and credentials of a request. */
  checkRequest(request: Recorded): void;
  /** Tokens the answer reports for `texts` (undefined: the API reports none). */
  tokens(texts: string[]): number | undefined;
}

const OPENAI_KEY = 'sk-test-openai-0123456789abcdef';
const COHERE_KEY = 'co-test-key-abcdef0123456789';
const GEMINI_KEY = 'AIza-test-gemini-key-0123456789';
const VERTEX_TOKEN = 'ya29.test-access-token-0123456789';
const AWS = { id: 'AKIDEXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', token: 'session-token-0123456789' };

const cases: Case[] = [
  {
    provider: 'OpenAI',
    env: { OPENAI_API_KEY: OPENAI_KEY },
    secrets: [OPENAI_KEY],
    missingVariable: /OPENAI_API_KEY/,
    maxBatch: 2048,
    make: (baseUrl, extra) => new OpenAIEmbedder({ baseUrl, dimensions: 8, env: { OPENAI_API_KEY: OPENAI_KEY }, ...FAST, ...extra }),
    inputs: (r) => (r.json as { input: string[] }).input,
    answer: (texts, dim) => {
      const body = fixture('openai-embeddings.json');
      // Returned in reverse order, with their indexes: the adapter must put them back.
      const data = texts.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dim) })).reverse();
      return { ...body, data, usage: { prompt_tokens: 3 * texts.length, total_tokens: 3 * texts.length } };
    },
    checkRequest: (r) => {
      expect(r.url).toBe('/embeddings');
      expect(r.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(r.json).toMatchObject({ model: 'text-embedding-3-small', dimensions: 8, encoding_format: 'float' });
    },
    tokens: (texts) => 3 * texts.length,
  },
  {
    provider: 'Cohere',
    env: { COHERE_API_KEY: COHERE_KEY },
    secrets: [COHERE_KEY],
    missingVariable: /COHERE_API_KEY/,
    maxBatch: 96,
    make: (baseUrl, extra) => new CohereEmbedder({ baseUrl, dimensions: 256, env: { COHERE_API_KEY: COHERE_KEY }, ...FAST, ...extra }),
    inputs: (r) => (r.json as { texts: string[] }).texts,
    answer: (texts, dim) => {
      const body = fixture('cohere-embed-v2.json');
      return {
        ...body,
        embeddings: { float: texts.map((text) => vectorFor(text, dim)) },
        texts,
        meta: { api_version: { version: '2' }, billed_units: { input_tokens: 2 * texts.length } },
      };
    },
    checkRequest: (r) => {
      expect(r.url).toBe('/v2/embed');
      expect(r.headers.authorization).toBe(`Bearer ${COHERE_KEY}`);
      expect(r.json).toMatchObject({ model: 'embed-v4.0', input_type: 'clustering', embedding_types: ['float'], output_dimension: 256 });
    },
    tokens: (texts) => 2 * texts.length,
  },
  {
    provider: 'Gemini',
    env: { GEMINI_API_KEY: GEMINI_KEY },
    secrets: [GEMINI_KEY],
    missingVariable: /GEMINI_API_KEY or GOOGLE_API_KEY/,
    maxBatch: 100,
    make: (baseUrl, extra) => new GeminiEmbedder({ baseUrl, dimensions: 8, env: { GEMINI_API_KEY: GEMINI_KEY }, ...FAST, ...extra }),
    inputs: (r) => (r.json as { requests: { content: { parts: { text: string }[] } }[] }).requests.map((q) => q.content.parts[0]?.text ?? ''),
    answer: (texts, dim) => ({ ...fixture('gemini-batch-embed-contents.json'), embeddings: texts.map((text) => ({ values: vectorFor(text, dim) })) }),
    checkRequest: (r) => {
      expect(r.url).toBe('/models/gemini-embedding-001:batchEmbedContents');
      expect(r.headers['x-goog-api-key']).toBe(GEMINI_KEY);
      const first = (r.json as { requests: unknown[] }).requests[0];
      expect(first).toMatchObject({ model: 'models/gemini-embedding-001', taskType: 'SEMANTIC_SIMILARITY', outputDimensionality: 8 });
    },
    tokens: () => undefined,
  },
  {
    provider: 'Vertex AI',
    env: { GOOGLE_OAUTH_ACCESS_TOKEN: VERTEX_TOKEN, GOOGLE_CLOUD_PROJECT: 'demo-project', GOOGLE_CLOUD_LOCATION: 'europe-west4' },
    secrets: [VERTEX_TOKEN],
    missingVariable: /GOOGLE_OAUTH_ACCESS_TOKEN/,
    maxBatch: 250,
    make: (baseUrl, extra) =>
      new VertexEmbedder({
        baseUrl,
        dimensions: 8,
        env: { GOOGLE_OAUTH_ACCESS_TOKEN: VERTEX_TOKEN, GOOGLE_CLOUD_PROJECT: 'demo-project', GOOGLE_CLOUD_LOCATION: 'europe-west4' },
        ...FAST,
        ...extra,
      }),
    inputs: (r) => (r.json as { instances: { content: string }[] }).instances.map((i) => i.content),
    answer: (texts, dim) => ({
      ...fixture('vertex-predict.json'),
      predictions: texts.map((text) => ({ embeddings: { statistics: { truncated: false, token_count: 4 }, values: vectorFor(text, dim) } })),
    }),
    checkRequest: (r) => {
      expect(r.url).toBe('/projects/demo-project/locations/europe-west4/publishers/google/models/text-embedding-005:predict');
      expect(r.headers.authorization).toBe(`Bearer ${VERTEX_TOKEN}`);
      expect(r.json).toMatchObject({ parameters: { outputDimensionality: 8 } });
    },
    tokens: (texts) => 4 * texts.length,
  },
  {
    provider: 'Bedrock',
    env: { AWS_ACCESS_KEY_ID: AWS.id, AWS_SECRET_ACCESS_KEY: AWS.secret, AWS_SESSION_TOKEN: AWS.token, AWS_REGION: 'eu-central-1' },
    secrets: [AWS.secret, AWS.token],
    missingVariable: /AWS_ACCESS_KEY_ID/,
    maxBatch: 1,
    make: (baseUrl, extra) =>
      new BedrockTitanEmbedder({
        baseUrl,
        dimensions: 256,
        env: { AWS_ACCESS_KEY_ID: AWS.id, AWS_SECRET_ACCESS_KEY: AWS.secret, AWS_SESSION_TOKEN: AWS.token, AWS_REGION: 'eu-central-1' },
        ...FAST,
        ...extra,
      }),
    inputs: (r) => [(r.json as { inputText: string }).inputText],
    answer: (texts, dim) => {
      const embedding = vectorFor(texts[0] as string, dim);
      return { ...fixture('bedrock-titan-v2.json'), embedding, inputTextTokenCount: 5, embeddingsByType: { float: embedding } };
    },
    checkRequest: (r) => {
      expect(r.url).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
      expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/bedrock\/aws4_request, /);
      expect(r.headers['x-amz-security-token']).toBe(AWS.token);
      expect(r.json).toMatchObject({ dimensions: 256, normalize: true });
    },
    tokens: (texts) => 5 * texts.length,
  },
];

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

/** Answers every request with the documented shape for its inputs. */
function replay(c: Case, dim: number): (request: Recorded) => Reply {
  return (request) => ({ status: 200, body: c.answer(c.inputs(request), dim) });
}

/** Everything `--verbose` would print of an error: messages, stacks and the whole cause chain. */
function everythingPrinted(error: unknown): string {
  let text = inspect(error, { depth: null });
  let cause: unknown = error;
  while (cause instanceof Error) {
    text += `\n${cause.message}\n${cause.stack ?? ''}\n${inspect(cause, { depth: null, showHidden: true })}`;
    cause = cause.cause;
  }
  return text;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.each(cases)('$provider adapter', (c) => {
  it('sends the documented request and returns the vectors in input order, with the usage counted', async () => {
    const embedder = c.make(server.baseUrl);
    server.respond(replay(c, embedder.dimension));
    const texts = ['the river bank', 'a bank loan', '', 'interest rates rose'];
    const batch = await embedder.embed(texts);
    expect(batch.count).toBe(4);
    expect(batch.missing).toEqual([2]); // the empty text is not sent
    const dim = embedder.dimension;
    for (const i of [0, 1, 3]) {
      expect(Array.from(batch.vectors.subarray(i * dim, (i + 1) * dim))).toEqual(vectorFor(texts[i] as string, dim));
    }
    expect(Array.from(batch.vectors.subarray(2 * dim, 3 * dim)).every((v) => v === 0)).toBe(true);
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      c.checkRequest(request);
      expect(request.headers['content-type']).toBe('application/json');
    }
    const sent = server.requests.flatMap((r) => c.inputs(r));
    expect(sent).toEqual(['the river bank', 'a bank loan', 'interest rates rose']);
    const reported = c.tokens(sent);
    if (reported === undefined) {
      expect(batch.cost.estimated).toBe(true);
      expect(batch.cost.tokens).toBe(embedder.estimateCost(sent).tokens);
    } else {
      expect(batch.cost).toMatchObject({ tokens: reported, estimated: false });
    }
    expect(embedder.stats.requests).toBe(server.requests.length);
    expect(embedder.credentialsAvailable()).toBe(true);
  });

  it(`splits the texts into requests of at most ${c.maxBatch}`, async () => {
    const embedder = c.make(server.baseUrl);
    server.respond(replay(c, embedder.dimension));
    const count = c.maxBatch === 1 ? 3 : c.maxBatch + 2;
    const texts = Array.from({ length: count }, (_, i) => `text number ${i}`);
    const progress: number[] = [];
    const batch = await embedder.embed(texts, { onProgress: (p) => progress.push(p.done) });
    const sizes = server.requests.map((r) => c.inputs(r).length).sort((a, b) => b - a);
    expect(sizes).toEqual(c.maxBatch === 1 ? [1, 1, 1] : [c.maxBatch, 2]);
    expect(progress[progress.length - 1]).toBe(count);
    const dim = embedder.dimension;
    const last = count - 1;
    expect(Array.from(batch.vectors.subarray(last * dim, count * dim))).toEqual(vectorFor(`text number ${last}`, dim));
    await expect(embedder.embed(texts, { batchSize: c.maxBatch + 1 })).rejects.toThrow(new RegExp(`batchSize must be an integer from 1 to ${c.maxBatch}`));
  });

  it('retries a 429 after its Retry-After, and counts the retry', async () => {
    const embedder = c.make(server.baseUrl);
    const ok = replay(c, embedder.dimension);
    server.respond((request, index) =>
      index === 0 ? { status: 429, body: { error: { message: 'Rate limit reached' } }, headers: { 'retry-after': '0' } } : ok(request),
    );
    const batch = await embedder.embed(['one text']);
    expect(batch.missing).toEqual([]);
    expect(server.requests.length).toBe(2);
    expect(embedder.stats.retries).toBe(1);
    expect(embedder.stats.requests).toBe(1);
  });

  it('gives up after maxRetries on 500 with an error that says what happened and what to do', async () => {
    const embedder = c.make(server.baseUrl, { maxRetries: 2 });
    server.respond(() => ({ status: 500, body: { error: { message: 'The server had an error' } } }));
    const error = await rejection(embedder.embed(['one text']));
    expect(isEmbedkitError(error, 'RETRIES_EXHAUSTED')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^${c.provider} failed on all 3 attempts \\(last: HTTP 500: The server had an error\\); try later or raise maxRetries$`));
    expect(server.requests.length).toBe(3);
  });

  it('abandons a request that takes longer than timeoutMs (TIMEOUT after every attempt timed out)', async () => {
    const embedder = c.make(server.baseUrl, { timeoutMs: 100, maxRetries: 1 });
    server.respond(() => 'hang');
    const started = Date.now();
    const error = await rejection(embedder.embed(['slow']));
    expect(isEmbedkitError(error, 'TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(/did not answer within 100 ms on any of 2 attempts; raise timeoutMs/);
    expect(server.requests.length).toBe(2);
    expect(Date.now() - started).toBeLessThan(1900); // well under the 2 s a single default attempt would take here
  });

  it('stops on abort, also while a request is in flight', async () => {
    const embedder = c.make(server.baseUrl, { timeoutMs: 10_000 });
    server.respond(() => 'hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 50);
    const error = await rejection(embedder.embed(['one', 'two'], { signal: controller.signal }));
    expect(isEmbedkitError(error, 'ABORTED')).toBe(true);
    expect(((error as Error).cause as Error).message).toBe('user pressed ctrl-c');
    const before = server.requests.length;
    await expect(embedder.embed(['x'], { signal: AbortSignal.abort() })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
    expect(server.requests.length).toBe(before);
  });

  it('names the missing environment variable, and sends nothing', async () => {
    const embedder = c.make(server.baseUrl, { env: {} });
    expect(embedder.credentialsAvailable()).toBe(false);
    const error = await rejection(embedder.embed(['one text']));
    expect(isEmbedkitError(error, 'MISSING_API_KEY')).toBe(true);
    expect((error as Error).message).toMatch(c.missingVariable);
    expect((error as Error).message).toMatch(/environment/);
    expect(server.requests.length).toBe(0);
    // Building, listing and pricing need no key.
    expect(embedder.estimateCost(['one text']).estimated).toBe(true);
  });

  it('keeps the key out of error messages and the --verbose cause chain', async () => {
    // A 401 whose body echoes the key (as OpenAI's does), and a network error on a closed port.
    const embedder = c.make(server.baseUrl);
    server.respond(() => {
      const body = JSON.stringify(fixture('openai-error-401.json')).replace('{KEY}', c.secrets.join(' '));
      return { status: 401, body };
    });
    const refused = await rejection(embedder.embed(['one text']));
    expect(isEmbedkitError(refused, 'REQUEST_FAILED')).toBe(true);
    expect((refused as Error).message).toMatch(/HTTP 401: Incorrect API key provided: \[redacted\]/);
    expect((refused as Error).message).toMatch(/check that the key in the environment variable is valid/);
    const closed = await startLoopback();
    await closed.close();
    const unreachable = c.make(closed.baseUrl, { maxRetries: 1 });
    const network = await rejection(unreachable.embed(['one text']));
    expect(isEmbedkitError(network, 'RETRIES_EXHAUSTED')).toBe(true);
    expect((network as Error).message).toMatch(/network error/);
    for (const error of [refused, network]) {
      const printed = everythingPrinted(error);
      for (const secret of c.secrets) expect(printed).not.toContain(secret);
    }
  });
});

describe('hosted adapters: settings and catalogue', () => {
  it('lists every provider with documented dimensions and prices that are numbers or plainly unknown', () => {
    const all = defaultHostedEmbedders({ env: {} });
    expect(all.map((e) => e.name)).toEqual([
      'openai:text-embedding-3-small',
      'openai:text-embedding-3-large',
      'cohere:embed-v4.0',
      'gemini:gemini-embedding-001',
      'vertex:text-embedding-005',
      'bedrock:amazon.titan-embed-text-v2:0',
    ]);
    expect(all.map((e) => e.dimension)).toEqual([1536, 3072, 1536, 3072, 768, 1024]);
    for (const e of all) {
      expect(e.family).toBe('hosted');
      expect(e.credentialsAvailable()).toBe(false);
      const price = e.price.usdPerMillionTokens;
      expect(price === undefined || (price > 0 && Number.isFinite(price))).toBe(true);
      expect(e.price.source).toMatch(/^https:\/\//);
      // A dated figure; an unknown one says why.
      expect(e.price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (price === undefined) expect(e.price.note).toMatch(/\w/);
      expect(e.estimateCost(['abcdefgh']).usd).toBe(price === undefined ? undefined : (2 * price) / 1e6);
    }
  });

  it('rejects sizes a model does not give and unknown models without dimensions', () => {
    expect(() => new BedrockTitanEmbedder({ dimensions: 300 })).toThrow(/gives 1024, 512, 256 dimensions, not 300/);
    expect(() => new OpenAIEmbedder({ model: 'text-embedding-ada-002', dimensions: 256 })).toThrow(/does not take dimensions/);
    expect(() => new OpenAIEmbedder({ model: 'some-new-model' })).toThrow(/pass dimensions/);
    expect(new OpenAIEmbedder({ model: 'some-new-model', dimensions: 64 }).dimension).toBe(64);
    expect(() => new CohereEmbedder({ inputType: 'query' as never })).toThrow(/inputType must be one of/);
    expect(() => new GeminiEmbedder({ baseUrl: 'not a url' })).toThrow(/baseUrl must be an absolute URL/);
    expect(() => new OpenAIEmbedder({ timeoutMs: 0 })).toThrow(/timeoutMs must be a number ≥ 1/);
  });

  it('stops the other requests in flight when one fails, and reports that failure', async () => {
    const bedrock = cases[4] as Case;
    const embedder = bedrock.make(server.baseUrl, { timeoutMs: 20_000, concurrency: 4 });
    server.respond((_, index) => (index === 0 ? { status: 400, body: { message: 'Malformed input request' } } : 'hang'));
    const started = Date.now();
    const error = await rejection(embedder.embed(Array.from({ length: 10 }, (_, i) => `text ${i}`)));
    expect(isEmbedkitError(error, 'REQUEST_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/HTTP 400: Malformed input request/);
    expect(server.requests.length).toBe(4); // the four in flight; no fifth was started
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects an answer with the wrong vector length, naming the expected length', async () => {
    const embedder = new OpenAIEmbedder({ baseUrl: server.baseUrl, dimensions: 8, env: { OPENAI_API_KEY: OPENAI_KEY }, ...FAST });
    server.respond((r) => ({ status: 200, body: (cases[0] as Case).answer((cases[0] as Case).inputs(r), 5) }));
    const error = await rejection(embedder.embed(['x']));
    expect(isEmbedkitError(error, 'BAD_RESPONSE')).toBe(true);
    expect((error as Error).message).toMatch(/a vector of 5 values for text 0 of a request where 8 were expected/);
  });
});

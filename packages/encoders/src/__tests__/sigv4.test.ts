/**
 * SigV4 against AWS's published test suite (aws-sig-v4-test-suite: get-vanilla,
 * get-vanilla-query-order-key-case, post-vanilla; credentials AKIDEXAMPLE /
 * wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30T12:36:00Z, us-east-1, service "service"),
 * the Bedrock adapter's requests checked by a loopback server that recomputes each signature
 * from what it received, and the retry helpers' Retry-After and backoff rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockTitanEmbedder, signV4 } from '../index';
import { backoff, parseRetryAfter, RETRY_DEFAULTS } from '../hosted/http';
import { signingKey } from '../hosted/sigv4';
import { startLoopback, vectorFor } from './loopback';
import type { Loopback, Recorded } from './loopback';

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AT = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

function vanilla(method: string, url: string): ReturnType<typeof signV4> {
  return signV4({ method, url: new URL(url), headers: {}, body: '', region: 'us-east-1', service: 'service' }, EXAMPLE, AT);
}

describe('SigV4: AWS test suite', () => {
  it('get-vanilla', () => {
    const signed = vanilla('GET', 'https://example.amazonaws.com/');
    expect(signed.canonicalRequest).toBe(
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(signed.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    );
    expect(signed.headers).toEqual({ 'x-amz-date': '20150830T123600Z', authorization: signed.authorization });
  });

  it('get-vanilla-query-order-key-case: the query is sorted before signing', () => {
    expect(vanilla('GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1').signature).toBe(
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    );
  });

  it('post-vanilla', () => {
    expect(vanilla('POST', 'https://example.amazonaws.com/').signature).toBe('5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });

  it('signs the session token, and double-encodes path segments (":" in a Bedrock model id)', () => {
    const signed = signV4(
      {
        method: 'POST',
        url: new URL('https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke'),
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        region: 'us-east-1',
        service: 'bedrock',
      },
      { ...EXAMPLE, sessionToken: 'token' },
      AT,
    );
    expect(signed.canonicalRequest.split('\n')[1]).toBe('/model/amazon.titan-embed-text-v2%253A0/invoke');
    expect(signed.signedHeaders).toBe('content-type;host;x-amz-date;x-amz-security-token');
    expect(signed.headers['x-amz-security-token']).toBe('token');
    expect(signingKey(EXAMPLE.secretAccessKey, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });
});

describe('Bedrock requests, verified by a server that recomputes the signature', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startLoopback();
  });
  afterAll(async () => {
    await server.close();
  });

  const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: EXAMPLE.secretAccessKey, AWS_SESSION_TOKEN: 'the-session', AWS_REGION: 'us-west-2' };

  /** What an AWS endpoint does: rebuild the canonical request from the wire and compare signatures. */
  function verify(request: Recorded, secret: string): boolean {
    const date = String(request.headers['x-amz-date']);
    const at = new Date(Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15)));
    const match = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(request.headers.authorization));
    if (match === null) return false;
    const signedNames = (match[1] as string).split(';').filter((n) => !['host', 'x-amz-date', 'x-amz-security-token'].includes(n));
    const headers: Record<string, string> = {};
    for (const name of signedNames) headers[name] = String(request.headers[name]);
    const recomputed = signV4(
      { method: request.method, url: new URL(`http://${String(request.headers.host)}${request.url}`), headers, body: request.body, region: 'us-west-2', service: 'bedrock' },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret, sessionToken: String(request.headers['x-amz-security-token']) },
      at,
    );
    return recomputed.signature === match[2];
  }

  it('signs every request so that the server accepts it, and the server tells a wrong secret apart', async () => {
    const embedder = new BedrockTitanEmbedder({ baseUrl: server.baseUrl, env, retryBaseDelayMs: 1 });
    server.respond((request) => {
      if (!verify(request, EXAMPLE.secretAccessKey)) return { status: 403, body: { message: 'The request signature we calculated does not match the signature you provided.' } };
      const text = (request.json as { inputText: string }).inputText;
      return { status: 200, body: { embedding: vectorFor(text, 1024), inputTextTokenCount: 3 } };
    });
    const batch = await embedder.embed(['first text', 'second text', 'third']);
    expect(server.requests.length).toBe(3);
    expect(batch.cost).toMatchObject({ tokens: 9, estimated: false });
    for (const request of server.requests) {
      expect(request.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, /);
      expect(verify(request, 'another secret')).toBe(false);
    }
    // A client with the wrong secret is refused with the API's words and a hint.
    const wrong = new BedrockTitanEmbedder({ baseUrl: server.baseUrl, env: { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' } });
    await expect(wrong.embed(['x'])).rejects.toThrow(/Bedrock refused the request: HTTP 403: The request signature we calculated does not match/);
  });
});

describe('retry timing', () => {
  const retry = { ...RETRY_DEFAULTS, retryBaseDelayMs: 100, retryMaxDelayMs: 10_000 };

  it('honours Retry-After in seconds or as an HTTP date, capped at retryMaxDelayMs', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(backoff(0, retry, '3')).toBe(3000);
    expect(backoff(0, retry, '3600')).toBe(10_000);
  });

  it('draws full-jitter delays within base · 2^attempt, capped', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ceiling = Math.min(10_000, 100 * 2 ** attempt);
      let max = 0;
      for (let k = 0; k < 200; k++) {
        const delay = backoff(attempt, retry, undefined);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
        max = Math.max(max, delay);
      }
      expect(max).toBeGreaterThan(ceiling / 2); // 200 draws: the upper half is reached
    }
  });
});

/**
 * AWS Signature Version 4 for one request, with node:crypto (no SDK): the canonical request, the
 * string to sign, the derived key (kDate → kRegion → kService → kSigning) and the Authorization
 * header, as "Create a signed AWS API request" describes
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 * Tested against AWS's published test suite vectors (get-vanilla, get-vanilla-query-order-key-case,
 * post-vanilla). For every service but S3 each path segment is percent-encoded once more in the
 * canonical URI, which matters for Bedrock: `amazon.titan-embed-text-v2:0` travels as `%3A0` and
 * is signed as `%253A0`.
 */
import { createHash, createHmac } from 'node:crypto';

/** The credentials a signature is made with. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials' token (sent as `x-amz-security-token`, and signed). */
  readonly sessionToken?: string | undefined;
}

/** The request to sign. `headers` are the ones to send besides host, x-amz-date and authorization. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
}

/** The intermediate values (for tests and for a server that checks signatures). */
export interface Signature {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly authorization: string;
  /** The headers to send: the request's own, `x-amz-date`, the token's, and `authorization`. */
  readonly headers: Record<string, string>;
}

/** `20150830T123600Z` for a date. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Percent-encoding as SigV4 wants it: RFC 3986 unreserved characters only. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** The signing key for a day, region and service. */
export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
}

function canonicalUri(url: URL, service: string): string {
  const path = url.pathname === '' ? '/' : url.pathname;
  if (service === 's3') return path;
  // Each segment as it travels (already percent-encoded) is encoded once more.
  return path.split('/').map((segment) => encodeRfc3986(segment)).join('/');
}

function canonicalQuery(url: URL): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of url.searchParams) pairs.push([encodeRfc3986(key), encodeRfc3986(value)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/**
 * Signs `request` at `now`.
 *
 * @example
 * ```ts
 * const { headers } = signV4({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body, region: 'us-east-1', service: 'bedrock' }, credentials, new Date());
 * ```
 */
export function signV4(request: SignableRequest, credentials: AwsCredentials, now: Date): Signature {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const toSign: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) toSign[name.toLowerCase()] = value;
  toSign['host'] = request.url.host;
  toSign['x-amz-date'] = date;
  if (credentials.sessionToken !== undefined && credentials.sessionToken !== '') toSign['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(toSign).sort();
  const canonicalHeaders = names.map((name) => `${name}:${(toSign[name] as string).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url, request.service),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, request.region, request.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  const headers: Record<string, string> = {};
  for (const name of names) if (name !== 'host') headers[name] = toSign[name] as string;
  headers['authorization'] = authorization;
  return { canonicalRequest, stringToSign, signedHeaders, signature, authorization, headers };
}

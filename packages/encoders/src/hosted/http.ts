/**
 * One JSON POST with what every hosted embedding API needs around it: a timeout per attempt, the
 * caller's AbortSignal, retries with exponential backoff and full jitter on 429 / 5xx / network
 * errors / timeouts (a `Retry-After` header wins over the computed delay), and errors whose
 * message and cause chain never hold a credential: every string that leaves this file goes
 * through `redact`, and the underlying network error is replaced by a redacted copy.
 */
import { encodersError, abortedError } from '../errors';

/** Retry and timeout settings shared by the hosted adapters. */
export interface RetryOptions {
  /** Milliseconds one attempt may take before it is abandoned (and retried). Default 60,000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on 429, 5xx, network errors and timeouts. Default 4. */
  readonly maxRetries?: number;
  /** First backoff ceiling; attempt n waits a random time in [0, base · 2ⁿ]. Default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Cap of one backoff (and of an honoured `Retry-After`). Default 20,000 ms. */
  readonly retryMaxDelayMs?: number;
}

/** {@link RetryOptions} with defaults applied. */
export interface ResolvedRetryOptions {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

export const RETRY_DEFAULTS: ResolvedRetryOptions = Object.freeze({
  timeoutMs: 60_000,
  maxRetries: 4,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 20_000,
});

/** Applies defaults and checks ranges (RangeError naming the option). */
export function resolveRetryOptions(options: RetryOptions, caller: string): ResolvedRetryOptions {
  const pick = (name: keyof RetryOptions, min: number): number => {
    const value = options[name] ?? RETRY_DEFAULTS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new RangeError(`${caller}: ${name} must be a number ≥ ${min}, got ${String(value)}`);
    }
    return value;
  };
  const maxRetries = pick('maxRetries', 0);
  if (!Number.isInteger(maxRetries)) throw new RangeError(`${caller}: maxRetries must be an integer, got ${maxRetries}`);
  return {
    timeoutMs: pick('timeoutMs', 1),
    maxRetries,
    retryBaseDelayMs: pick('retryBaseDelayMs', 0),
    retryMaxDelayMs: pick('retryMaxDelayMs', 0),
  };
}

/** One request, as an adapter builds it. */
export interface JsonRequest {
  readonly url: string;
  /** Called before every attempt (a SigV4 signature carries the time, so it is made per attempt). */
  readonly headers: () => Record<string, string>;
  /** The serialised JSON body (signed as is). */
  readonly body: string;
  /** Names the provider in messages: `OpenAI`, `Cohere`, … */
  readonly provider: string;
  /** Values that must never appear in an error (keys, secrets, tokens). */
  readonly secrets: readonly string[];
}

/** What a successful call returns, and how many retries it took. */
export interface JsonResponse {
  readonly json: unknown;
  readonly retries: number;
}

/** Response statuses worth another attempt: rate limited, or the server's fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * POSTs `request`, retrying as {@link RetryOptions} say.
 *
 * @throws EmbedkitError `ABORTED` (the signal fired), `TIMEOUT` (every attempt timed out),
 *   `RETRIES_EXHAUSTED` (429 / 5xx / network errors to the end), `REQUEST_FAILED` (another
 *   error status: the message has the status and the API's own words, redacted), `BAD_RESPONSE`
 *   (the body is not JSON).
 */
export async function postJson(
  request: JsonRequest,
  retry: ResolvedRetryOptions,
  signal: AbortSignal | undefined,
): Promise<JsonResponse> {
  const redact = redactor(request.secrets);
  let lastProblem = '';
  let lastCause: Error | undefined;
  let timeouts = 0;
  for (let attempt = 0; attempt <= retry.maxRetries; attempt++) {
    if (signal?.aborted === true) throw abortedError(signal);
    const timeout = AbortSignal.timeout(retry.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    let text: string;
    try {
      response = await fetch(request.url, { method: 'POST', headers: request.headers(), body: request.body, signal: combined });
      text = await response.text();
    } catch (error) {
      if (hasFired(signal)) throw abortedError(signal);
      if (timeout.aborted) {
        timeouts++;
        lastProblem = `no answer within ${retry.timeoutMs} ms`;
        lastCause = undefined;
      } else {
        lastProblem = `network error: ${redact(describe(error))}`;
        lastCause = sanitizedCause(error, redact);
      }
      if (attempt < retry.maxRetries) await sleep(backoff(attempt, retry, undefined), signal);
      continue;
    }
    if (response.ok) {
      try {
        return { json: JSON.parse(text) as unknown, retries: attempt };
      } catch {
        throw encodersError(
          'BAD_RESPONSE',
          `${request.provider} answered ${response.status} with a body that is not JSON: ${redact(snippet(text))}`,
        );
      }
    }
    const detail = `HTTP ${response.status}${apiMessage(text, redact)}`;
    if (!isRetryableStatus(response.status)) {
      throw encodersError('REQUEST_FAILED', `${request.provider} refused the request: ${detail}${hintFor(response.status)}`);
    }
    lastProblem = detail;
    lastCause = undefined;
    if (attempt < retry.maxRetries) await sleep(backoff(attempt, retry, response.headers.get('retry-after')), signal);
  }
  const attempts = retry.maxRetries + 1;
  if (timeouts === attempts) {
    throw encodersError(
      'TIMEOUT',
      `${request.provider} did not answer within ${retry.timeoutMs} ms on any of ${attempts} attempts; raise timeoutMs or try later`,
    );
  }
  throw encodersError(
    'RETRIES_EXHAUSTED',
    `${request.provider} failed on all ${attempts} attempts (last: ${lastProblem}); try later or raise maxRetries`,
    lastCause,
  );
}

/** The wait before retry `attempt + 1`: `Retry-After` when given (capped), else full jitter. */
export function backoff(attempt: number, retry: ResolvedRetryOptions, retryAfter: string | null | undefined): number {
  const honoured = parseRetryAfter(retryAfter);
  if (honoured !== undefined) return Math.min(honoured, retry.retryMaxDelayMs);
  const ceiling = Math.min(retry.retryMaxDelayMs, retry.retryBaseDelayMs * 2 ** attempt);
  return Math.random() * ceiling;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// A function, so that TypeScript does not keep the narrowing of `aborted` across an await.
function hasFired(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal !== undefined && signal.aborted;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const usable = secrets.filter((secret) => secret.length > 0);
  return (text) => {
    let out = text;
    for (const secret of usable) out = out.split(secret).join('[redacted]');
    return out;
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** A fresh Error with the redacted message and code of `error` (its own properties are not kept). */
function sanitizedCause(error: unknown, redact: (text: string) => string): Error {
  const copy = new Error(redact(describe(error)));
  const code = error instanceof Error ? ((error.cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code) : undefined;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  return copy;
}

/** The API's own error words (`error.message`, `message`), redacted and shortened, or a body snippet. */
function apiMessage(text: string, redact: (text: string) => string): string {
  let message: unknown;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; Message?: unknown };
    message = typeof body.error === 'object' && body.error !== null ? body.error.message : (body.error ?? body.message ?? body.Message);
  } catch {
    message = text;
  }
  if (typeof message !== 'string' || message.trim() === '') return '';
  return `: ${redact(snippet(message))}`;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check that the key in the environment variable is valid and allowed to use this model)';
  if (status === 404) return ' (check the model name and the base URL)';
  if (status === 400 || status === 413) return ' (check the input lengths and the options against the model limits)';
  return '';
}

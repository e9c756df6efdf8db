/**
 * The local web server of `embedkit serve`, on `node:http` alone.
 *
 * Safety by construction rather than by filtering: the only things it serves are the page's own
 * assets (strings compiled into the program) and the JSON API; a request path is looked up as an
 * exact string in a fixed table, never joined to a directory or read from disk. It binds to
 * 127.0.0.1 by default and, while bound to a loopback address, refuses requests whose `Host` is
 * not a loopback name (so a web site cannot reach it through DNS rebinding). Every failure is a
 * JSON `{ "error": "…" }` with a 4xx status; an unexpected exception is a 500 with a generic
 * message, its details going to `log`, never to the client.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi } from './api';
import type { ApiHandler, ExplorerData } from './api';
import { HttpError } from './params';
import { PAGE_ASSETS } from './page';

/** Options of {@link startServer}. */
export interface ServerOptions extends ExplorerData {
  /** TCP port; 0 picks a free one (tests). Default 5173. */
  readonly port?: number;
  /**
   * Address to bind. Default `'127.0.0.1'`: only this machine can connect. Another address
   * exposes the API to the network; the `Host` check is then off.
   */
  readonly host?: string;
  /** Receives unexpected errors (with stack) and other notes for the operator. Default: none. */
  readonly log?: (message: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5173/`. */
  readonly url: string;
  /** The bound address, e.g. `127.0.0.1`. */
  readonly host: string;
  /** The bound port (the one picked when started with `port: 0`). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Longest request target accepted (path and query), in characters. */
const MAX_URL_LENGTH = 16_384;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The page loads only its own script and style; no inline code, no third-party anything.
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Host name of a `Host` header (`127.0.0.1:5173` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
function hostName(header: string): string {
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    return end < 0 ? header : header.slice(0, end + 1);
  }
  const colon = header.indexOf(':');
  return (colon < 0 ? header : header.slice(0, colon)).toLowerCase();
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(request, response, status, 'application/json; charset=utf-8', JSON.stringify(value), {
    'Cache-Control': 'no-store',
    ...headers,
  });
}

function sendError(request: IncomingMessage, response: ServerResponse, error: HttpError): void {
  const headers: Record<string, string> = error.status === 405 ? { Allow: 'GET, HEAD' } : {};
  sendJson(request, response, error.status, { ...error.extra, error: error.message }, headers);
}

/**
 * Starts the web page's server over the given vectors.
 *
 * @example
 * ```ts
 * const server = await startServer({ vectors: await Embeddings.load('vectors.txt'), port: 0 });
 * console.log(server.url); // http://127.0.0.1:41234/
 * await server.close();
 * ```
 * @throws RangeError for a port outside 0–65535; the listen error (e.g. `EADDRINUSE`) otherwise.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = options.port ?? 5173;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startServer: port must be an integer from 0 to 65535, got ${port}`);
  }
  const log = options.log ?? (() => {});
  const api: Map<string, ApiHandler> = createApi(options);
  const checkHost = isLoopbackAddress(host);

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const target = request.url ?? '';
    if (target.length > MAX_URL_LENGTH) {
      throw new HttpError(414, `The request is too long (${target.length} characters; at most ${MAX_URL_LENGTH}).`);
    }
    if (!target.startsWith('/')) throw new HttpError(400, 'The request target must be a path starting with /.');
    if (checkHost && !LOOPBACK_HOSTS.has(hostName(request.headers.host ?? ''))) {
      throw new HttpError(403, 'This server only answers requests addressed to 127.0.0.1 or localhost.');
    }
    // The path is matched as an exact string: no decoding, no normalisation, no file system.
    const queryStart = target.indexOf('?');
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));

    const asset = PAGE_ASSETS.get(path);
    const handler = api.get(path);
    if (asset === undefined && handler === undefined) {
      throw new HttpError(404, `Not found: ${JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path)}.`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new HttpError(405, `Method ${request.method ?? '?'} is not allowed: use GET.`);
    }
    if (asset !== undefined) {
      if (query.size > 0 && path !== '/') throw new HttpError(400, 'Assets take no parameters.');
      send(request, response, 200, asset.contentType, asset.body, { 'Cache-Control': 'no-cache' });
      return;
    }
    sendJson(request, response, 200, (handler as ApiHandler)(query));
  };

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendError(request, response, error);
      } else {
        log(`embedkit serve: unexpected error on ${request.method} ${String(request.url).slice(0, 200)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        sendError(request, response, new HttpError(500, 'Internal server error (details are in the server’s terminal).'));
      }
    }
  });
  // Slow or stuck clients cannot hold the server.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  // Requests Node's parser refuses before the router (a URL or headers past its 16 KiB limit, bad
  // syntax) still get a JSON message, as every other error does.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLong = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLong ? '414 URI Too Long' : '400 Bad Request';
    const body = JSON.stringify({
      error: tooLong
        ? 'The request is too long (its URL and headers pass 16 KiB): ask for fewer or shorter words.'
        : 'The request is not valid HTTP.',
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/**
 * A node:http server on 127.0.0.1 (port 0) for the hosted adapters' tests: it records every
 * request and answers with what the test's responder says — a fixture in the provider's
 * documented shape with one generated vector per input, an error status, or no answer at all.
 * No network beyond the loopback interface.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface Recorded {
  readonly method: string;
  /** The raw request target, percent-encoding as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
}

/** What to answer: a status with a JSON body and headers, or `'hang'` (never answer). */
export type Reply = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

export interface Loopback {
  readonly baseUrl: string;
  readonly requests: Recorded[];
  /** Replaces the responder (called with the request and its 0-based position). */
  respond(responder: (request: Recorded, index: number) => Reply): void;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  const requests: Recorded[] = [];
  const hanging = new Set<ServerResponse>();
  let responder: (request: Recorded, index: number) => Reply = () => ({ status: 500, body: { error: 'no responder' } });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      requests.push(recorded);
      const reply = responder(recorded, requests.length - 1);
      if (reply === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fixture file of ./fixtures/hosted, parsed. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/hosted/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/**
 * A vector that names its text: component j is a hash of the text plus j / 1000, so a test can
 * tell which row belongs to which input.
 */
export function vectorFor(text: string, dim: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const base = (h % 1000) / 1000;
  return Array.from({ length: dim }, (_, j) => Math.fround(base + j / 1000));
}

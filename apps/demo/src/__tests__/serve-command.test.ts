// `embedkit serve` as a command: loads the vector files and the catalogue, prints the URL, serves
// until the signal aborts, then closes; refuses --catalog without --items and a busy port with
// one clear error.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText, parseArgs, UsageError } from '../cli/args';
import { serveCommand } from '../commands/serve';
import { writeFixtureFiles } from '../server/test-fixture';
import { captureIo } from './io';

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('embedkit serve', () => {
  let dir: string;
  let files: { words: string; items: string; catalog: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-serve-'));
    files = await writeFixtureFiles(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads the files, prints the URL, serves until aborted', async () => {
    const controller = new AbortController();
    const ctx = captureIo(controller.signal);
    const args = parseArgs(serveCommand, ['--vectors', files.words, '--items', files.items, '--catalog', files.catalog, '--port', '0']);
    const running = serveCommand.run(args, ctx.context);
    const url = await waitFor(() => /open (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)/.exec(ctx.out())?.[1]);
    const info = (await (await fetch(`${url}api/info`)).json()) as { vectors: { name: string }; items: { titles: number } };
    expect(info.vectors.name).toBe('words.txt');
    expect(info.items.titles).toBe(40);
    const recommend = (await (await fetch(`${url}api/recommend?items=12`)).json()) as { items: { title: string }[] };
    expect(recommend.items[0]!.title).toBe('Heat (1995)');
    expect(ctx.err()).toMatch(/catalogue: 41 entries, titles for 40 of 40 items/);
    controller.abort();
    await expect(running).resolves.toBe(0);
    await expect(fetch(`${url}api/info`)).rejects.toThrow();
  });

  it('loads only the first N vectors with --limit', async () => {
    const controller = new AbortController();
    const ctx = captureIo(controller.signal);
    const running = serveCommand.run(parseArgs(serveCommand, ['--vectors', files.words, '--port', '0', '--limit', '5']), ctx.context);
    const url = await waitFor(() => /open (http:\S+) /.exec(ctx.out())?.[1]);
    const info = (await (await fetch(`${url}api/info`)).json()) as { vectors: { size: number } };
    expect(info.vectors.size).toBe(5);
    controller.abort();
    await running;
  });

  it('refuses --catalog without --items', async () => {
    const controller = new AbortController();
    const args = parseArgs(serveCommand, ['--vectors', files.words, '--catalog', files.catalog]);
    await expect(serveCommand.run(args, captureIo(controller.signal).context)).rejects.toThrow(UsageError);
  });

  it('reports a busy port as one clear error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const args = parseArgs(serveCommand, ['--vectors', files.words, '--port', String(port)]);
      const error = await serveCommand.run(args, captureIo().context).catch((e: unknown) => e);
      expect(isEmbedkitError(error, 'PORT_IN_USE')).toBe(true);
      expect((error as Error).message).toBe(`Port ${port} on 127.0.0.1 is already in use: pass --port N with a free port (or --port 0 to pick one).`);
    } finally {
      blocker.close();
    }
  });

  it('documents its options with defaults', () => {
    const help = helpText(serveCommand);
    expect(help).toContain('--vectors FILE');
    expect(help).toMatch(/--port N\s+TCP port \(0 picks a free one\) \(default: 5173\)/);
    expect(help).toMatch(/--host ADDRESS .*\(default: 127\.0\.0\.1\)/);
    expect(() => parseArgs(serveCommand, ['--vectors', 'x', '--port', '70000'])).toThrow(/out of range/);
  });
});

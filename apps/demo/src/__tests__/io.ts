/**
 * Test helpers: a command context whose output is captured, and the whole CLI run on an argv
 * through the real dispatcher.
 */
import { PassThrough } from 'node:stream';
import { commands } from '../cli/registry';
import { runCli } from '../cli/run';

/** A non-interactive context writing to captured streams; `stdinText`, when given, is all of stdin. */
export function captureIo(signal: AbortSignal = new AbortController().signal, stdinText?: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const stdin = new PassThrough();
  if (stdinText !== undefined) stdin.end(stdinText);
  return {
    context: { stdout, stderr, stdin, verbose: false, interactive: false, signal },
    out: () => out,
    err: () => err,
  };
}

/** Runs `embedkit ARGV` with every command registered; returns the exit code and the output. */
export async function runCommandLine(argv: string[], stdinText = '') {
  const io = captureIo(undefined, stdinText);
  const code = await runCli(argv, commands, io.context);
  return { code, out: io.out(), err: io.err() };
}

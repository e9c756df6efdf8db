/**
 * Runs one command in its own process and measures it: wall time, CPU time (user + system, all
 * threads) and peak resident memory. The measurement comes from the kernel's accounting of the
 * finished child (`getrusage(RUSAGE_CHILDREN)` through a two-line Python wrapper, Python being on
 * every machine that has the reference tools), so embedkit and the references are measured alike.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What one measured run cost. */
export interface Measurement {
  readonly wallSeconds: number;
  /** User + system CPU seconds over all threads of the process and its children. */
  readonly cpuSeconds: number;
  /** Peak resident set size, bytes. */
  readonly peakRssBytes: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runMeasured}. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Stops the child (SIGTERM, then SIGKILL after 5 s). */
  readonly signal?: AbortSignal;
  /** Called with each chunk the child writes to stderr (progress). */
  readonly onStderr?: (text: string) => void;
}

/** Interpreter used to measure children; Debian's, which also has gensim and scipy. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

// Runs argv[1:] and prints the children's usage as the last line of stderr. ru_maxrss is in KiB
// on Linux.
const WRAPPER = [
  'import resource, subprocess, sys, time, json',
  't = time.monotonic()',
  'code = subprocess.call(sys.argv[1:])',
  'wall = time.monotonic() - t',
  'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'sys.stderr.write("\\n@@measure " + json.dumps({"wall": wall, "cpu": u.ru_utime + u.ru_stime, "rss": u.ru_maxrss * 1024, "code": code}) + "\\n")',
  'sys.exit(0)',
].join('\n');

const MARKER = '@@measure ';

/**
 * Runs `command args…` to completion and returns its measurement. Rejects only when the process
 * cannot be started; a non-zero exit is reported in `exitCode`.
 */
export function runMeasured(command: string, args: readonly string[], options: RunOptions = {}): Promise<Measurement> {
  if (!existsSync(SYSTEM_PYTHON)) {
    return Promise.reject(new Error(`${SYSTEM_PYTHON} is needed to measure CPU time and peak memory; install python3.`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, ['-c', WRAPPER, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!chunk.includes(MARKER)) options.onStderr?.(chunk);
    });
    const stop = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', () => {
      options.signal?.removeEventListener('abort', stop);
      const at = stderr.lastIndexOf(MARKER);
      if (at < 0) {
        reject(new Error(`The measuring wrapper printed no result for ${command}: ${stderr.slice(-500)}`));
        return;
      }
      const usage = JSON.parse(stderr.slice(at + MARKER.length).trim()) as { wall: number; cpu: number; rss: number; code: number };
      resolve({
        wallSeconds: usage.wall,
        cpuSeconds: usage.cpu,
        peakRssBytes: usage.rss,
        exitCode: usage.code,
        stdout,
        stderr: stderr.slice(0, at),
      });
    });
  });
}

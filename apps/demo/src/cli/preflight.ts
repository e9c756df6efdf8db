/**
 * Checks every command that writes a file runs before its long work: the inputs are readable
 * files, each output can be written (its directory exists and is writable, it is not a directory)
 * and no output is one of the inputs (same real path, or same device and inode: a hard link or a
 * symlink to the corpus is caught). Also the memory estimate printed after the vocabulary pass
 * and the warning when more threads are asked for than there are cores.
 *
 * Every failure is one line naming the flag and the fix; it takes a few `stat` calls, so a bad
 * `-output` on a 10 GB corpus fails in milliseconds instead of after hours of training.
 */
import { constants, type Stats } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { EmbedkitError, isEmbedkitError } from '@embedkit/errors';
import type { CommandContext } from './command';

/**
 * Codes of the preflight errors (exit code 1, as every other problem with a file).
 *
 * - `INPUT_NOT_FOUND`, `INPUT_NOT_A_FILE`, `INPUT_UNREADABLE`: an input cannot be read.
 * - `OUTPUT_DIR_MISSING`, `OUTPUT_NOT_WRITABLE`: the output's directory is absent or read-only.
 * - `OUTPUT_NOT_A_FILE`: the output is a directory or a device.
 * - `OUTPUT_IS_INPUT`: writing the output would replace an input; `OUTPUT_TWICE`: two outputs
 *   name the same file.
 * - `NOT_ENOUGH_MEMORY`: the model would not fit in the free memory.
 */
export type PreflightErrorCode =
  | 'INPUT_NOT_FOUND'
  | 'INPUT_NOT_A_FILE'
  | 'INPUT_UNREADABLE'
  | 'OUTPUT_DIR_MISSING'
  | 'OUTPUT_NOT_WRITABLE'
  | 'OUTPUT_NOT_A_FILE'
  | 'OUTPUT_IS_INPUT'
  | 'OUTPUT_TWICE'
  | 'NOT_ENOUGH_MEMORY';

/** A path given to a flag, with the flag as the user typed it (`-train`, `--to`). */
export interface FlagPath {
  readonly flag: string;
  /** Undefined when the option was not given: skipped. */
  readonly path: string | undefined;
  /**
   * The path names a directory read or written whole (a Spark model): an input may be a
   * directory, and an output directory is replaced as a unit (its parent must be writable).
   */
  readonly directory?: boolean;
}

/** What {@link checkFiles} checks. */
export interface FilePlan {
  readonly inputs?: readonly FlagPath[];
  /** Files written (each through a temporary file in the same directory, then renamed). */
  readonly outputs?: readonly FlagPath[];
  /** Directories that are created when absent and written into (`main --output-dir`). */
  readonly outputDirs?: readonly FlagPath[];
}

export function fail(code: PreflightErrorCode, message: string, cause?: unknown): EmbedkitError<PreflightErrorCode> {
  return new EmbedkitError<PreflightErrorCode>(code, message, cause === undefined ? {} : { cause });
}

const errno = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A file's identity: its real path and its device and inode. */
interface Identity {
  readonly flag: string;
  readonly path: string;
  readonly real: string;
  readonly dev: number;
  readonly ino: number;
}

async function checkInput({ flag, path, directory }: FlagPath & { path: string }): Promise<Identity> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    const code = errno(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail('INPUT_NOT_FOUND', `${flag} ${path}: no such file; check the path`, error);
    throw fail('INPUT_UNREADABLE', `${flag} ${path}: cannot be read (${code}); check the path and its permissions`, error);
  }
  if (info.isDirectory() && directory !== true) throw fail('INPUT_NOT_A_FILE', `${flag} ${path}: is a directory; give the path of a file`);
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw fail('INPUT_UNREADABLE', `${flag} ${path}: cannot be read (${errno(error)}); check its permissions`, error);
  }
  // A pipe given as /dev/stdin or /dev/fd/N links to "pipe:[…]", which has no real path: its
  // device and inode still identify it.
  const real = await realpath(path).catch(() => resolve(path));
  return { flag, path, real, dev: info.dev, ino: info.ino };
}

/** The directory a user would create, as typed: `models` for `models/x.vec`. */
function shownDir(path: string): string {
  return dirname(path);
}

async function checkWritableDir(flag: string, path: string, dir: string): Promise<void> {
  const info = await statOrUndefined(dir);
  if (info === undefined) {
    throw fail(
      'OUTPUT_DIR_MISSING',
      `${flag} ${path}: the directory ${dir}/ does not exist; create it (mkdir -p ${dir}) or choose another ${flag}`,
    );
  }
  if (!info.isDirectory()) {
    throw fail('OUTPUT_DIR_MISSING', `${flag} ${path}: ${dir} is a file, not a directory; choose another ${flag}`);
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fail('OUTPUT_NOT_WRITABLE', `${flag} ${path}: the directory ${dir}/ is not writable (${errno(error)}); choose another ${flag}`, error);
  }
}

/** Checks an output file; returns its identity (device and inode only when it exists already). */
async function checkOutput({ flag, path, directory }: FlagPath & { path: string }): Promise<Identity> {
  if (directory === true) {
    // Written under a temporary sibling name, then renamed: the parent is what must be writable.
    const trimmed = path.length > 1 ? path.replace(/[/\\]+$/, '') : path;
    const info = await statOrUndefined(trimmed);
    if (info !== undefined && !info.isDirectory()) {
      throw fail('OUTPUT_NOT_A_FILE', `${flag} ${path}: is a file, and this output is a directory; choose another ${flag}`);
    }
    await checkWritableDir(flag, path, dirname(trimmed));
    const real = info === undefined ? resolve(await realpath(dirname(trimmed)), basename(trimmed)) : await realpath(trimmed);
    return { flag, path, real, dev: info?.dev ?? -1, ino: info?.ino ?? -1 };
  }
  const example = `${path.replace(/\/+$/, '')}/vectors.txt`;
  if (/[/\\]$/.test(path)) {
    throw fail('OUTPUT_NOT_A_FILE', `${flag} ${path}: names a directory; give a file name such as ${example}`);
  }
  const info = await statOrUndefined(path);
  if (info?.isDirectory()) {
    throw fail('OUTPUT_NOT_A_FILE', `${flag} ${path}: is a directory; give a file name such as ${example}`);
  }
  if (info !== undefined && !info.isFile()) {
    // A temporary file renamed over a device or pipe would replace it: refuse instead.
    throw fail('OUTPUT_NOT_A_FILE', `${flag} ${path}: is not a regular file (a device or pipe); give a file name`);
  }
  await checkWritableDir(flag, path, shownDir(path));
  const real = info === undefined ? resolve(await realpath(dirname(path)), basename(path)) : await realpath(path);
  return { flag, path, real, dev: info?.dev ?? -1, ino: info?.ino ?? -1 };
}

const sameFile = (a: Identity, b: Identity): boolean => a.real === b.real || (a.ino >= 0 && a.dev === b.dev && a.ino === b.ino);

/**
 * Checks inputs, outputs and output directories; throws the first problem as one line naming
 * the flag and the fix. Call it before reading any input.
 */
export async function checkFiles(plan: FilePlan): Promise<void> {
  const given = (list: readonly FlagPath[] | undefined) =>
    (list ?? []).filter((f): f is FlagPath & { path: string } => f.path !== undefined);
  const inputs: Identity[] = [];
  for (const input of given(plan.inputs)) inputs.push(await checkInput(input));
  const outputs: Identity[] = [];
  for (const output of given(plan.outputs)) {
    const identity = await checkOutput(output);
    for (const input of inputs) {
      if (sameFile(identity, input)) {
        const same = identity.real === input.real ? 'is' : 'is a link to';
        throw fail(
          'OUTPUT_IS_INPUT',
          `${output.flag} ${output.path} ${same} the ${input.flag} file ${input.path}: writing it would destroy the input; choose another ${output.flag}`,
        );
      }
    }
    for (const other of outputs) {
      if (identity.real === other.real) {
        throw fail('OUTPUT_TWICE', `${other.flag} ${other.path} and ${output.flag} ${output.path} name the same file; choose different names`);
      }
    }
    outputs.push(identity);
  }
  for (const { flag, path } of given(plan.outputDirs)) {
    const info = await statOrUndefined(path);
    if (info === undefined) {
      // Created by the command: its parent must exist and be writable.
      const parent = await statOrUndefined(dirname(path));
      if (parent === undefined || !parent.isDirectory()) {
        throw fail('OUTPUT_DIR_MISSING', `${flag} ${path}: its parent ${dirname(path)}/ does not exist; create it (mkdir -p ${path}) or choose another ${flag}`);
      }
      await checkWritableDir(flag, path, dirname(path));
    } else if (!info.isDirectory()) {
      throw fail('OUTPUT_DIR_MISSING', `${flag} ${path}: is a file, not a directory; choose another ${flag}`);
    } else {
      try {
        await access(path, constants.W_OK | constants.X_OK);
      } catch (error) {
        throw fail('OUTPUT_NOT_WRITABLE', `${flag} ${path}: the directory is not writable (${errno(error)}); choose another ${flag}`, error);
      }
    }
  }
}

/**
 * Runs `read` on the file a flag names; a library error whose message starts with the path
 * (`movies.csv: is not text …`) is rethrown with the flag in front (`--catalog movies.csv: …`),
 * same code, so the user sees which option to fix.
 */
export async function readNamedByFlag<T>(flag: string, path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isEmbedkitError(error) || !error.message.startsWith(`${path}:`)) throw error;
    throw new EmbedkitError(error.code, `${flag} ${error.message}`, { cause: error });
  }
}

const GIB = 2 ** 30;

/** Bytes as `0.42 GiB` or `12 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB / 10) return `${(bytes / GIB).toFixed(bytes >= 10 * GIB ? 0 : 2)} GiB`;
  return `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`;
}

/** Memory a model may take: what is free now, and at most 80 % of the machine (the trainers' own limit). */
export function memoryLimit(): number {
  return Math.min(freemem(), Math.floor(totalmem() * 0.8));
}

/** The vocabulary line and memory estimate {@link reportModelSize} prints. */
export interface ModelSize {
  readonly words: number;
  readonly tokens: number;
  /** Estimated bytes of the model's matrices and tables. */
  readonly bytes: number;
  /** What the estimate is made of, for the line: `2 matrices of 71,290 × 100`. */
  readonly detail: string;
  /** The flags that make the model smaller, for the refusal: `-size or -min-count`. */
  readonly smaller: string;
}

/**
 * Prints "Vocabulary … needs ~X" on stderr after the vocabulary pass and before training; refuses
 * with `NOT_ENOUGH_MEMORY` when the estimate exceeds {@link memoryLimit}.
 */
export function reportModelSize(context: CommandContext, size: ModelSize, limit = memoryLimit()): void {
  const n = (x: number) => x.toLocaleString('en-US');
  context.stderr.write(
    `Vocabulary: ${n(size.words)} words, ${n(size.tokens)} tokens; the model needs ~${formatBytes(size.bytes)} (${size.detail}); ${formatBytes(freemem())} of memory free\n`,
  );
  refuseOverMemory(size.bytes, size.smaller, limit);
}

/** Refuses (`NOT_ENOUGH_MEMORY`) a model of `bytes` over {@link memoryLimit}, naming the flags that shrink it. */
export function refuseOverMemory(bytes: number, smaller: string, limit = memoryLimit()): void {
  if (bytes > limit) {
    throw fail(
      'NOT_ENOUGH_MEMORY',
      `The model needs ~${formatBytes(bytes)} but only ${formatBytes(limit)} of memory can be used on this machine; make it smaller with ${smaller}`,
    );
  }
}

/** One warning line when `threads` exceeds the machine's cores (more threads only add contention). */
export function warnAboutThreads(context: CommandContext, flag: string, threads: number, cores = availableParallelism()): void {
  if (threads > cores) {
    context.stderr.write(
      `warning: ${flag} ${threads} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine: training will not be faster, often slower (${flag} ${cores})\n`,
    );
  }
}

/**
 * How every file the user owns is written: under a temporary name in the destination folder,
 * renamed over the destination only once complete, so an interrupted save never destroys an
 * existing model (and a failed one leaves nothing behind).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { vectorsError } from './errors';

/**
 * Calls `write(temporaryPath)`, then renames the result over `path`; removes it on failure.
 * A failure of the file system is a `WRITE_FAILED` error that names `path` (not the temporary
 * file the user never chose) and what to change.
 */
export async function writeAtomically(path: string, write: (temporaryPath: string) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw describeWriteFailure(error, path);
  }
}

/**
 * Writes a directory the same way: `write(temporaryDirectory)` fills a fresh sibling directory,
 * which is then renamed to `path`. An existing `path` is replaced only when `replaceable(path)`
 * says it is what we write (`description`, for the message) or it is an empty directory; it is
 * moved aside first and deleted only after the new directory is in place. Anything else at
 * `path` is refused before any work, so a save never deletes what the user had.
 */
export async function replaceDirectoryAtomically(
  path: string,
  replaceable: (path: string) => Promise<boolean>,
  description: string,
  write: (temporaryPath: string) => Promise<void>,
): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined) {
    const empty = existing.isDirectory() && (await readdir(path)).length === 0;
    if (!empty && !(await replaceable(path))) {
      throw vectorsError(
        'OUTPUT_EXISTS',
        `${path} exists and is not ${description}; saving there would delete it: choose another path or remove it first`,
      );
    }
  }
  const stem = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const temporary = `${stem}.tmp`;
  try {
    await mkdir(temporary);
    await write(temporary);
    if (existing === undefined) {
      await rename(temporary, path);
      return;
    }
    const old = `${stem}.old`;
    await rename(path, old);
    try {
      await rename(temporary, path);
    } catch (error) {
      await rename(old, path);
      throw error;
    }
    await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw describeWriteFailure(error, path);
  }
}

/** The operating system's refusal to write `path`, in words that name `path` and the fix. */
function describeWriteFailure(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const dir = dirname(path);
  const reason =
    code === 'ENOENT' ? `the directory ${dir} does not exist; create it or save elsewhere`
      : code === 'ENOTDIR' ? `${dir} is not a directory; save elsewhere`
        : code === 'EISDIR' ? 'it is a directory; give a file name'
          : code === 'EACCES' || code === 'EPERM' ? `permission denied in ${dir}; save elsewhere`
            : code === 'EROFS' ? `${dir} is on a read-only file system; save elsewhere`
              : code === 'ENOSPC' || code === 'EDQUOT' ? `no space left on the device of ${dir}; free some or save elsewhere`
                : undefined;
  if (reason === undefined) return error;
  return vectorsError('WRITE_FAILED', `Cannot write ${path}: ${reason} (${code})`, error);
}

/** Bytes per write call: one call cannot pass 2 GiB, and large matrices exceed it. */
const SLICE_BYTES = 1 << 26;

/** Writes `bytes` through `handle` in slices of at most 64 MiB. */
export async function writeInSlices(
  handle: { write(buffer: Uint8Array, offset: number, length: number): Promise<unknown> },
  bytes: Uint8Array,
): Promise<void> {
  for (let done = 0; done < bytes.length; done += SLICE_BYTES) {
    await handle.write(bytes, done, Math.min(SLICE_BYTES, bytes.length - done));
  }
}

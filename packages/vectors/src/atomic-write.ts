/**
 * How every file the user owns is written: under a temporary name in the destination folder,
 * renamed over the destination only once complete, so an interrupted save never destroys an
 * existing model (and a failed one leaves nothing behind).
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Calls `write(temporaryPath)`, then renames the result over `path`; removes it on failure. */
export async function writeAtomically(path: string, write: (temporaryPath: string) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
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

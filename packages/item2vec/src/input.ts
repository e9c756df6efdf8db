// Opening an events text file: gzip is recognised by its first bytes, not its name, and the file
// is read once, front to back, so pipes and process substitutions (`<(zcat log.gz)`) work and
// nothing larger than a chunk is held.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { item2vecError } from './errors';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when `head` starts with the gzip magic bytes `1f 8b`. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
}

/** True for a regular file, not a pipe: peeking at a FIFO's first bytes would take them from the reader. */
export function isRegularFile(path: string): boolean {
  return statSync(path).isFile();
}

/** A decoded text stream and whether it was gunzipped on the way. */
export interface TextInput {
  /** UTF-8 text chunks, in file order. */
  text: Readable;
  gzip: boolean;
}

/**
 * Opens `path` as a stream of UTF-8 text, gunzipping it when its first bytes are gzip's magic
 * (whatever its name). Reads the file once, in chunks, with back-pressure.
 *
 * @throws EmbedkitError `BAD_FILE` when the first chunk of a file that is not gzip holds a NUL
 * byte: binary data (an image, an archive, UTF-16 text) that would otherwise reach the header
 * check and print as noise.
 */
export async function openText(path: string): Promise<TextInput> {
  const raw = createReadStream(path);
  const first = await firstChunk(raw);
  if (first === undefined) {
    raw.setEncoding('utf8');
    return { text: raw, gzip: false };
  }
  raw.unshift(first);
  const gzip = isGzip(first);
  let text: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    gunzip.on('close', () => raw.destroy());
    text = raw.pipe(gunzip);
  }
  // Inside gzip too: the first decompressed bytes are what the header check would print.
  let head: Buffer | undefined;
  try {
    head = gzip ? await firstChunk(text) : first;
  } catch (error) {
    text.destroy();
    rethrowReadError(error, path);
  }
  if (head !== undefined && head.includes(0)) {
    text.destroy();
    const what = gzip ? 'the gzip data is not text' : 'is not text';
    throw item2vecError('BAD_FILE', `${path}: ${what} (its first bytes hold NUL bytes); expected delimited text or JSON Lines in UTF-8 (gzip is detected), or Parquet; convert UTF-16 files to UTF-8`);
  }
  if (gzip && head !== undefined) text.unshift(head);
  text.setEncoding('utf8');
  return { text, gzip };
}

/**
 * Rethrows an error met while reading `path` through {@link openText}: zlib's errors (`Z_…`
 * codes: damaged or truncated gzip) become `BAD_FILE` naming the file and the fix.
 */
export function rethrowReadError(error: unknown, path: string): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    throw item2vecError('BAD_FILE', `${path}: the gzip data is damaged or cut short (${(error as Error).message}); check the download or recompress it`, error);
  }
  throw error;
}

/** Waits for the stream's first chunk (a file read gives 64 KiB, or the whole file when smaller). */
function firstChunk(stream: Readable): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onReadable = (): void => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      done();
      resolve(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

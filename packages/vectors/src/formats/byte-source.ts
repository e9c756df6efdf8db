/**
 * A sliding window over a file read in chunks, for the streaming loaders: parsers work on
 * `bytes[pos, end)` synchronously and call `more()` only when a record crosses the window's end.
 * Memory stays bounded by the largest record (a line, or a binary word + vector), not the file.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** Size of each read from the file. */
const CHUNK_BYTES = 1 << 20;

/** Streams the bytes of a file (transparently gunzipped when the name ends in `.gz`). */
export class ByteSource {
  /** The window; valid bytes are `[pos, end)`. */
  bytes: Buffer = Buffer.allocUnsafe(CHUNK_BYTES * 2);
  /** First unconsumed byte of the window. */
  pos = 0;
  /** End of the valid bytes of the window. */
  end = 0;
  /** True once the file has no more bytes beyond `end`. */
  eof = false;
  /** File offset of `bytes[0]` (for error messages). */
  private base = 0;
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly stream: NodeJS.ReadableStream & { destroy(): void };
  private readonly file: { destroy(): void };

  /** Size of the file in bytes when known (not for gzipped files), else undefined. */
  readonly size: number | undefined;

  constructor(path: string, size: number | undefined) {
    this.size = path.endsWith('.gz') ? undefined : size;
    const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
    const stream = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
    if (stream !== file) {
      // Errors of the file stream (ENOENT) must surface through the gunzip stream we iterate.
      file.on('error', (error) => (stream as unknown as { destroy(e: Error): void }).destroy(error));
    }
    this.file = file;
    this.stream = stream as unknown as NodeJS.ReadableStream & { destroy(): void };
    this.iterator = (stream as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** File offset of window index `i`. */
  offsetOf(i: number): number {
    return this.base + i;
  }

  /**
   * Reads the next chunk into the window (compacting it first, growing it when the unconsumed
   * bytes fill it). Returns false at end of file.
   */
  async more(): Promise<boolean> {
    if (this.eof) return false;
    const next = await this.iterator.next();
    if (next.done === true) {
      this.eof = true;
      return false;
    }
    const chunk = next.value;
    const pending = this.end - this.pos;
    let target = this.bytes;
    if (pending + chunk.length > target.length) {
      target = Buffer.allocUnsafe(Math.max(target.length * 2, pending + chunk.length));
    }
    if (pending > 0) {
      if (target !== this.bytes) target.set(this.bytes.subarray(this.pos, this.end), 0);
      else target.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.bytes = target;
    this.pos = 0;
    this.end = pending;
    target.set(chunk, pending);
    this.end += chunk.length;
    return true;
  }

  /** Stops reading (used when `limit` is reached) and releases the file. */
  close(): void {
    // With gzip, destroying the gunzip stream only unpipes the file: close both.
    this.stream.destroy();
    this.file.destroy();
  }
}

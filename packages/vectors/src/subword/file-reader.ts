/**
 * Sequential reads of little-endian binary model files through a small buffer, keeping the
 * absolute byte offset so that every error can say where the file went wrong. Large matrices
 * are read straight into their `Float32Array` (no second copy of hundreds of MB).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { subwordError } from './errors';

const BUFFER_BYTES = 1 << 20;
/** Matrices are read in slices of this many bytes. */
const MATRIX_SLICE_BYTES = 1 << 26;

/** A forward-only reader over a file; `offset` is the file position of the next byte. */
export class FileReader {
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private start = 0; // first unread byte of `buffer`
  private end = 0; // end of valid bytes of `buffer`
  private bufferOffset = 0; // file offset of buffer[0]

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    /** Size of the file in bytes. */
    readonly size: number,
  ) {}

  /**
   * Opens `path` for reading.
   *
   * @throws EmbedkitError `FILE_NOT_FOUND` when it does not exist.
   */
  static async open(path: string): Promise<FileReader> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw subwordError('FILE_NOT_FOUND', `Model file ${path} does not exist`, error);
      }
      throw error;
    }
    const stat = await handle.stat();
    return new FileReader(handle, path, stat.size);
  }

  /** File offset of the next byte to read. */
  get offset(): number {
    return this.bufferOffset + this.start;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Makes at least `count` bytes available at `buffer[start]`, or throws TRUNCATED_FILE. */
  private async ensure(count: number, what: string): Promise<void> {
    if (this.end - this.start >= count) return;
    const pending = this.end - this.start;
    if (count > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(count, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, this.start, this.end);
      this.buffer = bigger;
    } else {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
    }
    this.bufferOffset += this.start;
    this.start = 0;
    this.end = pending;
    while (this.end < count) {
      const { bytesRead } = await this.handle.read(
        this.buffer,
        this.end,
        this.buffer.length - this.end,
        this.bufferOffset + this.end,
      );
      if (bytesRead === 0) {
        throw subwordError(
          'TRUNCATED_FILE',
          `${this.path}: the file ends at byte ${this.size} in the middle of ${what} (starting at byte ` +
            `${this.offset}, ${count} bytes expected); the file is truncated or not a model`,
        );
      }
      this.end += bytesRead;
    }
  }

  async int32(what: string): Promise<number> {
    await this.ensure(4, what);
    const v = this.buffer.readInt32LE(this.start);
    this.start += 4;
    return v;
  }

  async uint32(what: string): Promise<number> {
    await this.ensure(4, what);
    const v = this.buffer.readUInt32LE(this.start);
    this.start += 4;
    return v;
  }

  /** A signed 64-bit integer; CORRUPT_MODEL when it does not fit a double exactly. */
  async int64(what: string): Promise<number> {
    const at = this.offset;
    await this.ensure(8, what);
    const v = this.buffer.readBigInt64LE(this.start);
    this.start += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw subwordError('CORRUPT_MODEL', `${this.path}: ${what} at byte ${at} is ${v}, which is not a plausible value`);
    }
    return Number(v);
  }

  async float64(what: string): Promise<number> {
    await this.ensure(8, what);
    const v = this.buffer.readDoubleLE(this.start);
    this.start += 8;
    return v;
  }

  async uint8(what: string): Promise<number> {
    await this.ensure(1, what);
    const v = this.buffer[this.start] as number;
    this.start += 1;
    return v;
  }

  /** `count` raw bytes (a copy). */
  async bytes(count: number, what: string): Promise<Uint8Array> {
    await this.ensure(count, what);
    const out = Uint8Array.prototype.slice.call(this.buffer, this.start, this.start + count);
    this.start += count;
    return out;
  }

  /** Bytes up to (not including) the next 0 byte, which is consumed. */
  async cString(what: string): Promise<Uint8Array> {
    for (;;) {
      const zero = this.buffer.indexOf(0, this.start);
      if (zero !== -1 && zero < this.end) {
        const out = Uint8Array.prototype.slice.call(this.buffer, this.start, zero);
        this.start = zero + 1;
        return out;
      }
      // Not in the buffer yet: read more (ensure grows the buffer for very long strings).
      await this.ensure(this.end - this.start + 1, what);
    }
  }

  /** Skips `count` bytes (without reading them). */
  skip(count: number): void {
    const buffered = this.end - this.start;
    if (count <= buffered) {
      this.start += count;
      return;
    }
    this.bufferOffset = this.offset + count;
    this.start = 0;
    this.end = 0;
  }

  /**
   * Reads `target.length` little-endian float32s straight into `target`.
   *
   * @throws EmbedkitError TRUNCATED_FILE when the file is shorter.
   */
  async float32Array(target: Float32Array, what: string): Promise<void> {
    const total = target.byteLength;
    const at = this.offset;
    if (at + total > this.size) {
      throw subwordError(
        'TRUNCATED_FILE',
        `${this.path}: ${what} starts at byte ${at} and needs ${total} bytes, but the file ends at byte ` +
          `${this.size}; the file is truncated`,
      );
    }
    const view = new Uint8Array(target.buffer, target.byteOffset, total);
    // Bytes already buffered first, then the rest straight from the file.
    let done = Math.min(this.end - this.start, total);
    view.set(this.buffer.subarray(this.start, this.start + done), 0);
    this.start += done;
    let position = this.offset;
    while (done < total) {
      const length = Math.min(MATRIX_SLICE_BYTES, total - done);
      const { bytesRead } = await this.handle.read(view, done, length, position);
      if (bytesRead === 0) {
        throw subwordError('TRUNCATED_FILE', `${this.path}: ${what} ends early at byte ${position}`);
      }
      done += bytesRead;
      position += bytesRead;
    }
    this.bufferOffset = position;
    this.start = 0;
    this.end = 0;
    if (!LITTLE_ENDIAN) swapFloat32(view);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapFloat32(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const a = bytes[i] as number;
    const b = bytes[i + 1] as number;
    bytes[i] = bytes[i + 3] as number;
    bytes[i + 1] = bytes[i + 2] as number;
    bytes[i + 2] = b;
    bytes[i + 3] = a;
  }
}

/** `data` as little-endian bytes (a view when the platform is little-endian, else a copy). */
export function float32LittleEndianBytes(data: Float32Array): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return view;
  const copy = view.slice();
  swapFloat32(copy);
  return copy;
}

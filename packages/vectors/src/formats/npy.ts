/**
 * NumPy `.npy` matrices (the arrays `np.save` writes, and gensim's `*.wv.vectors.npy` side files
 * of a large saved model), read with their row labels from a text file of one word per line.
 *
 * The format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, a major and a
 * minor version byte, the header length (uint16 LE in 1.0, uint32 LE in 2.0 and 3.0), then the
 * header, a Python dict literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (V, D), }`
 * (latin-1 in 1.0/2.0, UTF-8 in 3.0), padded with spaces to a multiple of 64 bytes with a final
 * newline, then the raw data. We read 2-D C-order arrays of little-endian float32 (`<f4`) or
 * float64 (`<f8`, rounded to float32), on a little-endian machine (as every Node platform is). The
 * header is parsed with regular expressions, never evaluated.
 */
import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { vectorsError } from '../errors';
import { allocateMatrix } from '../scan';

/** The first 6 bytes of a `.npy` file. */
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** True when `head` starts with the `.npy` magic. */
export function isNpy(head: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => head[i] === b);
}

/** A 2-D matrix read from a `.npy` file. */
export interface NpyMatrix {
  rows: number;
  columns: number;
  /** Row-major `rows × columns`. */
  data: Float32Array;
}

/**
 * Reads the 2-D float32/float64 array of a `.npy` file.
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`; `UNKNOWN_FORMAT` (no `.npy` magic); `PARSE_ERROR` (a
 *   header that is not a 2-D C-order `<f4`/`<f8` array, naming what to do); `TRUNCATED_FILE`;
 *   `NON_FINITE_VALUE`.
 */
export async function readNpyMatrix(path: string): Promise<NpyMatrix> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw vectorsError('FILE_NOT_FOUND', `${path}: no such file; check the path`, error);
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    const prefix = Buffer.alloc(12);
    const { bytesRead } = await handle.read(prefix, 0, 12, 0);
    if (bytesRead < 10 || !isNpy(prefix)) throw vectorsError('UNKNOWN_FORMAT', `${path} is not a NumPy .npy file (it does not start with \\x93NUMPY)`);
    const major = prefix[6]!;
    if (major < 1 || major > 3) throw vectorsError('PARSE_ERROR', `${path}: .npy format version ${major}.${prefix[7]} is not supported (1.0 to 3.0 are)`);
    const headerLength = major === 1 ? prefix.readUInt16LE(8) : prefix.readUInt32LE(8);
    const dataStart = (major === 1 ? 10 : 12) + headerLength;
    if (dataStart > size) throw vectorsError('TRUNCATED_FILE', `${path}: the file ends at byte ${size} inside its ${headerLength}-byte header`);
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, major === 1 ? 10 : 12);
    const header = headerBytes.toString(major === 3 ? 'utf8' : 'latin1');
    const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
    const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
    if (descr === undefined || fortran === undefined || shape === undefined) {
      throw vectorsError('PARSE_ERROR', `${path}: the .npy header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape`);
    }
    const dims = shape.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
    if (dims.length !== 2 || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw vectorsError('PARSE_ERROR', `${path}: the array has shape (${shape.trim()}); a matrix of one row per word, shape (words, dim), is needed`);
    }
    const itemBytes = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
    if (itemBytes === 0) {
      throw vectorsError('PARSE_ERROR', `${path}: the array holds ${descr} values; save it as float32 (numpy: np.save(path, array.astype('<f4')))`);
    }
    if (fortran === 'True') {
      throw vectorsError('PARSE_ERROR', `${path}: the array is in Fortran (column) order; save it in C order (numpy: np.save(path, np.ascontiguousarray(array)))`);
    }
    const [rows, columns] = dims as [number, number];
    if (columns === 0) throw vectorsError('PARSE_ERROR', `${path}: the array has shape (${rows}, 0): vectors of no dimension`);
    const dataBytes = rows * columns * itemBytes;
    if (size < dataStart + dataBytes) {
      throw vectorsError('TRUNCATED_FILE', `${path}: shape (${rows}, ${columns}) of ${descr} needs ${dataStart + dataBytes} bytes, but the file ends at byte ${size}`);
    }
    // In WebAssembly memory, ready for the nearest-neighbour scan (no move on the first query).
    const data = allocateMatrix(rows, columns);
    // float32 is read straight into the matrix (no second copy of a large array); float64 through a buffer.
    const raw = itemBytes === 4 ? new Uint8Array(data.buffer, 0, data.byteLength) : new Uint8Array(dataBytes);
    const SLICE = 1 << 26;
    for (let done = 0; done < dataBytes; ) {
      const read = (await handle.read(raw, done, Math.min(SLICE, dataBytes - done), dataStart + done)).bytesRead;
      if (read === 0) throw vectorsError('TRUNCATED_FILE', `${path}: the file ends at byte ${dataStart + done} inside the array`);
      done += read;
    }
    if (itemBytes === 8) {
      const view = new DataView(raw.buffer);
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat64(8 * i, true);
    }
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) {
        const row = Math.floor(i / columns);
        throw vectorsError('NON_FINITE_VALUE', `${path}: row ${row} has ${data[i]} at component ${i - row * columns} (as float32); all values must be finite`);
      }
    }
    return { rows, columns, data };
  } finally {
    await handle.close();
  }
}

/**
 * Reads row labels: one per line, in row order, exactly as written (a final newline and `\r`
 * line ends are allowed; an empty line is an error naming it).
 */
export async function readLabelLines(path: string): Promise<string[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw vectorsError('FILE_NOT_FOUND', `${path}: no such file; check the path`, error);
    if (error instanceof TypeError) throw vectorsError('INVALID_UTF8', `${path}: the words file is not valid UTF-8`, error);
    throw error;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    const label = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (label.length === 0) throw vectorsError('PARSE_ERROR', `${path}: line ${i + 1} is empty; give one word per line, in the order of the matrix rows`);
    return label;
  });
}

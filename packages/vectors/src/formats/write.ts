/**
 * Writers for the word2vec text, word2vec binary and GloVe text formats.
 *
 * The file is written under a temporary name in the destination folder and renamed over the
 * destination only once complete, so an interrupted save never destroys an existing model.
 * Text values use the shortest decimal that reads back as the identical float32 (see
 * `numbers.ts`): exact round trips, and the same strings gensim writes. Binary files follow the
 * C tool byte for byte: "count dim\n", then per word `word␠` + dim little-endian float32 + "\n".
 * A name ending in `.gz` is gzipped. Spark model directories are `spark.ts`'s.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { writeAtomically } from '../atomic-write';
import { vectorsError } from '../errors';
import { writeFloat32 } from './numbers';
import type { VectorFormat } from './read';
import { writeSparkModel, type SparkApi } from './spark';

/** Bytes per write. */
const CHUNK_BYTES = 1 << 20;

/** Writes `labels` / `data` (row-major `labels.length × dim`) to `path` in `format`. */
export async function writeVectors(
  path: string,
  labels: readonly string[],
  dim: number,
  data: Float32Array,
  { format, sparkApi }: { format: VectorFormat; sparkApi: SparkApi },
): Promise<void> {
  if (format === 'spark') return writeSparkModel(path, labels, dim, data, { api: sparkApi });
  checkLabels(labels, format, path);
  const chunks = format === 'word2vec-binary' ? binaryChunks(labels, dim, data) : textChunks(labels, dim, data, format === 'word2vec-text');
  await writeAtomically(path, async (temporary) => {
    const output = createWriteStream(temporary);
    if (path.endsWith('.gz')) await pipeline(Readable.from(chunks), createGzip(), output);
    else await pipeline(Readable.from(chunks), output);
  });
}

/** Labels must survive the round trip: non-empty, and no separator of the format inside. */
function checkLabels(labels: readonly string[], format: VectorFormat, path: string): void {
  const forbidden = format === 'word2vec-binary' ? /[ \n]/ : /[ \t\n\r]/;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row] as string;
    if (label.length === 0 || forbidden.test(label)) {
      throw vectorsError(
        'INVALID_LABEL',
        `${path}: cannot save label ${JSON.stringify(label)} (row ${row}) in ${format} format: ` +
          (label.length === 0 ? 'it is empty' : 'it contains whitespace that separates fields') +
          '; rename it (e.g. replace spaces with "_") before saving',
      );
    }
  }
}

/** Upper bound of the bytes of one value: " " + the longest `writeFloat32` output (22). */
const MAX_VALUE_BYTES = 24;

function* textChunks(labels: readonly string[], dim: number, data: Float32Array, header: boolean): Generator<Buffer> {
  // Values are written as ASCII bytes straight into the chunk: no string per value.
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = header ? buffer.write(`${labels.length} ${dim}\n`, 0, 'utf8') : 0;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row] as string;
    const need = Buffer.byteLength(label, 'utf8') + dim * MAX_VALUE_BYTES + 1;
    if (used + need > buffer.length) {
      if (used > 0) yield buffer.subarray(0, used);
      buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
      used = 0;
    }
    used += buffer.write(label, used, 'utf8');
    const offset = row * dim;
    for (let j = 0; j < dim; j++) {
      buffer[used++] = 0x20;
      used = writeFloat32(data[offset + j] as number, buffer, used);
    }
    buffer[used++] = 0x0a;
  }
  if (used > 0) yield buffer.subarray(0, used);
}

function* binaryChunks(labels: readonly string[], dim: number, data: Float32Array): Generator<Buffer> {
  const vectorBytes = 4 * dim;
  let buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, vectorBytes + 1024));
  let used = buffer.write(`${labels.length} ${dim}\n`, 0, 'utf8');
  for (let row = 0; row < labels.length; row++) {
    const word = Buffer.from(`${labels[row] as string} `, 'utf8');
    const need = word.length + vectorBytes + 1;
    if (used + need > buffer.length) {
      yield buffer.subarray(0, used);
      buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
      used = 0;
    }
    used += word.copy(buffer, used);
    const offset = row * dim;
    for (let j = 0; j < dim; j++) buffer.writeFloatLE(data[offset + j] as number, used + 4 * j);
    used += vectorBytes;
    buffer[used++] = 0x0a;
  }
  if (used > 0) yield buffer.subarray(0, used);
}

// Shared helpers of the cooccurrence benchmarks: corpus loading, timing and memory probes,
// evaluation file paths. Runs on the BUILT packages (`npx turbo run build --filter=@embedkit/cooccurrence...`).
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CorpusEncoder, Vocabulary } from '@embedkit/tokenizer';

const here = path.dirname(fileURLToPath(import.meta.url));
/** `shared/` is a sibling of the repository clone. */
export const SHARED = path.resolve(here, '../../../../shared/data');
export const ENWIKI = path.join(SHARED, 'enwiki/enwiki-text8like.txt');
export const ANALOGY = path.join(SHARED, 'eval/google-analogy/questions-words.txt');
export const WORDSIM = path.join(SHARED, 'eval/wordsim353/faruqui/EN-WS-353-ALL.txt');
export const SIMLEX = path.join(SHARED, 'eval/simlex999/faruqui/EN-SIMLEX-999.txt');

/** Space-separated lines as sentences (the text8-like file is one paragraph per line). */
async function* sentences(file) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const tokens = line.split(' ').filter((t) => t.length > 0);
    if (tokens.length > 0) yield tokens;
  }
}

/** Two streaming passes: vocabulary, then ids. */
export async function loadCorpus(file, minCount = 5) {
  if (!existsSync(file)) throw new Error(`missing ${file}`);
  const vocabulary = await Vocabulary.fromSentenceStream(sentences(file), { minCount });
  const encoder = new CorpusEncoder(vocabulary);
  for await (const sentence of sentences(file)) encoder.addSentence(sentence);
  return encoder.finish();
}

/** Peak resident set size of this process so far, in MiB (Linux VmHWM). */
export async function peakRssMiB() {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile('/proc/self/status', 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

export function seconds(ms) {
  return (ms / 1000).toFixed(1);
}

/** argv `--name value` pairs. */
export function args(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    out[key] = typeof defaults[key] === 'number' ? Number(value) : value;
  }
  return out;
}

/** Writes vectors in word2vec text format (header "count dim"), for gensim. */
export async function writeVectors(file, embeddings) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(path.dirname(file), { recursive: true });
  const matrix = embeddings.toMatrix();
  const dim = embeddings.dim;
  const lines = [`${embeddings.size} ${dim}`];
  for (let i = 0; i < embeddings.size; i++) {
    const row = [];
    for (let j = 0; j < dim; j++) row.push(matrix[i * dim + j].toPrecision(7));
    lines.push(`${embeddings.labels[i]} ${row.join(' ')}`);
  }
  await writeFile(file, lines.join('\n') + '\n');
}

/** Writes counts as raw little-endian arrays + labels, read by reference_ppmi_svd.py. */
export async function writeCounts(dir, counts) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const m = counts.matrix;
  await writeFile(path.join(dir, 'indptr.f64'), new Uint8Array(m.indptr.buffer, m.indptr.byteOffset, m.indptr.byteLength));
  await writeFile(path.join(dir, 'indices.i32'), new Uint8Array(m.indices.buffer, m.indices.byteOffset, m.indices.byteLength));
  await writeFile(path.join(dir, 'data.f64'), new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  await writeFile(path.join(dir, 'labels.txt'), counts.labels.join('\n') + '\n');
  await writeFile(path.join(dir, 'shape.json'), JSON.stringify({ rows: m.rows, cols: m.cols, nnz: m.indices.length }));
}

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

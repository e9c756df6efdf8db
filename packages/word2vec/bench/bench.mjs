// Side-by-side benchmark of embedkit's word2vec against gensim, same settings, same run.
// Each training runs in its own process under `/usr/bin/time -v` (wall, CPU, peak RSS); both
// tools' vectors are scored by the same evaluator (evaluate.py, gensim's KeyedVectors).
//
// Usage (after `npx tsup` in this package and its dependencies):
//   node bench/bench.mjs [--runs 3] [--configs sg,cbow,sg-hs,cbow-hs] [--threads 2]
//                        [--tools embedkit,gensim] [--head LINES] [--iter 5] [--out results.json]
// Settings: the C tool's for text8: -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4
// -min-count 5 -iter 5, alpha 0.025 (skip-gram) / 0.05 (CBOW); the -hs configs use -hs 1 -negative 0.
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(here, '../../../../shared/data');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const runs = Number(args.runs ?? 3);
const configs = (args.configs ?? 'sg,cbow').split(',');
const threads = Number(args.threads ?? 2);
const tools = (args.tools ?? 'embedkit,gensim').split(',');
const iter = Number(args.iter ?? 5);
const work = mkdtempSync(join(tmpdir(), 'w2v-bench-'));
let input = join(dataDir, 'enwiki/enwiki-text8like.txt');

if (args.head) {
  const head = join(work, 'head.txt');
  const out = createWriteStream(head);
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(input) })) {
    if (n++ >= Number(args.head)) break;
    out.write(line + '\n');
  }
  await new Promise((r) => out.end(r));
  input = head;
}

// Words/s for both tools = raw whitespace tokens of the file × epochs / wall seconds (gensim's
// corpus_total_words; our Corpus counts only in-vocabulary tokens, so it is not used here).
let rawTokens = 0;
{
  const bytes = readFileSync(input);
  let inToken = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const space = b === 32 || b === 10 || b === 13 || b === 9;
    if (!space && !inToken) rawTokens++;
    inToken = !space;
  }
}

function timed(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  const field = (name) => Number(new RegExp(`${name}: ([\\d.:]+)`).exec(r.stderr)?.[1] ?? NaN);
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1));
  return { ...json, peakRssMiB: field('Maximum resident set size \\(kbytes\\)') / 1024, userSeconds: field('User time \\(seconds\\)'), systemSeconds: field('System time \\(seconds\\)') };
}

const median = (xs) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = [];
for (const config of configs) {
  const sg = config.startsWith('sg');
  const hs = config.endsWith('-hs');
  const settings = [sg ? 'sg' : 'cbow', String(threads), hs ? '1' : '0', hs ? '0' : '5', '1e-4', String(iter), '5', '100', '5', sg ? '0.025' : '0.05'];
  for (let run = 0; run < runs; run++) {
    // Alternate the order so that neither tool always runs first.
    const order = run % 2 === 0 ? tools : [...tools].reverse();
    for (const tool of order) {
      const vectors = join(work, `${tool}-${config}-${run}.bin`);
      const load = loadavg()[0];
      const r = tool === 'embedkit'
        ? timed(process.execPath, [join(here, 'run-ours.mjs'), input, vectors, ...settings, String(run + 1)])
        : timed('/usr/bin/python3', [join(here, 'run_gensim.py'), input, vectors, ...settings, String(run + 1)]);
      const q = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'evaluate.py'), vectors, dataDir], { encoding: 'utf8' }).trim().split('\n').at(-1));
      rmSync(vectors);
      const row = { config, tool, run, threads, loadBefore: load, ...r, rawTokens, wordsPerSecond: (rawTokens * iter) / r.seconds, ...q };
      results.push(row);
      console.error(JSON.stringify(row));
    }
  }
}

const lines = [
  `Input: ${input} (${rawTokens} tokens), iter ${iter}, threads ${threads}, ${runs} runs, medians. Machine: ${cpus().length} cores (${cpus()[0]?.model}), shared.`,
  '',
  '| config | tool | words/s | wall s | CPU s | peak RSS MiB | analogy | WS-353 | SimLex | load avg (1 min) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const config of configs) {
  for (const tool of tools) {
    const rows = results.filter((r) => r.config === config && r.tool === tool);
    const m = (k) => median(rows.map((r) => r[k]));
    lines.push(`| ${config} | ${tool} | ${Math.round(m('wordsPerSecond')).toLocaleString('en')} | ${m('seconds').toFixed(1)} | ${(m('userSeconds') + m('systemSeconds')).toFixed(1)} | ${m('peakRssMiB').toFixed(0)} | ${(100 * m('analogy')).toFixed(1)} | ${(100 * m('wordsim353')).toFixed(1)} | ${(100 * m('simlex999')).toFixed(1)} | ${m('loadBefore').toFixed(1)} |`);
  }
  const ours = results.filter((r) => r.config === config && r.tool === 'embedkit');
  const theirs = results.filter((r) => r.config === config && r.tool === 'gensim');
  if (ours.length && theirs.length) {
    lines.push(`| ${config} | ratio embedkit/gensim | ${(median(ours.map((r) => r.wordsPerSecond)) / median(theirs.map((r) => r.wordsPerSecond))).toFixed(2)} | | | ${(median(ours.map((r) => r.peakRssMiB)) / median(theirs.map((r) => r.peakRssMiB))).toFixed(2)} | ${(100 * (median(ours.map((r) => r.analogy)) - median(theirs.map((r) => r.analogy)))).toFixed(1)} | ${(100 * (median(ours.map((r) => r.wordsim353)) - median(theirs.map((r) => r.wordsim353)))).toFixed(1)} | ${(100 * (median(ours.map((r) => r.simlex999)) - median(theirs.map((r) => r.simlex999)))).toFixed(1)} | |`);
  }
}
const table = lines.join('\n');
console.log(table);
if (args.out) writeFileSync(args.out, JSON.stringify({ input, threads, runs, results, table }, null, 2));
rmSync(work, { recursive: true, force: true });

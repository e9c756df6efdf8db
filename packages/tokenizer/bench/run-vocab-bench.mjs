#!/usr/bin/env node
// Runs the vocabulary-pass benchmark: embedkit (built dist) and gensim's build_vocab on the same
// file, each under `/usr/bin/time -v`, interleaved so both see the same machine load. Checks that
// they agree on the counts, then prints a Markdown table of medians (wall, CPU, max RSS).
//
// Usage: node bench/run-vocab-bench.mjs [FILE] [--runs 3] [--modes whitespace,words,text8]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const file = resolve(
  args[0] && !args[0].startsWith('--') ? args[0] : resolve(here, '../../../../shared/data/enwiki/enwiki-text8like.txt'),
);
const runs = Number(flag('--runs', '3'));
const modes = flag('--modes', 'whitespace,words,text8').split(',');
if (!existsSync(file)) throw new Error(`no such file: ${file}`);

const commands = [
  ...modes.map((m) => ({ name: `embedkit countWords, mode '${m}'`, argv: [process.execPath, resolve(here, 'vocab-bench.mjs'), file, '--mode', m] })),
  { name: 'gensim build_vocab(corpus_file=…)', argv: ['/usr/bin/python3', resolve(here, 'gensim_vocab_bench.py'), file, 'corpus_file'] },
  { name: 'gensim build_vocab(LineSentence(…))', argv: ['/usr/bin/python3', resolve(here, 'gensim_vocab_bench.py'), file, 'linesentence'] },
];

function timeV(argv) {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${r.stderr}`);
  const field = (label) => {
    const m = r.stderr.match(new RegExp(`${label}[^\\n]*?: ([^\\n]+)`));
    if (!m) throw new Error(`no "${label}" in time -v output`);
    return m[1].trim();
  };
  const wallText = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
  const wall = wallText.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return {
    result: JSON.parse(r.stdout.trim().split('\n').pop()),
    wall,
    cpu: Number(field('User time')) + Number(field('System time')),
    rssMB: Number(field('Maximum resident set size')) / 1024,
  };
}

const loadavg = () => execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim().split(' ').slice(0, 3).join(' ');
const loadBefore = loadavg();
const samples = commands.map(() => []);
for (let run = 0; run < runs; run++) {
  commands.forEach((c, i) => {
    const s = timeV(c.argv);
    samples[i].push(s);
    console.error(`run ${run + 1}: ${c.name}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU, ${s.rssMB.toFixed(0)} MB`);
  });
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const rows = samples.map((ss, i) => ({
  name: commands[i].name,
  result: ss[0].result,
  wall: median(ss.map((s) => s.wall)),
  cpu: median(ss.map((s) => s.cpu)),
  rss: median(ss.map((s) => s.rssMB)),
}));
// What is timed must be right: every tool must find the same tokens and kept words.
const ref = rows.find((r) => r.name.includes('corpus_file'));
for (const r of rows) {
  if (r.name.includes("'words'")) continue; // Unicode words may differ on other files
  if (r.result.tokens !== ref.result.tokens || r.result.kept !== ref.result.kept) {
    throw new Error(`${r.name} disagrees with gensim: ${JSON.stringify(r.result)} vs ${JSON.stringify(ref.result)}`);
  }
}
const cpuName = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
console.log(`File: \`${file}\`; ${runs} runs each, interleaved; medians. Node ${process.version}; ${cpuName}; load average ${loadBefore} before, ${loadavg()} after (2 cores, shared).\n`);
console.log('| tool | tokens | distinct | kept (min 5) | wall s | CPU s | max RSS MB | wall vs gensim | CPU vs gensim | RSS vs gensim |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.result.tokens} | ${r.result.distinct ?? '—'} | ${r.result.kept} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${(r.wall / ref.wall).toFixed(2)}× | ${(r.cpu / ref.cpu).toFixed(2)}× | ${(r.rss / ref.rss).toFixed(2)}× |`,
  );
}
console.log('\n<details><summary>every run</summary>\n');
samples.forEach((ss, i) => ss.forEach((s, run) => console.log(`- run ${run + 1}, ${commands[i].name}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU, ${s.rssMB.toFixed(0)} MB`)));
console.log('\n</details>\n');

// GloVe benchmark with Stanford GloVe's text8 demo settings (demo.sh: min count 5, window 15,
// vector size 50, x_max 10, 15 iterations) on the enwiki text8-like corpus.
// Usage: node bench/glove.mjs [--threads 2 --out /tmp/embedkit-cooc]
import path from 'node:path';
import { countCooccurrences, nnz, trainGloveOnCounts } from '@embedkit/cooccurrence';
import { ENWIKI, args, loadCorpus, peakRssMiB, seconds, writeVectors } from './common.mjs';

const o = args({ out: '/tmp/embedkit-cooc', threads: 2, window: 15, dim: 50, xMax: 10, iterations: 15, minCount: 5, seed: 1 });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = performance.now();
const corpus = await loadCorpus(ENWIKI, o.minCount);
const t1 = performance.now();
const c1 = cpu();
const counts = countCooccurrences(corpus, { window: o.window, distanceWeighting: true });
const t2 = performance.now();
const c2 = cpu();
console.log(`load ${seconds(t1 - t0)} s; count (window ${o.window}, 1/d) wall ${seconds(t2 - t1)} s, cpu ${seconds(c2 - c1)} s: ${counts.labels.length} rows, ${nnz(counts.matrix)} pairs; peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
const result = await trainGloveOnCounts(counts, {
  dim: o.dim,
  xMax: o.xMax,
  iterations: o.iterations,
  threads: o.threads,
  seed: o.seed,
  onIteration: (p) => console.log(`iter ${String(p.iteration).padStart(2)}: cost ${p.loss.toFixed(6)} (${seconds(p.elapsedMs)} s)`),
});
const t3 = performance.now();
const c3 = cpu(); // main thread only; the workers' CPU time is not included
console.log(`glove: prepare ${seconds(result.timings.prepare)} s, train ${seconds(result.timings.train)} s wall (${o.threads} threads); peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
console.log(`TOTAL count + glove: wall ${seconds(t3 - t1)} s`);
const file = path.join(o.out, `embedkit-glove-${o.dim}.txt`);
await writeVectors(file, result.embeddings);
console.log(`wrote ${file}`);
void c3;

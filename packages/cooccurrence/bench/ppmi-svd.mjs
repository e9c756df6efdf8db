// PPMI-SVD benchmark on the enwiki text8-like corpus (30k vocabulary, window 5, dim 100):
// counts, exports them for the scipy reference (reference_ppmi_svd.py), factorises, writes the
// vectors for the gensim evaluator (evaluate.py).
// Usage: node bench/ppmi-svd.mjs [--out /tmp/embedkit-cooc --window 5 --maxVocab 30000 --dim 100
//                                 --eig 0.5 --powerIterations 3,6 --oversampling 10]
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { countCooccurrences, factorizeCounts, nnz, weightSingularVectors } from '@embedkit/cooccurrence';
import { Embeddings } from '@embedkit/vectors';
import { ENWIKI, args, loadCorpus, peakRssMiB, seconds, writeCounts, writeVectors } from './common.mjs';

const o = args({ out: '/tmp/embedkit-cooc', window: 5, maxVocab: 30000, minCount: 5, dim: 100, eig: 0.5, powerIterations: '3', oversampling: 10, exportCounts: 'yes' });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = performance.now();
const corpus = await loadCorpus(ENWIKI, o.minCount);
const t1 = performance.now();
const c1 = cpu();
const counts = countCooccurrences(corpus, { window: o.window, maxVocab: o.maxVocab });
const t2 = performance.now();
const c2 = cpu();
console.log(`load ${seconds(t1 - t0)} s; count ${seconds(t2 - t1)} s: ${counts.labels.length} rows, ${nnz(counts.matrix)} pairs; peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
if (o.exportCounts === 'yes') await writeCounts(path.join(o.out, 'counts'), counts);
for (const q of String(o.powerIterations).split(',').map(Number)) {
  const t3 = performance.now();
  const c3 = cpu();
  const result = factorizeCounts(counts, {
    dim: o.dim,
    weighting: 'ppmi',
    alpha: 0.75,
    eig: o.eig,
    svd: 'randomized',
    powerIterations: q,
    oversampling: o.oversampling,
  });
  const t4 = performance.now();
  const c4 = cpu();
  console.log(`[q=${q}] ppmi ${seconds(result.timings.weight)} s (${nnz(result.weighted)} positive entries); randomized svd ${seconds(result.timings.svd)} s; peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
  console.log(`[q=${q}] top singular values: ${Array.from(result.svd.s.slice(0, 5), (x) => x.toFixed(3)).join(' ')} … ${result.svd.s[o.dim - 1].toFixed(3)}`);
  console.log(`[q=${q}] count: wall ${seconds(t2 - t1)} s, cpu ${seconds(c2 - c1)} s; ppmi + svd: wall ${seconds(t4 - t3)} s, cpu ${seconds(c4 - c3)} s`);
  console.log(`[q=${q}] TOTAL count + ppmi + svd: wall ${seconds(t2 - t1 + (t4 - t3))} s, cpu ${seconds(c2 - c1 + (c4 - c3))} s`);
  // U·Σ^p for p = eig (default 0.5), 0 and 1, from the same SVD.
  for (const p of [o.eig, 0, 1].filter((x, i, all) => all.indexOf(x) === i)) {
    const file = path.join(o.out, `embedkit-ppmi-svd-q${q}-eig${p}.txt`);
    await writeVectors(file, new Embeddings(counts.labels, o.dim, weightSingularVectors(result.svd, p)));
    console.log(`wrote ${file}`);
  }
  await writeFile(path.join(o.out, `embedkit-singular-values-q${q}.json`), JSON.stringify(Array.from(result.svd.s)));
}

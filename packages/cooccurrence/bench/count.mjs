// Counting benchmark: window co-occurrence counts of the 14M-token enwiki text8-like corpus.
// Usage: node bench/count.mjs [--window 5 --maxVocab 30000]
import { countCooccurrences, nnz } from '@embedkit/cooccurrence';
import { ENWIKI, args, loadCorpus, peakRssMiB, seconds } from './common.mjs';

const options = args({ window: 5, maxVocab: 30000, minCount: 5 });
const t0 = performance.now();
const corpus = await loadCorpus(ENWIKI, options.minCount);
const t1 = performance.now();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c1 = cpu();
console.log(`corpus: ${corpus.tokenCount} tokens, ${corpus.sentenceCount} lines, vocabulary ${corpus.vocabulary.size}, loaded in ${seconds(t1 - t0)} s, peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);
const counts = countCooccurrences(corpus, { window: options.window, maxVocab: options.maxVocab });
const t2 = performance.now();
const c2 = cpu();
let total = 0;
for (let p = 0; p < counts.matrix.data.length; p++) total += counts.matrix.data[p];
console.log(`counts: ${counts.labels.length} rows, ${nnz(counts.matrix)} distinct pairs, total ${total}, in ${seconds(t2 - t1)} s wall, ${seconds(c2 - c1)} s cpu; peak RSS ${(await peakRssMiB()).toFixed(0)} MiB`);

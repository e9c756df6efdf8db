// One embedkit word2vec training run for the benchmark (run from the built dist).
// Times the whole training: vocabulary pass + encoding (Corpus.fromFile) + training. Saving the
// vectors (word2vec binary, for the shared evaluator) is not timed.
// Usage: node run-ours.mjs INPUT OUTPUT.bin sg|cbow THREADS HS NEGATIVE SAMPLE ITER MINCOUNT DIM WINDOW ALPHA SEED
import { Corpus } from '@embedkit/tokenizer';
import { shareCorpus, trainWord2Vec } from '@embedkit/word2vec';

const [input, output, model, threads, hs, negative, sample, iter, minCount, dim, window, alpha, seed] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// With workers, the ids go on a SharedArrayBuffer once (the loaded copy is dropped) instead of
// being copied for the workers while the corpus is still held.
let corpus = await Corpus.fromFile(input, { mode: 'whitespace', lowercase: false, normalize: false, minCount: Number(minCount), shared: Number(threads) > 1 });
if (Number(threads) > 1) corpus = shareCorpus(corpus);
const t1 = performance.now();
const { embeddings, stats } = await trainWord2Vec(corpus, {
  model: model === 'sg' ? 'skipgram' : 'cbow',
  threads: Number(threads),
  hs: hs === '1',
  negative: Number(negative),
  sample: Number(sample),
  epochs: Number(iter),
  dim: Number(dim),
  window: Number(window),
  alpha: Number(alpha),
  seed: Number(seed),
  progressIntervalMs: 30_000,
  onProgress: (p) => process.stderr.write(`progress ${(100 * p.fraction).toFixed(1)}% ${Math.round(p.wordsPerSecond)} words/s alpha ${p.alpha.toFixed(5)}\n`),
});
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
await embeddings.save(output, { format: 'word2vec-binary' });
const seconds = (t2 - t0) / 1000;
console.log(JSON.stringify({
  tool: 'embedkit',
  seconds,
  vocabSeconds: (t1 - t0) / 1000,
  trainSeconds: (t2 - t1) / 1000,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  tokens: corpus.tokenCount,
  vocabulary: corpus.vocabulary.size,
  wordsPerSecond: (corpus.tokenCount * Number(iter)) / seconds,
  finalLoss: stats.epochReports.at(-1)?.loss,
}));

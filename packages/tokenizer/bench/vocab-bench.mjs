#!/usr/bin/env node
// The embedkit side of the vocabulary-pass benchmark (see ../BENCHMARKS-vocab.md): read +
// tokenize + count a file with the BUILT package (run `npx tsup` first), then apply minCount.
//
// Usage: node bench/vocab-bench.mjs FILE [--mode words|whitespace|text8] [--min-count 5]
// Prints one JSON line: tokens, sentences, distinct words, kept words, seconds.
import { countWords } from '../dist/index.js';

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error('usage: node bench/vocab-bench.mjs FILE [--mode words|whitespace|text8] [--min-count 5]');
  process.exit(2);
}
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const mode = flag('--mode', 'whitespace');
const minCount = Number(flag('--min-count', '5'));

const t0 = performance.now();
const counter = await countWords(file, { mode });
const vocabulary = counter.toVocabulary({ minCount });
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    tool: `embedkit ${mode}`,
    tokens: counter.tokenCount,
    sentences: counter.sentenceCount,
    distinct: counter.distinctCount,
    kept: vocabulary.size,
    seconds: Number(seconds.toFixed(3)),
  }),
);

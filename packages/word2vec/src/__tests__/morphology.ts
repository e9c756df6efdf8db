// A generated corpus with shared morphology, for the subword tests.
//
// `stems` random five-letter stems fall into `topics` topics. Every stem appears in five forms
// (stem, stem+s, stem+ed, stem+ing, stem+er). A sentence is about one topic: eight forms of
// stems of that topic. For every third stem the `-ing` form is held out (never in the corpus):
// a subword model must give it a vector near its other forms (shared n-grams) and, beyond them,
// near the stems of its topic (learned through the shared n-gram rows).
import { createRng } from '@embedkit/sampling';
import { Corpus } from '@embedkit/tokenizer';

export const SUFFIXES = ['', 's', 'ed', 'ing', 'er'] as const;

export interface MorphologyCorpus {
  corpus: Corpus;
  stems: string[];
  /** Topic of each stem. */
  topicOf: Map<string, number>;
  /** Held-out words (stem + 'ing') and their stems. */
  heldOut: { word: string; stem: string }[];
}

export function morphologyCorpus(seed: number, topics = 8, stemsPerTopic = 6, sentences = 1500): MorphologyCorpus {
  const rng = createRng(seed, 77);
  const letters = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  const stems: string[] = [];
  const topicOf = new Map<string, number>();
  while (stems.length < topics * stemsPerTopic) {
    let stem = '';
    for (let k = 0; k < 5; k++) stem += k % 2 === 0 ? letters[rng.nextInt(letters.length)] : vowels[rng.nextInt(vowels.length)];
    if (topicOf.has(stem)) continue;
    topicOf.set(stem, Math.floor(stems.length / stemsPerTopic));
    stems.push(stem);
  }
  const heldOut = stems.filter((_, i) => i % 3 === 0).map((stem) => ({ word: `${stem}ing`, stem }));
  const held = new Set(heldOut.map((h) => h.word));
  const out: string[][] = [];
  for (let s = 0; s < sentences; s++) {
    const topic = rng.nextInt(topics);
    const words: string[] = [];
    while (words.length < 8) {
      const stem = stems[topic * stemsPerTopic + rng.nextInt(stemsPerTopic)]!;
      const word = stem + SUFFIXES[rng.nextInt(SUFFIXES.length)]!;
      if (!held.has(word)) words.push(word);
    }
    out.push(words);
  }
  return { corpus: Corpus.fromSentences(out, { minCount: 1 }), stems, topicOf, heldOut };
}

/** The stem a vocabulary word is a form of. */
export function stemOf(word: string, stems: readonly string[]): string | undefined {
  for (const stem of stems) if (word.startsWith(stem) && SUFFIXES.includes(word.slice(stem.length) as (typeof SUFFIXES)[number])) return stem;
  return undefined;
}

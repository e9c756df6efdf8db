/**
 * A generated corpus with planted structure, for conformance tests of the trainer.
 *
 * `groups` topics, each with a "country" word, a "capital" word and `groupWords` topic words.
 * A sentence is about one topic and one role: the role word (country or capital), a few topic
 * words, a few words shared by every sentence of that role ("nation"-like or "city"-like), and
 * uniform filler. So capital_i − country_i is the same offset for every i (the role words), and
 * country_i's neighbours are its own topic: planted analogies country_i : capital_i :: country_j :
 * capital_j and planted neighbours country_i ~ capital_i.
 */

import { createRng } from '@embedkit/sampling';

export interface PlantedCorpusOptions {
  groups?: number;
  groupWords?: number;
  roleWords?: number;
  fillerWords?: number;
  sentences?: number;
  seed?: number;
}

export interface PlantedCorpus {
  sentences: string[][];
  countries: string[];
  capitals: string[];
  /** Words of each topic, role words included. */
  topics: string[][];
}

export function plantedCorpus(options: PlantedCorpusOptions = {}): PlantedCorpus {
  const groups = options.groups ?? 8;
  const groupWords = options.groupWords ?? 4;
  const roleWords = options.roleWords ?? 4;
  const fillerWords = options.fillerWords ?? 20;
  const count = options.sentences ?? 2000;
  const rng = createRng(options.seed ?? 1, 7);
  const countries = Array.from({ length: groups }, (_, g) => `country${g}`);
  const capitals = Array.from({ length: groups }, (_, g) => `capital${g}`);
  const topicWords = Array.from({ length: groups }, (_, g) => Array.from({ length: groupWords }, (_, k) => `topic${g}w${k}`));
  const nationWords = Array.from({ length: roleWords }, (_, k) => `nation${k}`);
  const cityWords = Array.from({ length: roleWords }, (_, k) => `city${k}`);
  const filler = Array.from({ length: fillerWords }, (_, k) => `filler${k}`);
  const pick = (list: readonly string[]): string => list[rng.nextInt(list.length)]!;
  const sentences: string[][] = [];
  for (let s = 0; s < count; s++) {
    const g = rng.nextInt(groups);
    const capital = rng.nextFloat() < 0.5;
    const words = [capital ? capitals[g]! : countries[g]!];
    for (let k = 0; k < 3; k++) words.push(pick(topicWords[g]!));
    for (let k = 0; k < 2; k++) words.push(pick(capital ? cityWords : nationWords));
    for (let k = 0; k < 2; k++) words.push(pick(filler));
    // Shuffle so that every position is equally likely (Fisher-Yates).
    for (let i = words.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = words[i]!;
      words[i] = words[j]!;
      words[j] = t;
    }
    sentences.push(words);
  }
  const topics = topicWords.map((words, g) => [countries[g]!, capitals[g]!, ...words]);
  return { sentences, countries, capitals, topics };
}

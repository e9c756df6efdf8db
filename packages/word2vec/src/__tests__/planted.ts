// A generated corpus with planted structure, for the conformance suite.
//
// Entities i = 0..E-1 each have a "country" word c_i and a "capital" word k_i, and T topic words
// t_i_0..t_i_{T-1}. Two role groups hold R role words each (r_country_*, r_capital_*). A sentence
// is about one entity and one role: its word (c_i or k_i), `topicPerSentence` topic words of that
// entity and `rolePerSentence` words of that role, shuffled. So v(k_i) − v(c_i) ≈ (capital role) −
// (country role) for every i: the analogy c_a : k_a :: c_b : k_b is planted, and topic words of an
// entity are each other's neighbours.
import { createRng } from '@embedkit/sampling';
import { Corpus } from '@embedkit/tokenizer';

export interface PlantedCorpus {
  corpus: Corpus;
  entities: number;
  topics: number;
  /** Entity of each sentence. */
  sentenceEntity: Int32Array;
}

export function plantedCorpus(seed: number, entities = 8, sentences = 1600, topics = 4, roles = 4): PlantedCorpus {
  const rng = createRng(seed, 99);
  const out: string[][] = [];
  const sentenceEntity = new Int32Array(sentences);
  for (let s = 0; s < sentences; s++) {
    const i = rng.nextInt(entities);
    const capital = rng.nextInt(2) === 1;
    sentenceEntity[s] = i;
    const words = [capital ? `k${i}` : `c${i}`];
    for (let k = 0; k < 3; k++) words.push(`t${i}_${rng.nextInt(topics)}`);
    for (let k = 0; k < 3; k++) words.push(`${capital ? 'rk' : 'rc'}${rng.nextInt(roles)}`);
    for (let k = words.length - 1; k > 0; k--) {
      const j = rng.nextInt(k + 1);
      const tmp = words[k]!;
      words[k] = words[j]!;
      words[j] = tmp;
    }
    out.push(words);
  }
  return { corpus: Corpus.fromSentences(out, { minCount: 1 }), entities, topics, sentenceEntity };
}

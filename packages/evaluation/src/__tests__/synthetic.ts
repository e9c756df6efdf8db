// A small but realistic vector file for the agreement test with gensim, made without a trainer.
//
// Every word of the analogy and similarity files gets a vector with planted structure: each
// analogy section is a relation with its own offset vector, and the second word of a pair is the
// first plus that offset plus noise (noise level varying by section), so that a good share of
// questions is answered right and some wrong, differently per section. Words linked by several
// relations keep their first vector, so later relations hold only approximately — like real
// embeddings. Similarity pairs are nudged towards each other in proportion to their human score,
// so ρ is clearly positive. Filler words (random vectors) fill the frequency list; analogy and
// similarity words are scattered through it, some beyond the restriction, some missing, some
// written in their original capitalisation, some in two case variants.
import { parseAnalogies } from '../analogy-file';
import { parseSimilarityPairs } from '../similarity-file';
import { gaussian, rng } from './helpers';

export interface SyntheticVectors {
  readonly labels: string[];
  readonly dim: number;
  readonly data: Float32Array;
}

export function syntheticVectors(
  analogyText: string,
  similarityTexts: readonly string[],
  options: { seed: number; dim: number; size: number },
): SyntheticVectors {
  const { seed, dim, size } = options;
  const random = rng(seed);
  const normal = gaussian(rng(seed + 1));
  const randomVector = (scale: number): Float64Array => Float64Array.from({ length: dim }, () => scale * normal());
  const vectors = new Map<string, Float64Array>(); // keyed by lower-case word
  const originalCase = new Map<string, string>();

  const set = parseAnalogies(analogyText);
  set.sections.forEach((section, s) => {
    const offset = randomVector(0.8);
    // Calibrated over seeds 11 and 12: about 53 % right with 3CosAdd (sections from 2 % to 97 %),
    // about 29 % with 3CosMul.
    const noise = 0.9 + 0.3 * (s % 6);
    for (const question of section.questions) {
      for (const [x, y] of [
        [question[0], question[1]],
        [question[2], question[3]],
      ] as const) {
        const lx = x.toLowerCase();
        const ly = y.toLowerCase();
        originalCase.set(lx, x);
        originalCase.set(ly, y);
        const vx = vectors.get(lx);
        const vy = vectors.get(ly);
        if (vx !== undefined && vy !== undefined) continue;
        if (vx === undefined && vy === undefined) {
          const base = randomVector(1);
          vectors.set(lx, base);
          vectors.set(ly, base.map((v, j) => v + (offset[j] as number) + noise * normal()));
        } else if (vx !== undefined) {
          vectors.set(ly, vx.map((v, j) => v + (offset[j] as number) + noise * normal()));
        } else if (vy !== undefined) {
          vectors.set(lx, vy.map((v, j) => v - (offset[j] as number) + noise * normal()));
        }
      }
    }
  });
  const analogyWords = new Set(vectors.keys());

  for (const text of similarityTexts) {
    for (const pair of parseSimilarityPairs(text).pairs) {
      const a = pair.word1.toLowerCase();
      const b = pair.word2.toLowerCase();
      if (!vectors.has(a)) vectors.set(a, randomVector(1));
      if (!vectors.has(b)) vectors.set(b, randomVector(1));
      if (analogyWords.has(b)) continue;
      const va = vectors.get(a) as Float64Array;
      const vb = vectors.get(b) as Float64Array;
      const pull = (0.25 * pair.score) / 10;
      for (let j = 0; j < dim; j++) vb[j] = (vb[j] as number) + pull * (va[j] as number);
    }
  }

  // Labels: 3 % of the words missing; 15 % in their original case (Athens); 5 % in two variants,
  // the less frequent one a near copy (so that it competes as an answer and must be passed over).
  const entries: [string, Float64Array][] = [];
  for (const [word, vector] of vectors) {
    const u = random();
    if (u < 0.03) continue;
    const written = originalCase.get(word) ?? word;
    if (u < 0.18) entries.push([written === word ? word.toUpperCase() : written, vector]);
    else entries.push([word, vector]);
    if (random() < 0.05) {
      const variant = word.toUpperCase() === word ? `${word}_` : word.toUpperCase();
      if (variant !== entries[entries.length - 1]?.[0]) entries.push([variant, vector.map((v) => v + 0.05 * normal())]);
    }
  }
  // Scatter the words among fillers: row positions drawn at random over the whole list.
  const total = Math.max(size, entries.length);
  const slots = new Array<[string, Float64Array] | undefined>(total);
  for (const entry of entries) {
    let position = Math.floor(random() * total);
    while (slots[position] !== undefined) position = (position + 1) % total;
    slots[position] = entry;
  }
  const labels: string[] = [];
  const data = new Float32Array(total * dim);
  const seen = new Set<string>();
  let filler = 0;
  for (let row = 0; row < total; row++) {
    let entry = slots[row];
    if (entry === undefined || seen.has(entry[0])) entry = [`filler${filler++}`, randomVector(1)];
    seen.add(entry[0]);
    labels.push(entry[0]);
    // Six decimals in the file: store exactly what both sides will read.
    for (let j = 0; j < dim; j++) data[row * dim + j] = Number((entry[1][j] as number).toFixed(6));
  }
  return { labels, dim, data };
}

/** word2vec text format, values with six decimals. */
export function toWord2VecText(vectors: SyntheticVectors): string {
  const { labels, dim, data } = vectors;
  const lines = [`${labels.length} ${dim}`];
  for (let row = 0; row < labels.length; row++) {
    const parts = [labels[row] as string];
    for (let j = 0; j < dim; j++) parts.push((data[row * dim + j] as number).toFixed(6));
    lines.push(parts.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

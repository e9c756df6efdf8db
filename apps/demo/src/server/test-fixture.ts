/**
 * Small generated vectors for the server's tests and screenshots (not part of the command
 * line): about a hundred English words in a 16-dimensional space built so that the answers are
 * known — gender, royalty, age and family axes make "man : king :: woman : queen" hold, each
 * country shares an identity vector with its capital, and animals, colours, months and numbers
 * form clusters — plus forty "movies" in genre clusters with a MovieLens-style catalogue.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Embeddings } from '@embedkit/vectors';

const DIM = 16;

// mulberry32: a tiny seeded generator, enough for fixed fixture noise.
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noise(random: () => number, scale: number): number[] {
  return Array.from({ length: DIM }, () => (random() * 2 - 1) * scale);
}

function add(...vectors: number[][]): number[] {
  const out = new Array<number>(DIM).fill(0);
  for (const v of vectors) for (let j = 0; j < DIM; j++) out[j]! += v[j] ?? 0;
  return out;
}

function axis(index: number, value: number): number[] {
  const v = new Array<number>(DIM).fill(0);
  v[index] = value;
  return v;
}

/** The fixture's word vectors: labels and rows (frequency order does not matter here). */
export function fixtureWords(seed = 7): { labels: string[]; rows: number[][] } {
  const random = rng(seed);
  const labels: string[] = [];
  const rows: number[][] = [];
  const push = (label: string, vector: number[]) => {
    labels.push(label);
    rows.push(add(vector, noise(random, 0.08)));
  };

  // People: axis 0 gender (+ male), 1 royalty, 2 age (+ young), 3 family; 8 marks "person".
  const person = axis(8, 1.2);
  const people: [string, number, number, number, number][] = [
    ['man', 1, 0, 0, 0], ['woman', -1, 0, 0, 0], ['king', 1, 1.4, 0, 0], ['queen', -1, 1.4, 0, 0],
    ['boy', 1, 0, 1, 0], ['girl', -1, 0, 1, 0], ['prince', 1, 1.4, 1, 0], ['princess', -1, 1.4, 1, 0],
    ['father', 1, 0, 0, 1], ['mother', -1, 0, 0, 1], ['son', 1, 0, 1, 1], ['daughter', -1, 0, 1, 1],
    ['uncle', 1, 0, -0.3, 0.7], ['aunt', -1, 0, -0.3, 0.7], ['emperor', 1, 1.6, -0.2, 0], ['empress', -1, 1.6, -0.2, 0],
  ];
  for (const [word, g, r, a, f] of people) push(word, add(person, axis(0, g), axis(1, r), axis(2, a), axis(3, f)));

  // Countries and capitals: axis 4 (+ country, − city), 9 marks "place", a shared identity.
  const place = axis(9, 1.2);
  const pairs = [
    ['france', 'paris'], ['germany', 'berlin'], ['italy', 'rome'], ['spain', 'madrid'], ['japan', 'tokyo'],
    ['china', 'beijing'], ['russia', 'moscow'], ['egypt', 'cairo'], ['greece', 'athens'], ['portugal', 'lisbon'],
  ];
  for (const [country, capital] of pairs) {
    const identity = noise(random, 0.9);
    push(country as string, add(place, axis(4, 0.5), identity));
    push(capital as string, add(place, axis(4, -0.5), identity));
  }

  // Clusters: a direction each, members spread around it.
  const clusters: [number, string[]][] = [
    [5, ['cat', 'dog', 'horse', 'cow', 'sheep', 'mouse', 'lion', 'tiger', 'wolf', 'fox', 'rabbit', 'bear']],
    [6, ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white', 'pink', 'brown']],
    [7, ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']],
    [10, ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve']],
  ];
  for (const [direction, words] of clusters) {
    for (const word of words) push(word, add(axis(direction, 1.5), noise(random, 0.5)));
  }
  // Words sharing prefixes, for completion: kind, kingdom, kitchen, …
  for (const word of ['kind', 'kingdom', 'kitchen', 'kite', 'kingfisher', 'paris-based', 'parisian']) {
    push(word, noise(random, 0.9));
  }
  return { labels, rows };
}

function toEmbeddings(labels: string[], rows: number[][]): Embeddings {
  const data = new Float32Array(labels.length * DIM);
  rows.forEach((row, i) => data.set(row, i * DIM));
  return new Embeddings(labels, DIM, data);
}

/** The fixture's word vectors as {@link Embeddings}. */
export function fixtureEmbeddings(seed = 7): Embeddings {
  const { labels, rows } = fixtureWords(seed);
  return toEmbeddings(labels, rows);
}

const GENRES: [string, string[]][] = [
  ['Animation|Children', ['Toy Story (1995)', 'Lion King, The (1994)', 'Aladdin (1992)', 'Jungle Book, The (1994)', 'Pocahontas (1995)', 'Balto (1995)', 'Babe (1995)', 'Hunchback of Notre Dame, The (1996)', 'Beauty and the Beast (1991)', 'Pinocchio (1940)']],
  ['Crime|Thriller', ['Usual Suspects, The (1995)', 'Heat (1995)', 'Se7en (1995)', 'Pulp Fiction (1994)', 'Fargo (1996)', 'Reservoir Dogs (1992)', 'Casino (1995)', 'Leon: The Professional (1994)', 'Silence of the Lambs, The (1991)', 'Godfather, The (1972)']],
  ['Sci-Fi|Action', ['Star Wars: Episode IV - A New Hope (1977)', 'Terminator 2: Judgment Day (1991)', 'Matrix, The (1999)', 'Alien (1979)', 'Blade Runner (1982)', 'Independence Day (a.k.a. ID4) (1996)', 'Twelve Monkeys (a.k.a. 12 Monkeys) (1995)', 'Total Recall (1990)', 'Jurassic Park (1993)', 'Fifth Element, The (1997)']],
  ['Comedy|Romance', ['American President, The (1995)', 'Sabrina (1995)', 'Four Weddings and a Funeral (1994)', 'Clueless (1995)', 'Groundhog Day (1993)', 'Notting Hill (1999)', 'Pretty Woman (1990)', 'Sleepless in Seattle (1993)', 'While You Were Sleeping (1995)', 'Annie Hall (1977)']],
];

/** The fixture's item vectors (ids "1"…"40", one genre cluster per ten) and their catalogue. */
export function fixtureItems(seed = 11): { items: Embeddings; catalogCsv: string } {
  const random = rng(seed);
  const labels: string[] = [];
  const rows: number[][] = [];
  const lines = ['movieId,title,genres'];
  GENRES.forEach(([genres, titles], g) => {
    titles.forEach((title) => {
      const id = String(labels.length + 1);
      labels.push(id);
      rows.push(add(axis(g * 3, 1.5), noise(random, 0.5)));
      const quoted = /[",]/.test(title) ? `"${title.replace(/"/g, '""')}"` : title;
      lines.push(`${id},${quoted},${genres}`);
    });
  });
  lines.push('999,"Not in the vectors, The (2000)",Drama');
  return { items: toEmbeddings(labels, rows), catalogCsv: `${lines.join('\n')}\n` };
}

function word2vecText(embeddings: Embeddings): string {
  const lines = [`${embeddings.size} ${embeddings.dim}`];
  for (const label of embeddings.labels) {
    const vector = embeddings.getOrThrow(label);
    lines.push(`${label} ${Array.from(vector, (x) => x.toFixed(6)).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the fixture to `dir` as word2vec text files and a catalogue:
 * `words.txt`, `items.txt`, `movies.csv`. Returns their paths.
 */
export async function writeFixtureFiles(dir: string): Promise<{ words: string; items: string; catalog: string }> {
  const { items, catalogCsv } = fixtureItems();
  const paths = { words: join(dir, 'words.txt'), items: join(dir, 'items.txt'), catalog: join(dir, 'movies.csv') };
  await writeFile(paths.words, word2vecText(fixtureEmbeddings()));
  await writeFile(paths.items, word2vecText(items));
  await writeFile(paths.catalog, catalogCsv);
  return paths;
}

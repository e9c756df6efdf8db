/**
 * The JSON API behind the web page: vocabulary completion, nearest neighbours, analogies, a 2-D
 * PCA map of a word's neighbourhood and, when item vectors are loaded, item search and
 * recommendations with catalogue titles. Each route validates its parameters with
 * {@link QueryReader} and answers a plain JSON value; every failure is an {@link HttpError}.
 */
import { pca } from '@embedkit/cooccurrence';
import { isEmbedkitError } from '@embedkit/errors';
import { Recommender } from '@embedkit/item2vec';
import type { Embeddings, Neighbour } from '@embedkit/vectors';
import type { Catalog, CatalogEntry } from './catalog';
import { PrefixIndex } from './completion';
import { HttpError, MAX_TEXT_LENGTH, QueryReader } from './params';

/** Bounds of the API's numeric parameters (also sent to the page by `/api/info`). */
export const LIMITS = {
  /** Largest `topn` of neighbours, analogies and recommendations. */
  topN: 100,
  /** Largest number of neighbours drawn on the map. */
  mapPoints: 100,
  /** Largest number of completions or item search results. */
  completions: 50,
  /** Largest number of items a recommendation starts from. */
  basket: 50,
  /** Longest word, item id or search text. */
  text: MAX_TEXT_LENGTH,
} as const;

/** What the server explores. */
export interface ExplorerData {
  /** Word (or any) vectors: completion, neighbours, analogies, map. */
  readonly vectors: Embeddings;
  /** Item vectors (item2vec): item search and recommendations. */
  readonly items?: Embeddings | undefined;
  /** Titles and genres of the items, by item id. */
  readonly catalog?: Catalog | undefined;
  /** Shown on the page (a file name, never a full path). */
  readonly vectorsName?: string | undefined;
  /** Shown on the page for the item vectors (a file name). */
  readonly itemsName?: string | undefined;
  /** The table of `embedkit families`, cells already formatted (shown in its own panel). */
  readonly families?: FamiliesTable | undefined;
  /**
   * The form in which a typed word is looked up when it is not a word as typed: the training
   * tokenizer's normalisation (`embedkit serve -tokenizer`). Default: as typed only.
   */
  readonly wordForm?: ((word: string) => string) | undefined;
}

/** The families comparison as the page shows it: column titles, one row of cells per method. */
export interface FamiliesTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** One line: when, on what, with which command. */
  readonly caption: string;
}

/** A route handler: validated query in, JSON value out. */
export type ApiHandler = (query: URLSearchParams) => unknown;

interface ItemView {
  id: string;
  title: string;
  genres: readonly string[];
}

const SUGGESTION = /did you mean ("(?:[^"\\]|\\.)*")\?/;

/**
 * The row of `word`, or an HttpError 404 whose message the page shows as is:
 * "'xyz' is not in the vocabulary; did you mean 'xya'?" (the suggestion is the nearest spelling
 * within two edits that `getOrThrow`'s error names, also sent as `suggestion`).
 */
function requireLabel(
  embeddings: Embeddings,
  label: string,
  what: 'vocabulary' | 'item vectors',
  wordForm?: (word: string) => string,
): string {
  if (embeddings.has(label)) return label;
  if (wordForm !== undefined) {
    const form = wordForm(label);
    if (embeddings.has(form)) return form;
  }
  let suggestion: string | undefined;
  try {
    embeddings.getOrThrow(label);
  } catch (error) {
    if (!isEmbedkitError(error, 'UNKNOWN_KEY')) throw error;
    const match = SUGGESTION.exec(error.message);
    if (match) {
      try {
        const parsed: unknown = JSON.parse(match[1] as string);
        if (typeof parsed === 'string') suggestion = parsed;
      } catch {
        // Not a JSON string after all: no suggestion.
      }
    }
  }
  const name = what === 'vocabulary' ? `'${label}' is not in the vocabulary` : `Item '${label}' has no vector`;
  const message =
    suggestion === undefined
      ? `${name} (${embeddings.size.toLocaleString('en-US')} ${what === 'vocabulary' ? 'words' : 'items'}).`
      : `${name}; did you mean '${suggestion}'?`;
  throw new HttpError(404, message, suggestion === undefined ? { word: label } : { word: label, suggestion });
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function neighbourView(neighbours: readonly Neighbour[]): { label: string; similarity: number }[] {
  return neighbours.map((n) => ({ label: n.label, similarity: round(n.similarity) }));
}

/**
 * Builds the API routes (path → handler) over `data`. Builds the completion index once
 * (O(V log V)).
 */
export function createApi(data: ExplorerData): Map<string, ApiHandler> {
  const { vectors, items, catalog, wordForm } = data;
  const requireWord = (text: string): string => requireLabel(vectors, text, 'vocabulary', wordForm);
  const words = new PrefixIndex(vectors.labels);
  const itemIndex = items === undefined ? undefined : new PrefixIndex(items.labels);
  // The basket is a set of liked items, not a timed session: every item weighs the same.
  const recommender = items === undefined ? undefined : new Recommender(items, { recencyDecay: 1 });
  // Lower-cased titles of the items that have a vector, for title search.
  const titled: { entry: CatalogEntry; key: string }[] = [];
  if (items !== undefined && catalog !== undefined) {
    for (const label of items.labels) {
      const entry = catalog.get(label);
      if (entry !== undefined) titled.push({ entry, key: entry.title.toLowerCase() });
    }
  }

  const itemView = (id: string): ItemView => {
    const entry = catalog?.get(id);
    return { id, title: entry?.title ?? id, genres: entry?.genres ?? [] };
  };
  const requireItems = (): Embeddings => {
    if (items === undefined) {
      throw new HttpError(404, 'No item vectors are loaded: start the server with --items FILE (and --catalog movies.csv for titles).');
    }
    return items;
  };

  const routes = new Map<string, ApiHandler>();

  routes.set('/api/info', (query) => {
    new QueryReader(query, []);
    return {
      vectors: { name: data.vectorsName ?? null, size: vectors.size, dim: vectors.dim },
      items:
        items === undefined
          ? null
          : { name: data.itemsName ?? null, size: items.size, dim: items.dim, titles: titled.length },
      limits: LIMITS,
      families: data.families !== undefined,
    };
  });

  routes.set('/api/families', (query) => {
    new QueryReader(query, []);
    if (data.families === undefined) {
      throw new HttpError(404, 'No families comparison is loaded: run embedkit families (it saves models/families.json), then serve with --families FILE.');
    }
    return data.families;
  });

  routes.set('/api/complete', (query) => {
    const q = new QueryReader(query, ['prefix', 'limit']);
    const prefix = q.text('prefix');
    const limit = q.integer('limit', 10, 1, LIMITS.completions);
    return { prefix, words: words.complete(prefix, limit) };
  });

  routes.set('/api/neighbours', (query) => {
    const q = new QueryReader(query, ['word', 'topn']);
    const word = requireWord(q.text('word'));
    const topN = q.integer('topn', 10, 1, LIMITS.topN);
    return { word, neighbours: neighbourView(vectors.mostSimilar({ positive: [word], topN })) };
  });

  routes.set('/api/analogy', (query) => {
    const q = new QueryReader(query, ['a', 'b', 'c', 'topn', 'method']);
    const a = requireWord(q.text('a'));
    const b = requireWord(q.text('b'));
    const c = requireWord(q.text('c'));
    const topN = q.integer('topn', 10, 1, LIMITS.topN);
    const method = q.choice('method', ['3CosAdd', '3CosMul'] as const, '3CosAdd');
    return { a, b, c, method, answers: neighbourView(vectors.analogy(a, b, c, { topN, method })) };
  });

  routes.set('/api/map', (query) => {
    const q = new QueryReader(query, ['word', 'n']);
    const word = requireWord(q.text('word'));
    const n = q.integer('n', 30, 2, LIMITS.mapPoints);
    const neighbours = vectors.mostSimilar({ positive: [word], topN: n });
    const labels = [word, ...neighbours.map((x) => x.label)];
    const similarities = [1, ...neighbours.map((x) => x.similarity)];
    return { word, ...projectToPlane(vectors, labels, similarities) };
  });

  routes.set('/api/items', (query) => {
    const q = new QueryReader(query, ['query', 'limit']);
    const itemVectors = requireItems();
    const text = q.text('query');
    const limit = q.integer('limit', 10, 1, LIMITS.completions);
    const found: ItemView[] = [];
    const seen = new Set<string>();
    // Exact id first, then ids by prefix, then titles containing the text.
    if (itemVectors.has(text)) {
      found.push(itemView(text));
      seen.add(text);
    }
    for (const id of itemIndex?.complete(text, limit) ?? []) {
      if (found.length >= limit) break;
      if (!seen.has(id)) {
        found.push(itemView(id));
        seen.add(id);
      }
    }
    const key = text.toLowerCase();
    for (let i = 0; i < titled.length && found.length < limit; i++) {
      const { entry, key: title } = titled[i] as { entry: CatalogEntry; key: string };
      if (!seen.has(entry.id) && title.includes(key)) {
        found.push(itemView(entry.id));
        seen.add(entry.id);
      }
    }
    return { query: text, items: found };
  });

  routes.set('/api/recommend', (query) => {
    const q = new QueryReader(query, ['items', 'topn']);
    const itemVectors = requireItems();
    const ids = q.list('items', LIMITS.basket).map((id) => requireLabel(itemVectors, id, 'item vectors'));
    const topN = q.integer('topn', 10, 1, LIMITS.topN);
    // item2vec's recommendation for a session: the items closest (cosine) to the mean of the
    // basket's unit vectors, the basket's own items excluded.
    const recommendations = (recommender as Recommender).recommend(ids, topN).map((r) => ({
      ...itemView(r.item),
      similarity: round(r.score),
    }));
    return { items: ids.map(itemView), recommendations };
  });

  return routes;
}

/** A point of the map. */
interface MapPoint {
  label: string;
  x: number;
  y: number;
  similarity: number;
}

/**
 * Coordinates of `rows` vectors (row-major, `dim` wide) in an orthonormal basis of their span
 * (modified Gram–Schmidt, O(rows² · dim)). An isometry of the points, mean included, so PCA of
 * the result equals PCA of the input; but the covariance is rank × rank instead of dim × dim,
 * which makes a 31-point map of 300-dimensional vectors ~30× cheaper to project.
 */
function spanCoordinates(data: Float64Array, rows: number, dim: number): { coordinates: Float64Array; rank: number } {
  const basis = new Float64Array(Math.min(rows, dim) * dim);
  const residual = new Float64Array(dim);
  let rank = 0;
  for (let r = 0; r < rows; r++) {
    const rowOffset = r * dim;
    let norm0 = 0;
    for (let j = 0; j < dim; j++) {
      residual[j] = data[rowOffset + j] as number;
      norm0 += (residual[j] as number) * (residual[j] as number);
    }
    for (let b = 0; b < rank; b++) {
      const basisOffset = b * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += (residual[j] as number) * (basis[basisOffset + j] as number);
      for (let j = 0; j < dim; j++) residual[j] = (residual[j] as number) - dot * (basis[basisOffset + j] as number);
    }
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (residual[j] as number) * (residual[j] as number);
    // A row (numerically) inside the span found so far adds no direction.
    if (rank >= dim || norm <= 1e-20 * Math.max(norm0, 1e-300)) continue;
    const scale = 1 / Math.sqrt(norm);
    const basisOffset = rank * dim;
    for (let j = 0; j < dim; j++) basis[basisOffset + j] = (residual[j] as number) * scale;
    rank++;
  }
  const coordinates = new Float64Array(rows * Math.max(rank, 1));
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < rank; b++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += (data[r * dim + j] as number) * (basis[b * dim + j] as number);
      coordinates[r * rank + b] = dot;
    }
  }
  return { coordinates, rank };
}

/**
 * 2-D PCA coordinates of the unit vectors of `labels` (cosine geometry, so that the map agrees
 * with the similarity bars), scaled to [-1, 1] on the wider axis with the aspect ratio kept.
 */
function projectToPlane(
  vectors: Embeddings,
  labels: readonly string[],
  similarities: readonly number[],
): { points: MapPoint[]; explainedVarianceRatio: number[] } {
  const dim = vectors.dim;
  const rows = labels.length;
  const data = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const vector = vectors.getOrThrow(labels[r] as string);
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (vector[j] as number) * (vector[j] as number);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) data[r * dim + j] = (vector[j] as number) * scale;
  }
  const { coordinates: reduced, rank } = spanCoordinates(data, rows, dim);
  const width = Math.max(rank, 1);
  const k = Math.min(2, width);
  const result = pca(reduced, rows, width, k);
  let extent = 0;
  for (let i = 0; i < result.coordinates.length; i++) extent = Math.max(extent, Math.abs(result.coordinates[i] as number));
  const scale = extent > 1e-12 ? 1 / extent : 0;
  const points: MapPoint[] = [];
  for (let r = 0; r < rows; r++) {
    points.push({
      label: labels[r] as string,
      x: round((result.coordinates[r * k] as number) * scale),
      // Points spanning a single direction have no second axis: draw them on a line.
      y: k > 1 ? round((result.coordinates[r * k + 1] as number) * scale) : 0,
      similarity: round(similarities[r] as number),
    });
  }
  const ratio = Array.from(result.explainedVarianceRatio, (v) => round(v));
  while (ratio.length < 2) ratio.push(0);
  return { points, explainedVarianceRatio: ratio };
}

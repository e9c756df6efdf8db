/**
 * @embedkit/vectors: the `Embeddings` store every trainer returns and every consumer reads —
 * labelled vectors, nearest neighbours, analogies and the word2vec / GloVe / fastText formats.
 * It imports no trainer: loading and querying pretrained vectors needs this package alone.
 */

// Embeddings and queries
export { Embeddings } from './embeddings';
export type {
  AnalogyOptions,
  MostSimilarOptions,
  MostSimilarToVectorOptions,
  Neighbour,
} from './embeddings';

// Errors
export type { VectorsErrorCode } from './errors';

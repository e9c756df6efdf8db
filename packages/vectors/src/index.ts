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

// File formats
export type { LoadOptions, SaveOptions } from './formats/options';
export type { VectorFormat } from './formats/read';
export type { UnicodeErrorPolicy } from './formats/utf8';
export { formatFloat32 } from './formats/numbers';

// Errors
export type { VectorsErrorCode } from './errors';

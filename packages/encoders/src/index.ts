/**
 * @embedkit/encoders: the `Embedder` contract that every embedding family implements — static
 * vectors pooled into sentence vectors, contextual encoders run offline, hosted embedding APIs.
 */

// The contract
export { LOCAL_PRICE } from './embedder';
export type {
  EmbedCost,
  EmbedOptions,
  EmbedPrice,
  EmbedProgress,
  Embedder,
  EmbedderFamily,
  EmbeddingBatch,
  TokenEmbeddings,
} from './embedder';

// Static word vectors as sentence embedders (pooling itself: SentencePooler in @embedkit/vectors)
export { StaticEmbedder, STATIC_BATCH_SIZE } from './static/static-embedder';
export type { SifEmbedderOptions, StaticEmbedderOptions } from './static/static-embedder';

// Errors
export type { EncodersErrorCode } from './errors';

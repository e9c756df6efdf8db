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

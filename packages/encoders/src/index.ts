/**
 * @embedkit/encoders: the `Embedder` contract that every embedding family implements — static
 * vectors pooled into sentence vectors, contextual encoders run offline, hosted embedding APIs.
 */

// The contract
export type {
  EmbedCost,
  EmbedOptions,
  EmbedProgress,
  Embedder,
  EmbedderFamily,
  EmbeddingBatch,
  TokenEmbeddings,
} from './embedder';

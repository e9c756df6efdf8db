/**
 * @embedkit/word2vec-tfjs: the article's two-matrix word2vec model (lookup matrix → hidden layer →
 * context matrix → prediction) written with TensorFlow.js tensors and automatic differentiation,
 * on native TensorFlow when `@tensorflow/tfjs-node(-gpu)` is installed, else WebAssembly, else
 * plain JavaScript. For fast CPU training use `@embedkit/word2vec`.
 */

// Training
export { trainWord2VecTfjs } from './train';
export type {
  Word2VecTfjsOptions,
  Word2VecTfjsModel,
  Word2VecTfjsLoss,
  Word2VecTfjsOptimizer,
  Word2VecTfjsResult,
  TfjsTrainingProgress,
  TfjsEpochReport,
  TfjsTrainingStats,
} from './types';

// The network, for reading and for custom training loops
export { createNetwork } from './model';
export type { TfjsWord2VecNetwork, BatchTensors } from './model';
export { BatchBuilder } from './batches';
export type { BatchSettings } from './batches';

// Backends
export { selectBackend, wasmBinariesDirectory, BACKEND_CHOICES } from './backend';
export type { BackendChoice, BackendName, TfjsBackend, Tf, SelectBackendOptions } from './backend';

// Errors
export type { Word2VecTfjsErrorCode } from './errors';

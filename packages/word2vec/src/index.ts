/**
 * @embedkit/word2vec: skip-gram and CBOW with negative sampling and hierarchical softmax, as fast
 * as the C tool, single-threaded (reproducible) or in Hogwild worker threads.
 */

// Training
export { trainWord2Vec, shareCorpus } from './train';
export type {
  Word2VecModel,
  Word2VecOptions,
  Word2VecResult,
  SubwordWord2VecResult,
  Word2VecState,
  Word2VecSettings,
  TrainingStats,
  TrainingProgress,
  EpochReport,
} from './types';

// Model files (continue training later)
export { saveWord2VecModel, loadWord2VecModel, WORD2VEC_MODEL_MAGIC, WORD2VEC_MODEL_VERSION } from './model-file';

// Subwords (fastText): the `subwords` option and its building blocks
export { resolveSubwordOption, buildBagTables, subwordExtraBytes } from './subword';
export type { SubwordOptions, BagTables } from './subword';

// Options and limits
export { resolveOptions, estimateMemory, MAX_DIM, MAX_WINDOW, MAX_THREADS } from './options';
export type { ResolvedOptions } from './options';

// Building blocks (for tests, teaching and other trainers)
export { buildHuffmanTree } from './huffman';
export type { HuffmanTree } from './huffman';
export { Word2VecKernel, EXP_TABLE_SIZE, MAX_EXP } from './kernel';
export type { KernelData } from './kernel';

// Samplers, re-exported for convenience
export { UnigramSampler } from '@embedkit/sampling';
export type { NegativeSampler, WorkerSamplerSpec, WindowMode } from '@embedkit/sampling';

// Errors
export type { Word2VecErrorCode } from './errors';

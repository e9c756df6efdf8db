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

// Cosine of two plain vectors (outside an Embeddings)
export { cosineSimilarity } from './cosine';

// Sentence vectors (mean and SIF pooling over any Embeddings)
export { SentencePooler } from './pooling';
export type { MeanPoolingOptions, PooledSentences, PooledTokens, PoolingWeighting, SifPoolingOptions, WordCounts } from './pooling';

// File formats
export type { LoadOptions, SaveOptions } from './formats/options';
export type { VectorFormat } from './formats/read';
export { SPARK_ML_CLASS, SPARK_MLLIB_CLASS, isSparkModelDirectory } from './formats/spark';
export type { SparkApi } from './formats/spark';
export type { UnicodeErrorPolicy } from './formats/utf8';
export { formatFloat32 } from './formats/numbers';
export { pickleProtocol } from './formats/foreign';
export { writeAtomically, writeInSlices } from './atomic-write';

// WebAssembly assembler (byte-level helpers for small SIMD kernels; also used by @embedkit/word2vec)
export { wasmAssembler } from './wasm/assembler';
export type { WasmApi, WasmFunction, WasmMemory } from './wasm/assembler';

// Errors
export type { VectorsErrorCode } from './errors';

// Subword vectors (fastText-style character n-grams; fastText .bin models)
export { SubwordEmbeddings } from './subword/subword-embeddings';
export { SUBWORD_DEFAULTS, MAX_NGRAM_LENGTH, resolveSubwordSettings, ngramMatrixBytes } from './subword/settings';
export type { SubwordSettings } from './subword/settings';
export {
  END_OF_SENTENCE,
  MAX_WORD_LENGTH,
  buildSubwordTable,
  fastTextHash,
  fastTextHashString,
  ngramBucketsOf,
  ngramsOf,
  subwordRows,
} from './subword/ngrams';
export { FASTTEXT_MAGIC, FASTTEXT_VERSION, readFastTextBin, writeFastTextBin } from './subword/fasttext-bin';
export type { FastTextArgs, FastTextBinContents, FastTextBinModel, ReadFastTextBinOptions } from './subword/fasttext-bin';
export { SUBWORD_MODEL_MAGIC, SUBWORD_MODEL_VERSION, readSubwordModel, writeSubwordModel } from './subword/model-file';
export type { SubwordModelParts } from './subword/model-file';
export { formatFastTextFloat, formatFastTextVectorLine } from './subword/print';
export type { SubwordErrorCode } from './subword/errors';

/**
 * @embedkit/tokenizer: from raw text in any language to the encoded corpus every trainer reads.
 */

// Tokenizing
export { tokenize, Tokenizer, resolveTokenizeOptions, AS_WRITTEN, isWrittenWithoutSpaces, isUnspacedCodePoint, UNSPACED_CHARS_PER_TOKEN } from './tokenize';
export type { TokenizeOptions, TokenizeMode, ResolvedTokenizeOptions } from './tokenize';

// Streaming readers
export { readSentences, forEachSentence, resolveReadOptions } from './read';
export type { ReadSentencesOptions, ResolvedReadOptions } from './read';
export { isParquetTable } from './parquet';

// Vocabulary
export { Vocabulary, WordCounter, SENTENCE_MARKER, looksLikeWholeLines } from './vocabulary';
export type { VocabularyOptions, VocabularySaveOptions, VocabularyLoadOptions, LineLikeTokens } from './vocabulary';

// Encoded corpus
export { Corpus, CorpusEncoder, countWords } from './corpus';
export type { CorpusOptions, CorpusFileOptions } from './corpus';

// Streamed corpus (read from its file each pass) and what both kinds of corpus share
export { StreamingCorpus, openCorpusPart, corpusRanges, wordTable } from './stream';
export type { CorpusSource, CorpusReader, EncodedBatch, CorpusPart, PartReadOptions, StreamingCorpusOptions, WordTable } from './stream';

// Errors
export type { TokenizerErrorCode } from './errors';

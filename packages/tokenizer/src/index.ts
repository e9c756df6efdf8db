/**
 * @embedkit/tokenizer: from raw text in any language to the encoded corpus every trainer reads.
 */

// Tokenizing
export { tokenize, Tokenizer, resolveTokenizeOptions } from './tokenize';
export type { TokenizeOptions, TokenizeMode, ResolvedTokenizeOptions } from './tokenize';

// Vocabulary
export { Vocabulary, WordCounter, SENTENCE_MARKER } from './vocabulary';
export type { VocabularyOptions, VocabularySaveOptions, VocabularyLoadOptions } from './vocabulary';

// Encoded corpus
export { Corpus, CorpusEncoder } from './corpus';
export type { CorpusOptions } from './corpus';

// Errors
export type { TokenizerErrorCode } from './errors';

/**
 * @embedkit/bilm: a small ELMo-style bidirectional language model trained with TensorFlow.js on
 * your own corpus, so that a contextual encoder runs on a machine with no pretrained weights:
 * token vectors that change with their sentence, and sentence vectors, behind the `Embedder`
 * contract of @embedkit/encoders.
 */

// Training and measuring
export { trainContextualEncoder, evaluateContextualEncoder, CONTEXTUAL_DEFAULTS } from './train';
export type { TrainContextualEncoderOptions, ContextualEvaluation } from './train';

// The encoder and its files
export { BilmEncoder, loadContextualEncoder, isContextualEncoderDirectory, contextualEncoderFault, BILM_FORMAT, BILM_BATCH_SIZE, SENTENCE_BOUNDARY, UNKNOWN_WORD } from './encoder';
export type { BilmTrainingReport, LoadContextualEncoderOptions } from './encoder';

// The network, for reading
export { BilmNetwork, weightShapes } from './network';
export type { BilmShape } from './network';

// Errors
export type { BilmErrorCode } from './errors';

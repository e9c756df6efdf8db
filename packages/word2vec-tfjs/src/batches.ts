/**
 * Builds training batches in typed arrays from a `Corpus`: the "first phase" of gensim's two-phase
 * loop. Subsampling, windows and negatives all come from `@embedkit/sampling`, driven by one
 * seeded `Rng`, so a seed gives the same batches on every backend. The tensors are made from these
 * arrays once per step, and the arrays are reused for the whole run.
 *
 * Naming: the *input* side of an example goes through `wIn` to the hidden layer, the *output* side
 * is scored against `wOut`. Skip-gram: input = the centre word, output = one context word.
 * CBOW: input = the bag of context words (averaged), output = the centre word.
 */

import { contextRange, effectiveWindow, keepThresholds } from '@embedkit/sampling';
import type { NegativeSampler, Rng } from '@embedkit/sampling';
import type { Corpus } from '@embedkit/tokenizer';

/** What the builder needs from the options. */
export interface BatchSettings {
  model: 'skipgram' | 'cbow';
  loss: 'softmax' | 'negative';
  window: number;
  windowMode: 'dynamic' | 'fixed';
  negative: number;
  sample: number;
  batchSize: number;
}

/**
 * Fills fixed-size typed arrays with the next examples of the corpus, epoch after epoch.
 * Call {@link BatchBuilder.startEpoch}, then {@link BatchBuilder.fill} until it returns 0.
 */
export class BatchBuilder {
  /** Skip-gram: `batchSize` centre ids. CBOW: `batchSize × bagWidth` context ids, padded with 0. */
  readonly inputIds: Int32Array;
  /** CBOW: weight of each slot of `inputIds` (1 / bag size, 0 for padding). Empty for skip-gram. */
  readonly bagWeights: Float32Array;
  /** CBOW: slots per bag, `2 · window`. 1 for skip-gram. */
  readonly bagWidth: number;
  /** The positive output of each example (`batchSize`). */
  readonly outputIds: Int32Array;
  /**
   * Negative sampling: per example, `1 + negative` output ids (the positive one, then the
   * negatives) and their labels: +1 positive, −1 negative, 0 for a negative that drew the positive
   * word itself (skipped, as the C tool does).
   */
  readonly sampledIds: Int32Array;
  readonly sampledSigns: Float32Array;

  /** Tokens read in this epoch (before subsampling). */
  tokensProcessed = 0;
  /** Tokens kept after subsampling in this epoch. */
  tokensTrained = 0;

  private readonly corpus: Corpus;
  private readonly settings: BatchSettings;
  private readonly rng: Rng;
  private readonly sampler: NegativeSampler | undefined;
  private readonly keep: Uint32Array;
  private readonly range = new Int32Array(2);
  private kept: Int32Array;
  private keptLength = 0;
  private sentence = -1;
  private position = 0;
  private contextEnd = 0;
  /** Next context position of the current skip-gram centre, -1 before its window is drawn. */
  private contextNext = -1;

  constructor(corpus: Corpus, settings: BatchSettings, rng: Rng, sampler: NegativeSampler | undefined) {
    this.corpus = corpus;
    this.settings = settings;
    this.rng = rng;
    this.sampler = sampler;
    const b = settings.batchSize;
    this.bagWidth = settings.model === 'cbow' ? 2 * settings.window : 1;
    this.inputIds = new Int32Array(b * this.bagWidth);
    this.bagWeights = new Float32Array(settings.model === 'cbow' ? b * this.bagWidth : 0);
    this.outputIds = new Int32Array(b);
    const k1 = settings.loss === 'negative' ? 1 + settings.negative : 0;
    this.sampledIds = new Int32Array(b * k1);
    this.sampledSigns = new Float32Array(b * k1);
    const vocabulary = corpus.vocabulary;
    this.keep = keepThresholds(vocabulary.counts, vocabulary.totalCount, settings.sample);
    let longest = 0;
    const offsets = corpus.sentenceOffsets;
    for (let s = 0; s < corpus.sentenceCount; s++) longest = Math.max(longest, offsets[s + 1]! - offsets[s]!);
    this.kept = new Int32Array(longest);
  }

  /** Rewinds to the first sentence. */
  startEpoch(): void {
    this.sentence = -1;
    this.keptLength = 0;
    this.position = 0;
    this.contextNext = -1;
    this.tokensProcessed = 0;
    this.tokensTrained = 0;
  }

  /** Loads the next sentence, subsampled, into `kept`; false at the end of the corpus. */
  private nextSentence(): boolean {
    const corpus = this.corpus;
    if (this.sentence + 1 >= corpus.sentenceCount) return false;
    const s = ++this.sentence;
    const ids = corpus.ids;
    const start = corpus.sentenceOffsets[s]!;
    const end = corpus.sentenceOffsets[s + 1]!;
    const keep = this.keep;
    const kept = this.kept;
    const rng = this.rng;
    const subsample = this.settings.sample > 0;
    let n = 0;
    for (let p = start; p < end; p++) {
      const id = ids[p]!;
      if (subsample && keep[id]! !== 0xffffffff && rng.nextUint32() > keep[id]!) continue;
      kept[n++] = id;
    }
    this.keptLength = n;
    this.tokensProcessed += end - start;
    this.tokensTrained += n;
    this.position = 0;
    this.contextNext = -1;
    return true;
  }

  /** Draws the negatives of example `e` whose positive output is `outputId`. */
  private sampleOutputs(e: number, inputId: number, outputId: number): void {
    const k1 = 1 + this.settings.negative;
    const ids = this.sampledIds;
    const signs = this.sampledSigns;
    const sampler = this.sampler as NegativeSampler;
    const rng = this.rng;
    const base = e * k1;
    ids[base] = outputId;
    signs[base] = 1;
    for (let k = 1; k < k1; k++) {
      const d = sampler.draw(rng, inputId);
      ids[base + k] = d;
      signs[base + k] = d === outputId ? 0 : -1;
    }
  }

  /** Fills the arrays with up to `batchSize` examples; returns how many (0 at the end of the epoch). */
  fill(): number {
    return this.settings.model === 'cbow' ? this.fillCbow() : this.fillSkipgram();
  }

  private fillSkipgram(): number {
    const b = this.settings.batchSize;
    const negative = this.settings.loss === 'negative';
    const kept = this.kept;
    const range = this.range;
    let count = 0;
    while (count < b) {
      if (this.position >= this.keptLength) {
        if (!this.nextSentence()) break;
        continue;
      }
      const i = this.position;
      if (this.contextNext < 0) {
        const span = effectiveWindow(this.rng, this.settings.window, this.settings.windowMode);
        contextRange(i, this.keptLength, span, range);
        this.contextNext = range[0]!;
        this.contextEnd = range[1]!;
      }
      const centre = kept[i]!;
      let j = this.contextNext;
      const end = this.contextEnd;
      while (j < end && count < b) {
        if (j !== i) {
          const context = kept[j]!;
          this.inputIds[count] = centre;
          this.outputIds[count] = context;
          if (negative) this.sampleOutputs(count, centre, context);
          count++;
        }
        j++;
      }
      this.contextNext = j;
      if (j >= end) {
        this.position = i + 1;
        this.contextNext = -1;
      }
    }
    return count;
  }

  private fillCbow(): number {
    const b = this.settings.batchSize;
    const negative = this.settings.loss === 'negative';
    const width = this.bagWidth;
    const inputIds = this.inputIds;
    const weights = this.bagWeights;
    const kept = this.kept;
    const range = this.range;
    let count = 0;
    while (count < b) {
      if (this.position >= this.keptLength) {
        if (!this.nextSentence()) break;
        continue;
      }
      const i = this.position++;
      const span = effectiveWindow(this.rng, this.settings.window, this.settings.windowMode);
      contextRange(i, this.keptLength, span, range);
      const base = count * width;
      let c = 0;
      for (let j = range[0]!; j < range[1]!; j++) {
        if (j !== i) inputIds[base + c++] = kept[j]!;
      }
      if (c === 0) continue;
      const w = 1 / c;
      for (let k = 0; k < c; k++) weights[base + k] = w;
      for (let k = c; k < width; k++) {
        inputIds[base + k] = 0;
        weights[base + k] = 0;
      }
      const target = kept[i]!;
      this.outputIds[count] = target;
      if (negative) this.sampleOutputs(count, target, target);
      count++;
    }
    return count;
  }
}

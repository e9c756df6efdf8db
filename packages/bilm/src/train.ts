/**
 * Training the bidirectional language model on tokenized sentences, and measuring it on held-out
 * ones. Both towers learn from every position (next word forward, previous word backward) with a
 * sampled softmax: the true word against `negatives` words drawn from the unigram^0.75
 * distribution shared by the batch, corrected by log Q (the chance each was drawn) and with accidental hits masked, as in Jean et al. 2015 (ELMo trained the
 * same way), so a step costs no V-wide product.
 */
import { createRng, UnigramSampler } from '@embedkit/sampling';
import { Vocabulary } from '@embedkit/tokenizer';
import { selectBackend } from '@embedkit/word2vec-tfjs';
import type { BackendChoice } from '@embedkit/word2vec-tfjs';
import type * as tfTypes from '@tensorflow/tfjs';
import { BilmEncoder, SENTENCE_BOUNDARY, UNKNOWN_WORD } from './encoder';
import type { BilmTrainingReport } from './encoder';
import { bilmError, throwIfAborted } from './errors';
import { BilmNetwork } from './network';

/** Options of {@link trainContextualEncoder}; every field has a default. */
export interface TrainContextualEncoderOptions {
  /** Words kept, most frequent first, `</s>` and `<unk>` included. Default 10 000. */
  readonly vocabularySize?: number;
  /** Words seen fewer times become `<unk>`. Default 3. */
  readonly minCount?: number;
  /** Width of embeddings and tower states; token vectors are twice as wide. Default 64. */
  readonly dim?: number;
  /** Feed-forward width of each tower. Default 2 × dim. */
  readonly ffnDim?: number;
  /** Training window in tokens (`maxTokens` is window − 2). Default 64. */
  readonly window?: number;
  /** Windows per step. Default 32. */
  readonly batchSize?: number;
  /** Sampled-softmax negatives per step, shared by the batch. Default 256 (512 cost 1.4× the CPU per step for no better held-out accuracy at 150 steps). */
  readonly negatives?: number;
  /** Adam's learning rate. Default 0.003. */
  readonly learningRate?: number;
  /** Stop after this many steps. Default: no limit (then `seconds` stops). */
  readonly steps?: number;
  /** Stop after this much wall time. Default 150 s (when `steps` is not given). */
  readonly seconds?: number;
  /** Seed of initialisation and sampling. Default 1. */
  readonly seed?: number;
  /** TensorFlow.js backend. Default `'auto'`. */
  readonly backend?: BackendChoice;
  /** Save the model there when done (see `BilmEncoder.save`). Default: not saved. */
  readonly output?: string;
  /** Name in tables. Default `bilm`. */
  readonly name?: string;
  /** Stops training between steps; rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
  /** Called every `progressEvery` steps. */
  readonly onProgress?: (progress: { step: number; seconds: number; loss: number; tokensSeen: number }) => void;
  /** Steps between progress calls. Default 20. */
  readonly progressEvery?: number;
}

/** The defaults of {@link TrainContextualEncoderOptions} (the `families` comparison uses them). */
export const CONTEXTUAL_DEFAULTS = Object.freeze({
  vocabularySize: 10_000,
  minCount: 3,
  dim: 64,
  window: 64,
  batchSize: 32,
  negatives: 256,
  learningRate: 0.003,
  seconds: 150,
  seed: 1,
});

function positiveInteger(value: unknown, name: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new RangeError(`trainContextualEncoder: ${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

/** Sentences as one id stream, each sentence followed by `</s>` (id 0); unknown words are 1. */
function encodeStream(sentences: readonly (readonly string[])[], ids: ReadonlyMap<string, number>): Int32Array {
  let total = 0;
  for (const s of sentences) total += s.length + 1;
  const stream = new Int32Array(total);
  let at = 0;
  for (const sentence of sentences) {
    for (const word of sentence) stream[at++] = ids.get(word) ?? 1;
    stream[at++] = 0;
  }
  return stream;
}

/**
 * Trains the ELMo-style encoder on `sentences` (lower-case word tokens, e.g. `sotuSentences()`
 * from @embedkit/datasets, whose tokenizer the encoder uses on new text).
 *
 * With the defaults (10k words, dim 64, 150 s) on 2 CPU cores and the wasm backend it sees a few
 * hundred thousand tokens of the State of the Union corpus; see the package README for the
 * figures measured.
 *
 * @throws EmbedkitError `EMPTY_CORPUS` when there are fewer tokens than one window, `ABORTED`.
 */
export async function trainContextualEncoder(sentences: readonly (readonly string[])[], options: TrainContextualEncoderOptions = {}): Promise<BilmEncoder> {
  if (!Array.isArray(sentences)) throw new TypeError('trainContextualEncoder: sentences must be an array of token arrays');
  const vocabularySize = positiveInteger(options.vocabularySize ?? CONTEXTUAL_DEFAULTS.vocabularySize, 'vocabularySize', 3);
  const minCount = positiveInteger(options.minCount ?? CONTEXTUAL_DEFAULTS.minCount, 'minCount');
  const dim = positiveInteger(options.dim ?? CONTEXTUAL_DEFAULTS.dim, 'dim', 2);
  const ffnDim = positiveInteger(options.ffnDim ?? 2 * dim, 'ffnDim');
  const window = positiveInteger(options.window ?? CONTEXTUAL_DEFAULTS.window, 'window', 4);
  const batchSize = positiveInteger(options.batchSize ?? CONTEXTUAL_DEFAULTS.batchSize, 'batchSize');
  const requestedNegatives = positiveInteger(options.negatives ?? CONTEXTUAL_DEFAULTS.negatives, 'negatives');
  const seed = positiveInteger(options.seed ?? CONTEXTUAL_DEFAULTS.seed, 'seed');
  const learningRate = options.learningRate ?? CONTEXTUAL_DEFAULTS.learningRate;
  if (!(learningRate > 0 && learningRate < 1)) throw new RangeError(`trainContextualEncoder: learningRate must be in (0, 1), got ${String(learningRate)}`);
  const maxSteps = options.steps === undefined ? Number.POSITIVE_INFINITY : positiveInteger(options.steps, 'steps');
  const seconds = options.seconds ?? (options.steps === undefined ? CONTEXTUAL_DEFAULTS.seconds : Number.POSITIVE_INFINITY);
  if (!(seconds > 0)) throw new RangeError(`trainContextualEncoder: seconds must be > 0, got ${String(seconds)}`);
  const progressEvery = positiveInteger(options.progressEvery ?? 20, 'progressEvery');
  throwIfAborted(options.signal, 'Training');

  // Vocabulary: </s>, <unk>, then the most frequent words.
  const counted = Vocabulary.fromSentences(sentences, { minCount });
  const keep = Math.min(counted.size, vocabularySize - 2);
  const words = [SENTENCE_BOUNDARY, UNKNOWN_WORD];
  for (let id = 0; id < keep; id++) if (counted.words[id] !== SENTENCE_BOUNDARY && counted.words[id] !== UNKNOWN_WORD) words.push(counted.words[id] as string);
  const ids = new Map(words.map((w, id) => [w, id]));
  const stream = encodeStream(sentences, ids);
  if (stream.length < window + 1) throw bilmError('EMPTY_CORPUS', `The corpus has ${stream.length} tokens (with sentence ends), fewer than one window of ${window}: give more sentences or a smaller window.`);
  const counts = new Float64Array(words.length);
  for (let i = 0; i < stream.length; i++) counts[stream[i] as number] = (counts[stream[i] as number] as number) + 1;
  // Frequency order after </s> and <unk> may differ slightly from `counted` (unknown words pooled): fine for the file.

  // Distinct negatives must be drawable: at most half the words that occur.
  let occurring = 0;
  for (let id = 0; id < counts.length; id++) if ((counts[id] as number) > 0) occurring++;
  const negatives = Math.max(1, Math.min(requestedNegatives, Math.floor(occurring / 2)));

  const { tf, name: backend } = await selectBackend(options.backend ?? 'auto');
  const network = new BilmNetwork(tf, { vocabularySize: words.length, dim, ffnDim, window }, undefined, seed);
  const rng = createRng(seed, 7);
  const sampler = new UnigramSampler(counts, { exponent: 0.75 });
  let qTotal = 0;
  for (let id = 0; id < counts.length; id++) qTotal += (counts[id] as number) ** 0.75;
  const q = new Float64Array(counts.length);
  for (let id = 0; id < counts.length; id++) q[id] = (counts[id] as number) ** 0.75 / qTotal;
  const drawnSteps = new Int32Array(counts.length);

  // Which rows of the window predict which: forward row t → target t+1, backward row t+1 → target t.
  const pairs = batchSize * (window - 1);
  const before = new Int32Array(pairs);
  const after = new Int32Array(pairs);
  for (let b = 0, k = 0; b < batchSize; b++) for (let t = 0; t < window - 1; t++, k++) {
    before[k] = b * window + t;
    after[k] = b * window + t + 1;
  }
  const beforeTensor = tf.tensor1d(before, 'int32');
  const afterTensor = tf.tensor1d(after, 'int32');
  const optimizer = tf.train.adam(learningRate);
  const windowIds = new Int32Array(batchSize * window);
  const negativeLogQ = new Float32Array(negatives);
  const hits = new Float32Array(2 * pairs * negatives);
  const negativeSlot = new Int32Array(counts.length);
  const negativeIds = new Int32Array(negatives);
  const variables = [...network.weights.values()];

  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let step = 0;
  let loss = Number.NaN;
  try {
    while (step < maxSteps && (performance.now() - start) / 1000 < seconds) {
      throwIfAborted(options.signal, 'Training');
      for (let b = 0; b < batchSize; b++) {
        const offset = rng.nextInt(stream.length - window + 1);
        windowIds.set(stream.subarray(offset, offset + window), b * window);
      }
      // Distinct negatives (a word drawn twice would compete twice); Q is then the chance that a
      // word is among them after `draws` draws: 1 − (1 − q)^draws.
      let draws = 0;
      for (let k = 0; k < negatives; ) {
        const id = sampler.draw(rng, -1);
        draws++;
        if (drawnSteps[id] === step + 1) continue;
        drawnSteps[id] = step + 1;
        negativeIds[k] = id;
        k++;
      }
      for (let k = 0; k < negatives; k++) negativeLogQ[k] = Math.log(-Math.expm1(draws * Math.log1p(-(q[negativeIds[k] as number] as number))));
      // Accidental hits, built here: the wasm backend's broadcasting Equal took longer than the step.
      hits.fill(0);
      for (let k = 0; k < negatives; k++) negativeSlot[negativeIds[k] as number] = k + 1;
      for (let b = 0, r = 0; b < batchSize; b++) {
        for (let t = 0; t < window - 1; t++, r++) {
          const next = negativeSlot[windowIds[b * window + t + 1] as number] as number;
          if (next > 0) hits[r * negatives + next - 1] = -1e9;
          const previous = negativeSlot[windowIds[b * window + t] as number] as number;
          if (previous > 0) hits[(pairs + r) * negatives + previous - 1] = -1e9;
        }
      }
      for (let k = 0; k < negatives; k++) negativeSlot[negativeIds[k] as number] = 0;
      const lossTensor = tf.tidy(() => {
        const idsTensor = tf.tensor1d(windowIds, 'int32');
        const negativeTensor = tf.tensor1d(negativeIds, 'int32');
        const negativeLogQTensor = tf.tensor1d(negativeLogQ);
        // Forward-tower rows first, then backward-tower rows (two tensors: no concat, whose
        // gradient is a SplitV the wasm backend runs element by element).
        const forwardHits = tf.tensor2d(hits.subarray(0, pairs * negatives), [pairs, negatives]);
        const backwardHits = tf.tensor2d(hits.subarray(pairs * negatives), [pairs, negatives]);
        return optimizer.minimize(() => {
          const { forward, backward } = network.run(idsTensor, batchSize, window, true);
          const embeddings = network.weight('embeddings');
          const bias = network.weight('output.bias');
          const negativeEmbeddings = tf.transpose(network.gather(embeddings, negativeTensor, true));
          const negativeBias = tf.sub(network.gatherEntries(bias, negativeTensor, true), negativeLogQTensor);
          // Summed loss of one tower's rows. The true word's own logit is not corrected (it is
          // there with probability 1); a negative that happens to be the true word is masked out
          // (an "accidental hit").
          const towerLoss = (states: tfTypes.Tensor, targets: tfTypes.Tensor, towerHits: tfTypes.Tensor) => {
            const trueLogit = tf.add(tf.sum(tf.mul(states, network.gather(embeddings, targets, true)), 1), network.gatherEntries(bias, targets, true));
            const negativeLogits = tf.add(tf.add(network.matMul(states, negativeEmbeddings, true), negativeBias), towerHits);
            return tf.sum(sampledSoftmaxLoss(tf, trueLogit, negativeLogits));
          };
          const forwardLoss = towerLoss(network.gather(forward, beforeTensor, true), network.gatherEntries(idsTensor, afterTensor, false), forwardHits);
          const backwardLoss = towerLoss(network.gather(backward, afterTensor, true), network.gatherEntries(idsTensor, beforeTensor, false), backwardHits);
          return tf.div(tf.add(forwardLoss, backwardLoss), 2 * pairs) as tfTypes.Scalar;
        }, true, variables) as tfTypes.Scalar;
      });
      step++;
      if (step % progressEvery === 0 || step === maxSteps) {
        loss = (await lossTensor.data())[0] as number;
        if (!Number.isFinite(loss)) throw bilmError('EMPTY_CORPUS', `Training diverged at step ${step} (loss ${loss}); lower learningRate.`);
        options.onProgress?.({ step, seconds: (performance.now() - start) / 1000, loss, tokensSeen: step * batchSize * window });
      } else {
        await lossTensor.data(); // keeps the backend's queue bounded
      }
      lossTensor.dispose();
    }
  } catch (error) {
    network.dispose();
    throw error;
  } finally {
    optimizer.dispose();
    beforeTensor.dispose();
    afterTensor.dispose();
  }
  const report: BilmTrainingReport = {
    steps: step,
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: cpuSecondsSince(cpuStart),
    tokensSeen: step * batchSize * window,
    trainingTokens: stream.length,
    finalLoss: loss,
    backend,
    seed,
  };
  const encoder = new BilmEncoder(network, words, counts, report, options.name);
  if (options.output !== undefined) await encoder.save(options.output);
  return encoder;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Per-row sampled-softmax loss, log(e^t + Σ e^n) − t, for true logits `t` [R] and negative logits
 * `n` [R, K], with its gradient written out (softmax − one-hot): tfjs's own goes through max's
 * `Equal` and a concat of t and n, both slow on the wasm backend.
 */
function sampledSoftmaxLoss(tf: BilmNetwork['tf'], trueLogits: tfTypes.Tensor, negativeLogits: tfTypes.Tensor): tfTypes.Tensor {
  const op = tf.customGrad(((t: tfTypes.Tensor, n: tfTypes.Tensor, save: (tensors: tfTypes.Tensor[]) => void) => {
    const top = tf.maximum(t, tf.max(n, 1));
    const trueExp = tf.exp(tf.sub(t, top));
    const negativeExp = tf.exp(tf.sub(n, tf.expandDims(top, 1)));
    const total = tf.add(trueExp, tf.sum(negativeExp, 1));
    save([trueExp, negativeExp, total]);
    return {
      value: tf.sub(tf.add(tf.log(total), top), t),
      gradFunc: (dy: tfTypes.Tensor | tfTypes.Tensor[], saved: tfTypes.Tensor[]) => {
        const [e, ne, z] = saved as [tfTypes.Tensor, tfTypes.Tensor, tfTypes.Tensor];
        const scale = tf.div(dy as tfTypes.Tensor, z);
        return [tf.sub(tf.mul(scale, e), dy as tfTypes.Tensor), tf.mul(tf.expandDims(scale, 1), ne)];
      },
    };
  }) as unknown as Parameters<BilmNetwork['tf']['customGrad']>[0]) as unknown as (t: tfTypes.Tensor, n: tfTypes.Tensor) => tfTypes.Tensor;
  return op(trueLogits, negativeLogits);
}

/** What {@link evaluateContextualEncoder} measured on held-out sentences. */
export interface ContextualEvaluation {
  /** Positions predicted (targets that are words in the vocabulary, not `</s>` or `<unk>`). */
  readonly positions: number;
  /** Share of next words the forward tower ranks first (full softmax). */
  readonly nextWordAccuracy: number;
  /** Share of words ranked first from both sides (forward state before + backward state after). */
  readonly fillInAccuracy: number;
  /** Share of the same targets that always guessing the most frequent one gets right. */
  readonly unigramAccuracy: number;
}

/**
 * Next-word and fill-in-the-blank accuracy on `sentences` (not seen in training), against the
 * unigram baseline. Sentences longer than the model's `maxTokens` are cut.
 */
export async function evaluateContextualEncoder(encoder: BilmEncoder, sentences: readonly (readonly string[])[], batchSize = 32): Promise<ContextualEvaluation> {
  const network = encoder.network;
  const tf = network.tf;
  let positions = 0;
  let nextHits = 0;
  let fillHits = 0;
  const targetCounts = new Map<number, number>();
  for (let start = 0; start < sentences.length; start += batchSize) {
    const batch = sentences.slice(start, start + batchSize).map((s) => s.slice(0, encoder.maxTokens).map((w) => encoder.idOf(w)));
    let length = 3;
    for (const s of batch) length = Math.max(length, s.length + 2);
    const ids = new Int32Array(batch.length * length);
    batch.forEach((s, row) => ids.set(s, row * length + 1));
    const [nextPredictions, fillPredictions] = tf.tidy(() => {
      const { forward, backward } = network.run(tf.tensor1d(ids, 'int32'), batch.length, length, false);
      const table = network.weight('embeddings');
      const bias = network.weight('output.bias');
      const logProbs = (states: tfTypes.Tensor) => tf.logSoftmax(tf.add(tf.matMul(states as tfTypes.Tensor2D, table as tfTypes.Tensor2D, false, true), bias));
      const f = tf.reshape(logProbs(forward), [batch.length, length, -1]);
      const b = tf.reshape(logProbs(backward), [batch.length, length, -1]);
      const v = network.shape.vocabularySize;
      // Target at position t (1..length−2): forward state t−1, backward state t+1.
      const fBefore = tf.slice(f, [0, 0, 0], [batch.length, length - 2, v]);
      const bAfter = tf.slice(b, [0, 2, 0], [batch.length, length - 2, v]);
      return [tf.argMax(fBefore, 2), tf.argMax(tf.add(fBefore, bAfter), 2)];
    }) as [tfTypes.Tensor, tfTypes.Tensor];
    const next = (await nextPredictions.data()) as Int32Array;
    const fill = (await fillPredictions.data()) as Int32Array;
    nextPredictions.dispose();
    fillPredictions.dispose();
    batch.forEach((s, row) => {
      s.forEach((target, j) => {
        if (target < 2) return;
        positions++;
        targetCounts.set(target, (targetCounts.get(target) ?? 0) + 1);
        if (next[row * (length - 2) + j] === target) nextHits++;
        if (fill[row * (length - 2) + j] === target) fillHits++;
      });
    });
  }
  let most = 0;
  for (const count of targetCounts.values()) most = Math.max(most, count);
  const share = (n: number) => (positions === 0 ? 0 : n / positions);
  return { positions, nextWordAccuracy: share(nextHits), fillInAccuracy: share(fillHits), unigramAccuracy: share(most) };
}

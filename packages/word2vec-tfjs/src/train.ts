/**
 * The training loop: batches from typed arrays, one `tf.tidy` per optimizer step (every
 * intermediate tensor of the forward and backward pass is freed at the end of the step), progress
 * and epoch callbacks, abort between steps, and the trained `wIn` returned as `Embeddings`.
 */

import { EmbedkitError } from '@embedkit/errors';
import { UnigramSampler, createRng } from '@embedkit/sampling';
import type { Corpus } from '@embedkit/tokenizer';
import { Embeddings } from '@embedkit/vectors';
import type * as tfTypes from '@tensorflow/tfjs';
import { selectBackend } from './backend';
import { BatchBuilder } from './batches';
import type { Word2VecTfjsErrorCode } from './errors';
import { createNetwork, type BatchTensors, type TfjsWord2VecNetwork } from './model';
import { resolveOptions, type ResolvedTfjsOptions } from './options';
import { RowRemapper, sparseAdam, sparseSgd, type SparseOptimizer } from './sparse';
import type { TfjsEpochReport, Word2VecTfjsOptions, Word2VecTfjsResult } from './types';

function abortError(signal: AbortSignal): EmbedkitError<Word2VecTfjsErrorCode> {
  return new EmbedkitError<Word2VecTfjsErrorCode>('ABORTED', 'Training was aborted through the signal before it finished.', { cause: signal.reason });
}

/** Lets timers and I/O (an abort, a progress bar) run between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Id arrays of a batch: the builder's (global ids) or their remapped copies (sparse updates). */
interface BatchIds {
  inputIds: Int32Array;
  outputIds: Int32Array;
  sampledIds: Int32Array;
}

/** The batch arrays, first `count` examples, as tensors (inside the step's `tf.tidy`). */
function batchTensors(net: TfjsWord2VecNetwork, builder: BatchBuilder, ids: BatchIds, o: ResolvedTfjsOptions, count: number): BatchTensors {
  const tf = net.tf;
  const width = builder.bagWidth;
  const batch: BatchTensors = { inputIds: tf.tensor1d(ids.inputIds.subarray(0, count * width), 'int32') };
  if (o.model === 'cbow') batch.bagWeights = tf.tensor3d(builder.bagWeights.subarray(0, count * width), [count, 1, width]);
  if (o.loss === 'softmax') {
    batch.outputIds = tf.tensor1d(ids.outputIds.subarray(0, count), 'int32');
  } else {
    const k1 = 1 + o.negative;
    batch.sampledIds = tf.tensor1d(ids.sampledIds.subarray(0, count * k1), 'int32');
    batch.sampledSigns = tf.tensor2d(builder.sampledSigns.subarray(0, count * k1), [count, k1]);
  }
  return batch;
}

/**
 * Trains word2vec (CBOW or skip-gram; full softmax or negative sampling) with TensorFlow.js on the
 * best backend available (see {@link selectBackend}) and returns the lookup matrix as
 * `Embeddings`, rows in vocabulary order.
 *
 * For real work prefer `@embedkit/word2vec` (much faster on CPUs); this trainer is the article's
 * model written with tensors and automatic differentiation, for learning, for GPUs through
 * `@tensorflow/tfjs-node-gpu`, and as a starting point for custom losses.
 *
 * @example
 * ```ts
 * import { Corpus } from '@embedkit/tokenizer';
 * import { trainWord2VecTfjs } from '@embedkit/word2vec-tfjs';
 *
 * const corpus = Corpus.fromSentences([['the', 'king', 'rules'], ['the', 'queen', 'rules']], { minCount: 1 });
 * const { embeddings, backend } = await trainWord2VecTfjs(corpus, { dim: 10, epochs: 50 });
 * console.log(backend, embeddings.mostSimilar({ positive: ['king'], topN: 2 }));
 * ```
 */
export async function trainWord2VecTfjs(corpus: Corpus, options: Word2VecTfjsOptions = {}): Promise<Word2VecTfjsResult> {
  const o = resolveOptions(corpus, options);
  const signal = o.signal;
  if (signal?.aborted) throw abortError(signal);
  const started = performance.now();
  const backend = await selectBackend(o.backend);
  const tf = backend.tf;
  const vocabulary = corpus.vocabulary;
  const rng = createRng(o.seed);
  const sampler = o.loss === 'negative' ? (o.negativeSampler ?? new UnigramSampler(vocabulary.counts, { exponent: o.negativeExponent })) : undefined;
  const builder = new BatchBuilder(corpus, o, rng, sampler);
  const sparse = o.updates === 'sparse';
  // Sparse updates: the batch's ids remapped to rows of the gathered sub-matrices. With the full
  // softmax every output row is used, so wOut's "rows of the batch" are all of them (identity).
  const remapIn = new RowRemapper(vocabulary.size, builder.inputIds.length);
  const remapOut = new RowRemapper(vocabulary.size, Math.max(builder.sampledIds.length, 1));
  const localIds: BatchIds = {
    inputIds: new Int32Array(builder.inputIds.length),
    outputIds: builder.outputIds,
    sampledIds: new Int32Array(builder.sampledIds.length),
  };
  const globalIds: BatchIds = { inputIds: builder.inputIds, outputIds: builder.outputIds, sampledIds: builder.sampledIds };
  const totalTokens = corpus.tokenCount * o.epochs;
  const epochReports: TfjsEpochReport[] = [];
  let tokensDone = 0; // tokens of finished epochs
  let tokensTrained = 0;
  let steps = 0;
  let alpha = o.alpha;
  let lastReport = performance.now();
  let lastYield = lastReport;

  const lossOf = (batch: BatchTensors, inTable?: tfTypes.Tensor, outTable?: tfTypes.Tensor): tfTypes.Scalar => {
    const h = net.hidden(batch, o.model, inTable);
    return o.loss === 'softmax'
      ? net.softmaxLoss(h, batch.outputIds as tfTypes.Tensor1D, outTable)
      : net.negativeSamplingLoss(h, batch.sampledIds as tfTypes.Tensor1D, batch.sampledSigns as tfTypes.Tensor2D, outTable);
  };

  /** One dense step: a tf.train optimizer over the whole matrices. */
  const denseStep = (count: number): tfTypes.Scalar =>
    tf.tidy((): tfTypes.Scalar => {
      const batch = batchTensors(net, builder, globalIds, o, count);
      return (optimizer as tfTypes.Optimizer).minimize(() => lossOf(batch), true, variables) as tfTypes.Scalar;
    });

  /** One sparse step: gradients of the batch's rows only, written back with tensorScatterUpdate. */
  const sparseStep = (count: number): tfTypes.Scalar => {
    const width = builder.bagWidth;
    const uniqueIn = remapIn.remap(builder.inputIds, count * width, localIds.inputIds);
    const uniqueOut = o.loss === 'softmax' ? 0 : remapOut.remap(builder.sampledIds, count * (1 + o.negative), localIds.sampledIds);
    const opt = sparseOptimizer as SparseOptimizer;
    opt.nextStep();
    return tf.tidy((): tfTypes.Scalar => {
      const batch = batchTensors(net, builder, localIds, o, count);
      const idsIn = tf.tensor1d(remapIn.unique.subarray(0, uniqueIn), 'int32');
      const idsOut = o.loss === 'softmax' ? tf.range(0, vocabulary.size, 1, 'int32') : tf.tensor1d(remapOut.unique.subarray(0, uniqueOut), 'int32');
      const rowsIn = net.gatherRows(net.wIn, idsIn);
      const rowsOut = net.gatherRows(net.wOut, idsOut);
      const { value, grads } = tf.valueAndGrads((rIn: tfTypes.Tensor, rOut: tfTypes.Tensor) => lossOf(batch, rIn, rOut))([rowsIn, rowsOut]);
      opt.update(net.wIn, idsIn, rowsIn, grads[0] as tfTypes.Tensor2D, alpha);
      opt.update(net.wOut, idsOut as tfTypes.Tensor1D, rowsOut, grads[1] as tfTypes.Tensor2D, alpha);
      return value as tfTypes.Scalar;
    });
  };

  // Tensors exist from here on; the finally block frees them whatever happens.
  const net = createNetwork(tf, vocabulary.size, o.dim, o.seed);
  const variables = [net.wIn, net.wOut];
  const optimizer: tfTypes.Optimizer | undefined = sparse ? undefined : o.optimizer === 'adam' ? tf.train.adam(o.alpha) : tf.train.sgd(o.alpha);
  const sparseOptimizer = !sparse ? undefined : o.optimizer === 'adam' ? sparseAdam(tf) : sparseSgd(tf);
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const epochStarted = performance.now();
      builder.startEpoch();
      let lossSum = 0;
      let examples = 0;
      let epochSteps = 0;
      for (;;) {
        const count = builder.fill();
        if (count === 0) break;
        if (signal?.aborted) throw abortError(signal);
        if (o.optimizer === 'sgd') {
          // The C tool's linear decay over all tokens of all epochs.
          alpha = Math.max(o.minAlpha, o.alpha * (1 - (tokensDone + builder.tokensProcessed) / (totalTokens + 1)));
          if (optimizer !== undefined) (optimizer as tfTypes.SGDOptimizer).setLearningRate(alpha);
        }
        const cost = sparse ? sparseStep(count) : denseStep(count);
        const batchLoss = (await cost.data())[0]!;
        cost.dispose();
        lossSum += batchLoss;
        examples += count;
        steps++;
        epochSteps++;
        const now = performance.now();
        if (o.onProgress !== undefined && now - lastReport >= o.progressIntervalMs) {
          lastReport = now;
          const processed = tokensDone + builder.tokensProcessed;
          const elapsedSeconds = (now - started) / 1000;
          o.onProgress({
            fraction: Math.min(1, processed / totalTokens),
            epoch,
            steps,
            tokensProcessed: processed,
            wordsPerSecond: elapsedSeconds > 0 ? processed / elapsedSeconds : 0,
            alpha,
            loss: lossSum / examples,
            batchLoss: batchLoss / count,
            elapsedSeconds,
          });
        }
        if (now - lastYield >= 50) {
          lastYield = now;
          await yieldToEventLoop();
        }
      }
      tokensDone += builder.tokensProcessed;
      tokensTrained += builder.tokensTrained;
      const report: TfjsEpochReport = {
        epoch,
        loss: examples > 0 ? lossSum / examples : NaN,
        lossSum,
        examples,
        steps: epochSteps,
        tokensTrained: builder.tokensTrained,
        seconds: (performance.now() - epochStarted) / 1000,
      };
      epochReports.push(report);
      o.onEpochEnd?.(report);
    }
    if (steps === 0) {
      throw new EmbedkitError<Word2VecTfjsErrorCode>(
        'EMPTY_CORPUS',
        'The corpus gave no training examples: every sentence has fewer than two tokens after subsampling. Give longer sentences or set sample: 0.',
      );
    }

    const wIn = (await net.wIn.data()) as Float32Array;
    const wOut = (await net.wOut.data()) as Float32Array;
    let data: Float32Array;
    if (o.vectors === 'mean') {
      data = new Float32Array(wIn.length);
      for (let i = 0; i < data.length; i++) data[i] = (wIn[i]! + wOut[i]!) * 0.5;
    } else {
      data = wIn.slice();
    }
    const embeddings = new Embeddings(vocabulary.words, o.dim, data);
    const seconds = (performance.now() - started) / 1000;
    if (o.onProgress !== undefined) {
      o.onProgress({
        fraction: 1,
        epoch: o.epochs,
        steps,
        tokensProcessed: tokensDone,
        wordsPerSecond: seconds > 0 ? tokensDone / seconds : 0,
        alpha,
        loss: epochReports[epochReports.length - 1]!.loss,
        batchLoss: NaN,
        elapsedSeconds: seconds,
      });
    }
    return {
      embeddings,
      stats: {
        epochs: o.epochs,
        steps,
        tokensProcessed: tokensDone,
        tokensTrained,
        seconds,
        wordsPerSecond: seconds > 0 ? tokensDone / seconds : 0,
        epochReports,
      },
      backend: backend.name,
      backendDescription: backend.description,
      weights: { wIn, wOut },
    };
  } finally {
    optimizer?.dispose();
    sparseOptimizer?.dispose();
    net.dispose();
  }
}

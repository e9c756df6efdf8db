/**
 * The article's network as TensorFlow.js tensors:
 *
 *   input words ──wIn (V×N, "lookup")──▶ hidden h (N) ──wOut (the article's N×V, "context")──▶ scores (V) ──▶ loss
 *
 * Skip-gram: h is the centre word's row of wIn. CBOW: h is the mean of the context words' rows.
 * Full softmax scores h against every output vector and takes −log softmax at the true word;
 * negative sampling scores only the true word (label +1) and a few sampled words (label −1) with
 * the logistic loss. Automatic differentiation gives the gradients of both matrices, and a
 * `tf.train` optimizer applies them.
 *
 * `wOut` is stored V×N (the article's N×V transposed, the C tool's `syn1neg` layout), so a
 * word's output vector is a row and the full-softmax scores are `h · wOutᵀ` (`matMul` with
 * `transposeB`).
 */

import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from './backend';

type Tensor = tfTypes.Tensor;
type Scalar = tfTypes.Scalar;

/** One batch as tensors, built by the trainer from the {@link BatchBuilder} arrays. */
export interface BatchTensors {
  /** Skip-gram: [B] centre ids. CBOW: [B·width] context ids. */
  inputIds: tfTypes.Tensor1D;
  /** CBOW only: [B, 1, width] weights (1/bag size, 0 for padding). */
  bagWeights?: tfTypes.Tensor3D;
  /** [B] positive output ids (softmax). */
  outputIds?: tfTypes.Tensor1D;
  /** Negative sampling: [B·(1+K)] output ids and [B, 1+K] labels (+1, −1, or 0 = skipped). */
  sampledIds?: tfTypes.Tensor1D;
  sampledSigns?: tfTypes.Tensor2D;
}

/** The two matrices and the functions of the forward pass, bound to one TensorFlow.js namespace. */
export interface TfjsWord2VecNetwork {
  tf: Tf;
  /** Input ("lookup") matrix, V×N. */
  wIn: tfTypes.Variable<tfTypes.Rank.R2>;
  /** Output ("context") matrix, V×N: the article's N×V, transposed. */
  wOut: tfTypes.Variable<tfTypes.Rank.R2>;
  /**
   * Rows of `table` at `ids` with a scatter-add gradient. TensorFlow.js's own `gather` gradient
   * needs the `UnsortedSegmentSum` kernel, which the wasm backend lacks and the cpu backend runs
   * in O(V·B·N); `scatterND` (which sums duplicate ids) exists everywhere and costs O(V·N + B·N).
   */
  gatherRows(table: Tensor, ids: Tensor): tfTypes.Tensor2D;
  /**
   * Hidden layer h, [B, N]. `inTable` replaces `wIn` (sparse updates pass the batch's rows of
   * `wIn`, with `batch.inputIds` indexing them).
   */
  hidden(batch: BatchTensors, model: 'skipgram' | 'cbow', inTable?: Tensor): tfTypes.Tensor2D;
  /** Σ over the batch of −log softmax(h·wOutᵀ)[target]. `outTable` replaces `wOut`. */
  softmaxLoss(h: tfTypes.Tensor2D, outputIds: tfTypes.Tensor1D, outTable?: Tensor): Scalar;
  /** Σ over the batch of −log σ(v′·h) − Σₖ log σ(−v′ₖ·h). `outTable` replaces `wOut`. */
  negativeSamplingLoss(h: tfTypes.Tensor2D, sampledIds: tfTypes.Tensor1D, sampledSigns: tfTypes.Tensor2D, outTable?: Tensor): Scalar;
  dispose(): void;
}

/**
 * Creates the network: `wIn` uniform in [−0.5/N, 0.5/N) from `seed` (the C tool's initialisation)
 * and `wOut` zero (also the C tool's), or from given weights.
 */
export function createNetwork(
  tf: Tf,
  vocabularySize: number,
  dim: number,
  seed: number,
  initial?: { wIn?: Float32Array; wOut?: Float32Array },
): TfjsWord2VecNetwork {
  // Inside tidy: tf.variable() copies nothing but keeps the initial tensor registered, so it must
  // be freed here or it would outlive the network.
  const wIn = tf.tidy(() =>
    tf.variable(
      initial?.wIn !== undefined
        ? tf.tensor2d(initial.wIn, [vocabularySize, dim])
        : tf.randomUniform([vocabularySize, dim], -0.5 / dim, 0.5 / dim, 'float32', seed),
    ),
  ) as tfTypes.Variable<tfTypes.Rank.R2>;
  const wOut = tf.tidy(() =>
    tf.variable(initial?.wOut !== undefined ? tf.tensor2d(initial.wOut, [vocabularySize, dim]) : tf.zeros([vocabularySize, dim])),
  ) as tfTypes.Variable<tfTypes.Rank.R2>;

  // The wasm backend's GatherV2 copies element by element and is 10-20× slower than its GatherNd,
  // which copies whole rows; on the cpu backend it is the other way round.
  const useGatherNd = tf.getBackend() === 'wasm';
  const gatherRowsGrad = tf.customGrad(((table: Tensor, ids: Tensor, save: (tensors: Tensor[]) => void) => {
    save([ids]);
    const shape = table.shape;
    return {
      value: useGatherNd ? tf.gatherND(table, tf.expandDims(ids, 1)) : tf.gather(table, ids),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const savedIds = saved[0] as Tensor;
        return [tf.scatterND(tf.expandDims(savedIds, 1), dy as Tensor, shape), tf.zerosLike(savedIds)];
      },
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  const gatherRows = (table: Tensor, ids: Tensor): tfTypes.Tensor2D => gatherRowsGrad(table, ids) as tfTypes.Tensor2D;

  // Batched products use matMul rather than broadcasting mul + sum: the cpu backend's
  // broadcasting mul is ~20× slower than its batched matMul.
  const hidden = (batch: BatchTensors, model: 'skipgram' | 'cbow', inTable: Tensor = wIn): tfTypes.Tensor2D => {
    if (model === 'skipgram') return gatherRows(inTable, batch.inputIds);
    const weights = batch.bagWeights as tfTypes.Tensor3D; // [B, 1, width]
    const [b, , width] = weights.shape;
    const rows = tf.reshape(gatherRows(inTable, batch.inputIds), [b, width, dim]);
    return tf.reshape(tf.matMul(weights, rows), [b, dim]); // weighted mean of the context rows
  };

  // Σ −log softmax(scores)[target] with TensorFlow's sparse softmax cross-entropy gradient,
  // softmax − one-hot, written by hand: the gradient tfjs derives through logSumExp is a chain of
  // broadcasting ops several times slower on the wasm and cpu backends.
  const vocabularySizeOf = (scores: Tensor): number => scores.shape[1] as number;
  const crossEntropyGrad = tf.customGrad(((scores: Tensor, targets: Tensor, save: (tensors: Tensor[]) => void) => {
    const probabilities = tf.softmax(scores as tfTypes.Tensor2D);
    const truth = tf.oneHot(targets as tfTypes.Tensor1D, vocabularySizeOf(scores));
    save([probabilities, truth, targets]);
    // p(target) ≥ 1e-30 keeps the loss finite when a probability underflows (it does not change the gradient).
    const targetProbability = tf.maximum(tf.sum(tf.mul(probabilities, truth), 1), 1e-30);
    return {
      value: tf.neg(tf.sum(tf.log(targetProbability))),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => [
        tf.mul(tf.sub(saved[0] as Tensor, saved[1] as Tensor), dy as Tensor),
        tf.zerosLike(saved[2] as Tensor),
      ],
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);

  const softmaxLoss = (h: tfTypes.Tensor2D, outputIds: tfTypes.Tensor1D, outTable: Tensor = wOut): Scalar => {
    const scores = tf.matMul(h, outTable as tfTypes.Tensor2D, false, true); // [B, V]: the article's h · (N×V context matrix)
    return crossEntropyGrad(scores, outputIds) as Scalar;
  };

  const negativeSamplingLoss = (h: tfTypes.Tensor2D, sampledIds: tfTypes.Tensor1D, sampledSigns: tfTypes.Tensor2D, outTable: Tensor = wOut): Scalar => {
    const [b, k1] = sampledSigns.shape;
    const outputs = tf.reshape(gatherRows(outTable, sampledIds), [b, k1, dim]);
    const scores = tf.reshape(tf.matMul(outputs, tf.expandDims(h, 2)), [b, k1]); // v′ₖ·h, [B, 1+K]
    // −log σ(sign·score) = softplus(−sign·score), weighted by |sign| so that skipped negatives
    // (sign 0) contribute nothing. (tf.logSigmoid's custom gradient reads its input after the
    // forward scope disposed it, so it fails inside optimizer.minimize.)
    const terms = tf.softplus(tf.neg(tf.mul(scores, sampledSigns)));
    return tf.sum(tf.mul(terms, tf.abs(sampledSigns))) as Scalar;
  };

  return {
    tf,
    wIn,
    wOut,
    gatherRows,
    hidden,
    softmaxLoss,
    negativeSamplingLoss,
    dispose() {
      wIn.dispose();
      wOut.dispose();
    },
  };
}

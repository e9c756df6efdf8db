/**
 * Sparse updates: only the rows of `wIn` and `wOut` that a batch uses are read, differentiated and
 * written back, instead of letting a `tf.train` optimizer sweep the whole V×N matrices every step
 * (TensorFlow.js has no sparse gradients: the gradient of a row lookup is a dense V×N tensor).
 *
 * The batch's ids are mapped to 0..U−1 on the JavaScript side ({@link RowRemapper}); the loss is
 * differentiated with respect to the gathered U×N rows; the optimizer updates those rows and
 * scatters them back with `tensorScatterUpdate`. SGD gives the same result as dense SGD (rows
 * outside the batch have a zero gradient either way). Adam becomes "lazy Adam" (as TensorFlow
 * Addons' LazyAdam): the moments of rows outside the batch are neither decayed nor applied.
 */

import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from './backend';

/** Maps the ids of one batch to dense local indices 0..U−1, in order of first appearance. */
export class RowRemapper {
  /** The distinct ids of the last {@link RowRemapper.remap}, `unique[0..count)`. */
  readonly unique: Int32Array;
  count = 0;
  private readonly slot: Int32Array;

  constructor(vocabularySize: number, capacity: number) {
    this.slot = new Int32Array(vocabularySize).fill(-1);
    this.unique = new Int32Array(Math.min(vocabularySize, capacity));
  }

  /** Writes the local index of `ids[i]` to `out[i]` for i < n; returns the number of distinct ids. */
  remap(ids: Int32Array, n: number, out: Int32Array): number {
    const slot = this.slot;
    const unique = this.unique;
    for (let k = 0; k < this.count; k++) slot[unique[k]!] = -1;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      let local = slot[id]!;
      if (local < 0) {
        local = count++;
        slot[id] = local;
        unique[local] = id;
      }
      out[i] = local;
    }
    this.count = count;
    return count;
  }
}

/** Updates given rows of a matrix variable from their gradient. */
export interface SparseOptimizer {
  /** Call once per training step, before the {@link SparseOptimizer.update} calls of that step. */
  nextStep(): void;
  /**
   * `rows` = `table[ids]` (U×N) as used by the loss, `gradient` its gradient; writes the updated
   * rows into `table`. Call inside `tf.tidy`.
   */
  update(table: tfTypes.Variable, ids: tfTypes.Tensor1D, rows: tfTypes.Tensor2D, gradient: tfTypes.Tensor2D, alpha: number): void;
  dispose(): void;
}

/** Plain SGD on the given rows: rows − alpha · gradient. */
export function sparseSgd(tf: Tf): SparseOptimizer {
  return {
    nextStep() {},
    update(table, ids, rows, gradient, alpha) {
      table.assign(tf.tensorScatterUpdate(table, tf.expandDims(ids, 1), tf.sub(rows, tf.mul(gradient, alpha))));
    },
    dispose() {},
  };
}

/**
 * Lazy Adam (Kingma & Ba's update, applied to the rows of the batch only), with TensorFlow.js's
 * defaults β1 = 0.9, β2 = 0.999, ε = 1e-7.
 */
export function sparseAdam(tf: Tf, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): SparseOptimizer {
  const moments = new Map<tfTypes.Variable, { m: tfTypes.Variable; v: tfTypes.Variable }>();
  let t = 0;
  return {
    nextStep() {
      t++;
    },
    update(table, ids, rows, gradient, alpha) {
      let state = moments.get(table);
      if (state === undefined) {
        state = { m: tf.variable(tf.zerosLike(table), false), v: tf.variable(tf.zerosLike(table), false) };
        moments.set(table, state);
      }
      const at = tf.expandDims(ids, 1);
      const m = tf.add(tf.mul(tf.gather(state.m, ids), beta1), tf.mul(gradient, 1 - beta1));
      const v = tf.add(tf.mul(tf.gather(state.v, ids), beta2), tf.mul(tf.square(gradient), 1 - beta2));
      const step = (alpha * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      const updated = tf.sub(rows, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), step));
      state.m.assign(tf.tensorScatterUpdate(state.m, at, m));
      state.v.assign(tf.tensorScatterUpdate(state.v, at, v));
      table.assign(tf.tensorScatterUpdate(table, at, updated));
    },
    dispose() {
      for (const { m, v } of moments.values()) {
        m.dispose();
        v.dispose();
      }
      moments.clear();
    },
  };
}

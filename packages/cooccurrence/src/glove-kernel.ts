/**
 * The GloVe update (Pennington, Socher & Manning 2014), shared by the in-process path and the
 * worker threads. One call runs AdaGrad steps over a range of the shuffled non-zeros, exactly as
 * Stanford's `glove.c`:
 *
 *   J = Σ f(X_ij) (w_i · c_j + b_i + b̃_j − log X_ij)²,  f(x) = min(1, (x / xMax)^α)
 *
 * Layout (as glove.c's `W`): one flat Float32Array of 2·V rows of `dim + 1` floats; row i < V is
 * the word vector w_i followed by its bias b_i, row V + j the context vector c_j and bias b̃_j.
 * `gradsq` has the same layout and holds AdaGrad's sums of squared gradients (initialised to 1).
 */

/** The shared arrays and constants of one training run. */
export interface GloveKernelState {
  /** Weights, 2·V·(dim + 1) floats (see the module comment). */
  readonly weights: Float32Array;
  /** AdaGrad accumulators, same layout. */
  readonly gradsq: Float32Array;
  /** Row (word) id of each non-zero, in shuffled order. */
  readonly rows: Int32Array;
  /** Column (context) id of each non-zero. */
  readonly cols: Int32Array;
  /** log X_ij of each non-zero. */
  readonly logCounts: Float32Array;
  /** f(X_ij) of each non-zero. */
  readonly weighting: Float32Array;
  readonly vocabSize: number;
  readonly dim: number;
  /** AdaGrad's initial learning rate η. */
  readonly learningRate: number;
  /** Each gradient component is clipped to ±gradClip (glove.c's `grad_clip_value`). */
  readonly gradClip: number;
  /** Int32 control block: [0] = abort flag (non-zero stops at the next check). */
  readonly control: Int32Array;
}

/** Per-thread scratch: the pending updates of one step (glove.c's `W_updates1/2`). */
export interface GloveScratch {
  readonly update1: Float32Array;
  readonly update2: Float32Array;
}

/** Allocates the scratch of one thread, once. */
export function createScratch(dim: number): GloveScratch {
  return { update1: new Float32Array(dim), update2: new Float32Array(dim) };
}

/** How often (in non-zeros) the abort flag is read. */
const CHECK_EVERY = 65536;

/**
 * Runs one pass over non-zeros [start, end) and returns the summed cost ½ f(x) diff² of the steps
 * taken (the cost before each update, as glove.c). Returns NaN when aborted.
 * A step whose update is not finite is skipped (glove.c's NaN/Inf guard).
 */
export function gloveRange(state: GloveKernelState, scratch: GloveScratch, start: number, end: number): number {
  const w = state.weights;
  const gradsq = state.gradsq;
  const rows = state.rows;
  const cols = state.cols;
  const logCounts = state.logCounts;
  const weighting = state.weighting;
  const dim = state.dim;
  const stride = dim + 1;
  const contextBase = state.vocabSize * stride;
  const eta = state.learningRate;
  const clip = state.gradClip;
  const control = state.control;
  const update1 = scratch.update1;
  const update2 = scratch.update2;
  let cost = 0;
  let nextCheck = start + CHECK_EVERY;
  for (let a = start; a < end; a++) {
    if (a === nextCheck) {
      if (Atomics.load(control, 0) !== 0) return NaN;
      nextCheck += CHECK_EVERY;
    }
    const l1 = rows[a]! * stride;
    const l2 = contextBase + cols[a]! * stride;
    let diff = 0;
    for (let b = 0; b < dim; b++) diff += w[l1 + b]! * w[l2 + b]!;
    diff += w[l1 + dim]! + w[l2 + dim]! - logCounts[a]!;
    let fdiff = weighting[a]! * diff;
    if (!Number.isFinite(fdiff)) continue;
    cost += 0.5 * fdiff * diff;
    fdiff *= eta;
    let sum1 = 0;
    let sum2 = 0;
    for (let b = 0; b < dim; b++) {
      let temp1 = fdiff * w[l2 + b]!;
      let temp2 = fdiff * w[l1 + b]!;
      if (temp1 > clip) temp1 = clip;
      else if (temp1 < -clip) temp1 = -clip;
      if (temp2 > clip) temp2 = clip;
      else if (temp2 < -clip) temp2 = -clip;
      const u1 = temp1 / Math.sqrt(gradsq[l1 + b]!);
      const u2 = temp2 / Math.sqrt(gradsq[l2 + b]!);
      update1[b] = u1;
      update2[b] = u2;
      sum1 += u1;
      sum2 += u2;
      gradsq[l1 + b]! += temp1 * temp1;
      gradsq[l2 + b]! += temp2 * temp2;
    }
    if (Number.isFinite(sum1) && Number.isFinite(sum2)) {
      for (let b = 0; b < dim; b++) {
        w[l1 + b]! -= update1[b]!;
        w[l2 + b]! -= update2[b]!;
      }
    }
    // Biases: the gradient of both is fdiff itself.
    w[l1 + dim]! -= fdiff / Math.sqrt(gradsq[l1 + dim]!);
    w[l2 + dim]! -= fdiff / Math.sqrt(gradsq[l2 + dim]!);
    const square = fdiff * fdiff;
    gradsq[l1 + dim]! += square;
    gradsq[l2 + dim]! += square;
  }
  return cost;
}

/**
 * The network: ELMo's bidirectional language model (Peters et al. 2018) with its two LSTMs
 * replaced by two one-layer causal self-attention towers (pre-LayerNorm transformer blocks).
 * The forward tower sees tokens 0..t and predicts t+1; the backward tower sees t..n and predicts
 * t−1; both share the token embeddings, which are tied to the output softmax.
 *
 * Why attention rather than LSTMs: on TensorFlow.js's CPU and wasm backends an unrolled LSTM costs
 * a dozen small kernels per time step, and training was ~10× slower per token than these towers,
 * which process a whole window in a few large matrix products.
 */
import type { Tf } from '@embedkit/word2vec-tfjs';
import type * as tfTypes from '@tensorflow/tfjs';

type Tensor = tfTypes.Tensor;

/** The shape of a network. */
export interface BilmShape {
  /** Vocabulary size, `</s>` and `<unk>` included. */
  readonly vocabularySize: number;
  /** Width of embeddings and tower states. */
  readonly dim: number;
  /** Hidden width of each tower's feed-forward layer. */
  readonly ffnDim: number;
  /** Longest window, `</s>` markers included (the position table's rows). */
  readonly window: number;
}

/** Names and shapes of the weights, in the order of the weights file. */
export function weightShapes(shape: BilmShape): [string, number[]][] {
  const { vocabularySize: v, dim: d, ffnDim: f, window: w } = shape;
  const tower = (p: string): [string, number[]][] => [
    [`${p}.ln1.gain`, [d]],
    [`${p}.ln1.bias`, [d]],
    [`${p}.qkv`, [d, 3 * d]],
    [`${p}.out`, [d, d]],
    [`${p}.ln2.gain`, [d]],
    [`${p}.ln2.bias`, [d]],
    [`${p}.ffn1`, [d, f]],
    [`${p}.ffn1.bias`, [f]],
    [`${p}.ffn2`, [f, d]],
    [`${p}.ffn2.bias`, [d]],
    [`${p}.lnf.gain`, [d]],
    [`${p}.lnf.bias`, [d]],
  ];
  return [['embeddings', [v, d]], ['positions', [w, d]], ['output.bias', [v]], ...tower('forward'), ...tower('backward')];
}

/** The network's weights as TensorFlow.js variables, bound to one `tf` namespace. */
export class BilmNetwork {
  readonly tf: Tf;
  readonly shape: BilmShape;
  /** Every weight by name (see {@link weightShapes}). */
  readonly weights: ReadonlyMap<string, tfTypes.Variable>;
  private readonly useGatherNd: boolean;
  private readonly gatherWithGrad: (table: Tensor, ids: Tensor) => Tensor;
  private readonly matMulWithGrad: (a: Tensor, b: Tensor) => Tensor;

  constructor(tf: Tf, shape: BilmShape, initial?: ReadonlyMap<string, Float32Array>, seed = 1) {
    this.tf = tf;
    this.shape = shape;
    const weights = new Map<string, tfTypes.Variable>();
    let stream = 0;
    for (const [name, dims] of weightShapes(shape)) {
      stream++;
      const given = initial?.get(name);
      const value = tf.tidy(() => {
        if (given !== undefined) return tf.tensor(given, dims);
        if (name.endsWith('.gain')) return tf.ones(dims);
        if (name.endsWith('bias')) return tf.zeros(dims);
        const fanIn = dims.length === 2 && !name.startsWith('embeddings') && !name.startsWith('positions') ? (dims[0] as number) : 16 * shape.dim;
        return tf.randomNormal(dims, 0, 1 / Math.sqrt(fanIn), 'float32', seed * 1000 + stream);
      });
      weights.set(name, tf.variable(value, true, `bilm.${name}.${seed}.${Math.random().toString(36).slice(2)}`));
      value.dispose();
    }
    this.weights = weights;
    // Row gathers with a scatter-add gradient, as @embedkit/word2vec-tfjs does: tfjs's own gather
    // gradient needs UnsortedSegmentSum, which the wasm backend lacks; its GatherNd copies rows
    // faster than its GatherV2 (on the cpu backend it is the other way round).
    this.useGatherNd = tf.getBackend() === 'wasm';
    this.gatherWithGrad = tf.customGrad(((table: Tensor, ids: Tensor, save: (tensors: Tensor[]) => void) => {
      save([ids]);
      const shapeOf = table.shape;
      return {
        value: this.gatherRows(table, ids),
        gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => [
          tf.scatterND(tf.expandDims(saved[0] as Tensor, 1), dy as Tensor, shapeOf),
          tf.zerosLike(saved[0] as Tensor),
        ],
      };
    }) as unknown as Parameters<Tf['customGrad']>[0]) as unknown as (table: Tensor, ids: Tensor) => Tensor;
    // 2-D products whose gradients transpose explicitly: the wasm backend's transposed-operand
    // matMul (what autodiff emits) was several times slower than transpose + matMul.
    this.matMulWithGrad = tf.customGrad(((a: Tensor, b: Tensor, save: (tensors: Tensor[]) => void) => {
      save([a, b]);
      return {
        value: tf.matMul(a as tfTypes.Tensor2D, b as tfTypes.Tensor2D),
        gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => [
          tf.matMul(dy as tfTypes.Tensor2D, tf.transpose(saved[1] as tfTypes.Tensor2D)),
          tf.matMul(tf.transpose(saved[0] as tfTypes.Tensor2D), dy as tfTypes.Tensor2D),
        ],
      };
    }) as unknown as Parameters<Tf['customGrad']>[0]) as unknown as (a: Tensor, b: Tensor) => Tensor;
  }

  /** The variable `name`. */
  weight(name: string): tfTypes.Variable {
    const w = this.weights.get(name);
    if (w === undefined) throw new Error(`bilm: no weight ${name}`);
    return w;
  }

  private gatherRows(table: Tensor, ids: Tensor): Tensor {
    return this.useGatherNd ? this.tf.gatherND(table, this.tf.expandDims(ids, 1)) : this.tf.gather(table, ids);
  }

  /** Rows of `table` at the 1-D int32 `ids`; differentiable when `training`. */
  gather(table: Tensor, ids: Tensor, training: boolean): Tensor {
    return training ? this.gatherWithGrad(table, ids) : this.gatherRows(table, ids);
  }

  /** Entries of the 1-D `vector` at `ids`. */
  gatherEntries(vector: Tensor, ids: Tensor, training: boolean): Tensor {
    const tf = this.tf;
    return tf.reshape(this.gather(tf.reshape(vector, [-1, 1]), ids, training), [-1]);
  }

  /** a·b for 2-D tensors, with the fast gradient when `training`. */
  matMul(a: Tensor, b: Tensor, training: boolean): Tensor {
    return training ? this.matMulWithGrad(a, b) : this.tf.matMul(a as tfTypes.Tensor2D, b as tfTypes.Tensor2D);
  }

  private layerNorm(x: Tensor, prefix: string): Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), this.weight(`${prefix}.gain`)), this.weight(`${prefix}.bias`));
  }

  /** One tower over `x` [B·T, d]; `mask` [T, T] is 0 where attention is allowed, −1e9 elsewhere. */
  private tower(x: Tensor, prefix: string, mask: Tensor, batch: number, length: number, training: boolean): Tensor {
    const tf = this.tf;
    const d = this.shape.dim;
    const h = this.layerNorm(x, `${prefix}.ln1`);
    // Three products with column blocks of the qkv weight: splitting their [B, T, 3d] result was
    // the wasm backend's slowest kernel (SplitV copies element by element).
    const qkv = this.weight(`${prefix}.qkv`);
    const [q, k, v] = [0, 1, 2].map((block) => tf.reshape(this.matMul(h, tf.slice(qkv, [0, block * d], [d, d]), training), [batch, length, d])) as [Tensor, Tensor, Tensor];
    const scores = tf.add(tf.mul(tf.matMul(q as tfTypes.Tensor3D, k as tfTypes.Tensor3D, false, true), 1 / Math.sqrt(d)), mask);
    const mixed = tf.reshape(tf.matMul(tf.softmax(scores), v as tfTypes.Tensor3D), [batch * length, d]);
    const x2 = tf.add(x, this.matMul(mixed, this.weight(`${prefix}.out`), training));
    const h2 = this.layerNorm(x2, `${prefix}.ln2`);
    const inner = tf.relu(tf.add(this.matMul(h2, this.weight(`${prefix}.ffn1`), training), this.weight(`${prefix}.ffn1.bias`)));
    const x3 = tf.add(x2, tf.add(this.matMul(inner, this.weight(`${prefix}.ffn2`), training), this.weight(`${prefix}.ffn2.bias`)));
    return this.layerNorm(x3, `${prefix}.lnf`);
  }

  /**
   * The forward pass over windows `ids` ([B·T] int32, row-major): the context-free token
   * embeddings and both towers' states, each [B·T, d].
   */
  run(ids: Tensor, batch: number, length: number, training: boolean): { embedded: Tensor; forward: Tensor; backward: Tensor } {
    const tf = this.tf;
    const d = this.shape.dim;
    const embedded = this.gather(this.weight('embeddings'), ids, training);
    const positions = tf.slice(this.weight('positions'), [0, 0], [length, d]);
    const x = tf.reshape(tf.add(tf.reshape(embedded, [batch, length, d]), positions), [batch * length, d]);
    const lower = tf.linalg.bandPart(tf.ones([length, length]), -1, 0);
    const forwardMask = tf.mul(tf.sub(1, lower), -1e9);
    const backwardMask = tf.mul(tf.sub(1, tf.transpose(lower)), -1e9);
    return {
      embedded,
      forward: this.tower(x, 'forward', forwardMask, batch, length, training),
      backward: this.tower(x, 'backward', backwardMask, batch, length, training),
    };
  }

  /** Weights as Float32Arrays, by name. */
  async read(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, variable] of this.weights) out.set(name, (await variable.data()) as Float32Array);
    return out;
  }

  dispose(): void {
    for (const variable of this.weights.values()) variable.dispose();
  }
}

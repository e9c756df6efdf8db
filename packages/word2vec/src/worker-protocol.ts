/** Messages between the trainer and its worker threads. */

import type { WorkerSamplerSpec } from '@embedkit/sampling';
import type { KernelData } from './kernel';

/** `workerData` of a training worker. Typed arrays live on `SharedArrayBuffer`s. */
export interface WorkerInput {
  workerId: number;
  seed: number;
  data: KernelData;
  segStart: number;
  segEnd: number;
  epochs: number;
  totalTokens: number;
  alpha: number;
  minAlpha: number;
  /** [0] = abort flag. */
  control: Int32Array;
  /** [0] = processed tokens of all threads (Atomics.add). */
  processed: BigInt64Array;
  /** Per worker w: [3w] epoch, [3w+1] loss sum, [3w+2] examples of the running epoch. */
  lossSlots: Float64Array;
  sampler: WorkerSamplerSpec | null;
  extra: { spec: WorkerSamplerSpec; count: number } | null;
}

/** Messages a worker posts. */
export type WorkerMessage =
  | { type: 'epoch'; epoch: number; lossSum: number; examples: number; tokensTrained: number }
  | { type: 'done' }
  | { type: 'error'; error: unknown };

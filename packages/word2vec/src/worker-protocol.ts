/** Messages between the trainer and its worker threads. */

import type { WorkerSamplerSpec } from '@embedkit/sampling';
import type { CorpusPart, EncodedBatch } from '@embedkit/tokenizer';
import type { KernelData } from './kernel';

/**
 * Where a worker reads a streamed corpus: its byte range of the text file (with the vocabulary's
 * words to look tokens up), or batches asked of the trainer (`need` / `batch` messages); null for
 * an in-memory corpus (segments `[segStart, segEnd)` of the shared ids).
 */
export type WorkerStream = { kind: 'part'; part: CorpusPart; words: readonly string[] } | { kind: 'queue' } | null;

/** `workerData` of a training worker. Typed arrays live on `SharedArrayBuffer`s. */
export interface WorkerInput {
  workerId: number;
  seed: number;
  data: KernelData;
  segStart: number;
  segEnd: number;
  stream: WorkerStream;
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
  | { type: 'need'; epoch: number }
  | { type: 'error'; error: unknown; /** The code of an EmbedkitError (lost in the clone), else null. */ code: string | null };

/** Messages the trainer posts to a worker: the next batch it asked for, null at the epoch's end. */
export type TrainerMessage = { type: 'batch'; batch: EncodedBatch | null };

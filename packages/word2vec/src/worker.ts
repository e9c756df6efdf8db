/**
 * Entry point of a training worker thread (built to `dist/worker.js`). Rebuilds the kernel over
 * the shared weights, trains its range for all epochs, and reports epochs, completion or its error.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { createRng, reviveSampler } from '@embedkit/sampling';
import { Word2VecKernel } from './kernel';
import { RangeRunner } from './runner';
import type { WorkerInput, WorkerMessage } from './worker-protocol';

async function main(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const sampler = input.sampler === null ? null : await reviveSampler(input.sampler);
  const extra = input.extra === null ? null : { sampler: await reviveSampler(input.extra.spec), count: input.extra.count };
  const kernel = new Word2VecKernel(input.data, createRng(input.seed, input.workerId), sampler, extra, input.workerId);
  const { control, processed, lossSlots } = input;
  const slot = 3 * input.workerId;
  const runner = new RangeRunner(kernel, input.segStart, input.segEnd, input.epochs, input.totalTokens, input.alpha, input.minAlpha, {
    addProcessed: (n) => Number(Atomics.add(processed, 0, BigInt(n))) + n,
    aborted: () => Atomics.load(control, 0) !== 0,
    publish: (epoch, lossSum, examples) => {
      lossSlots[slot] = epoch;
      lossSlots[slot + 1] = lossSum;
      lossSlots[slot + 2] = examples;
    },
    epochEnd: (epoch, lossSum, examples, tokensTrained) => {
      const message: WorkerMessage = { type: 'epoch', epoch, lossSum, examples, tokensTrained };
      port.postMessage(message);
    },
  });
  runner.run(Infinity);
  const done: WorkerMessage = { type: 'done' };
  port.postMessage(done);
}

main(workerData as WorkerInput).catch((error: unknown) => {
  const message: WorkerMessage = { type: 'error', error };
  try {
    parentPort!.postMessage(message);
  } catch {
    // The error itself may not be cloneable: send its text.
    parentPort!.postMessage({ type: 'error', error: new Error(String(error)) } satisfies WorkerMessage);
  }
});

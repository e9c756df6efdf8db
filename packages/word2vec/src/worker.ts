/**
 * Entry point of a training worker thread (built to `dist/worker.js`). Rebuilds the kernel over
 * the shared weights, trains its range for all epochs, and reports epochs, completion or its error.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { EmbedkitError } from '@embedkit/errors';
import { createRng, reviveSampler } from '@embedkit/sampling';
import { openCorpusPart, wordTable } from '@embedkit/tokenizer';
import type { CorpusReader, EncodedBatch } from '@embedkit/tokenizer';
import { Word2VecKernel } from './kernel';
import type { KernelData } from './kernel';
import { RangeRunner, RangeState, loadBatch } from './runner';
import type { TrainerMessage, WorkerInput, WorkerMessage, WorkerStream } from './worker-protocol';

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
  if (input.stream === null) runner.run(Infinity);
  else await trainStream(input.stream, input.data, input.epochs, runner, port);
  const done: WorkerMessage = { type: 'done' };
  port.postMessage(done);
}

/** A reader that asks the trainer for each batch of `epoch` (its one reader serves every worker). */
function queueReader(port: MessagePort, epoch: number): CorpusReader {
  return {
    next: () =>
      new Promise<EncodedBatch | undefined>((resolve) => {
        const onBatch = (message: TrainerMessage): void => {
          if (message.type !== 'batch') return;
          port.off('message', onBatch);
          resolve(message.batch ?? undefined);
        };
        port.on('message', onBatch);
        const need: WorkerMessage = { type: 'need', epoch };
        port.postMessage(need);
      }),
    close: async () => {},
  };
}

/**
 * A streamed corpus, epoch after epoch: each batch's ids and segments swapped into this worker's
 * copy of the kernel data, the next batch read (or asked for) while this one trains.
 */
async function trainStream(stream: NonNullable<WorkerStream>, data: KernelData, epochs: number, runner: RangeRunner, port: MessagePort): Promise<void> {
  const table = stream.kind === 'part' ? wordTable(stream.words) : undefined;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const reader = stream.kind === 'part' ? openCorpusPart(stream.part, table!) : queueReader(port, epoch);
    try {
      let ahead = reader.next();
      for (let batch = await ahead; batch !== undefined; batch = await ahead) {
        ahead = reader.next();
        ahead.catch(() => undefined); // awaited on the next turn, or dropped on abort
        loadBatch(data, runner, batch);
        if (runner.trainRange(Infinity) === RangeState.Aborted) return;
      }
    } finally {
      await reader.close();
    }
    if (runner.endEpoch()) return;
  }
}

main(workerData as WorkerInput).catch((error: unknown) => {
  // A cloned error loses its own properties: an EmbedkitError's code (the reader's READ_ERROR for
  // a corpus file truncated during training) travels beside it, so the trainer rethrows it as is.
  const code = error instanceof EmbedkitError ? error.code : null;
  const message: WorkerMessage = { type: 'error', error, code };
  try {
    parentPort!.postMessage(message);
  } catch {
    // The error itself may not be cloneable: send its text.
    parentPort!.postMessage({ type: 'error', error: new Error(String(error)), code } satisfies WorkerMessage);
  }
});

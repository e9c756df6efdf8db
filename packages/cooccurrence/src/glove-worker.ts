/**
 * Worker thread of GloVe training (built to dist/glove-worker.js). It receives the shared arrays
 * once through `workerData`, then runs one range of the shuffled non-zeros per `{ type: 'run' }`
 * message and answers with the cost of that range; weights are updated without locks (Hogwild).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type GloveKernelState, createScratch, gloveRange } from './glove-kernel';

interface GloveWorkerData {
  readonly state: GloveKernelState;
  readonly start: number;
  readonly end: number;
}

const data = workerData as GloveWorkerData;
const scratch = createScratch(data.state.dim);

parentPort!.on('message', (message: { type: 'run' | 'stop' }) => {
  if (message.type === 'stop') {
    parentPort!.close();
    return;
  }
  try {
    const cost = gloveRange(data.state, scratch, data.start, data.end);
    parentPort!.postMessage({ type: 'done', cost });
  } catch (error) {
    parentPort!.postMessage({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

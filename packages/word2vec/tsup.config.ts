import { packageBuild } from '../../tsup.shared';

// worker.js is started with `new Worker(new URL('./worker.js', import.meta.url))`;
// conformance.js is the `@embedkit/word2vec/conformance` entry other trainers' tests import.
export default packageBuild(['src/index.ts', 'src/worker.ts', 'src/conformance.ts']);

import { packageBuild } from '../../tsup.shared';

// worker.js is started with `new Worker(new URL('./worker.js', import.meta.url))`.
export default packageBuild(['src/index.ts', 'src/worker.ts']);

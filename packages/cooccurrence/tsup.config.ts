import { packageBuild } from '../../tsup.shared';

// The GloVe worker is its own entry: `new Worker(new URL('./glove-worker.js', import.meta.url))`.
export default packageBuild(['src/index.ts', 'src/glove-worker.ts']);

import { packageBuild } from '../../tsup.shared';

// `child.js` and `families-child.js` are the entries of measured child processes; `cli.js` is `embedkit-bench`.
export default packageBuild(['src/index.ts', 'src/cli.ts', 'src/child.ts', 'src/families-child.ts']);

import { packageBuild } from '../../tsup.shared';

// `child.js` is the entry of each measured child process; `cli.js` is `embedkit-bench`.
export default packageBuild(['src/index.ts', 'src/cli.ts', 'src/child.ts']);

import { packageBuild } from '../../tsup.shared';

// The command line is an executable, not a library: no declarations. Code splitting keeps
// lazily loaded commands (TensorFlow.js) out of the start-up path.
export default packageBuild(['src/cli.ts'], { dts: false, splitting: true });

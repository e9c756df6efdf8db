import { packageBuild } from '../../tsup.shared';

// The command line is an executable, not a library: no declarations.
export default packageBuild(['src/cli.ts'], { dts: false });

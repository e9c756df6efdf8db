// Build settings shared by every package: ESM for Node 20 with declarations.
// Declarations are built against the dependencies' built `dist` types (turbo builds `^build`
// first), never against their sources, so each package's .d.ts stands alone when published.
import { defineConfig, type Options } from 'tsup';

export function packageBuild(entry: string[] = ['src/index.ts'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: false,
    ...overrides,
  });
}

// Test settings shared by every package. The `@embedkit/source` export condition makes imports of
// sibling packages resolve to their TypeScript sources, so tests need no build of dependencies
// (code started with `new Worker()` is the exception: it must run the built JavaScript).
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@embedkit/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

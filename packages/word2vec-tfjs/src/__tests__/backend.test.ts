import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { Corpus } from '@embedkit/tokenizer';
import { selectBackend, trainWord2VecTfjs, wasmBinariesDirectory } from '../index';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
function installed(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');
const corpus = Corpus.fromSentences(
  [
    ['a', 'b', 'c', 'd'],
    ['b', 'c', 'd', 'a'],
  ],
  { minCount: 1 },
);

describe('selectBackend', () => {
  it.skipIf(nativeInstalled)('auto picks wasm when tfjs-node is not installed', async () => {
    const backend = await selectBackend('auto');
    expect(backend.name).toBe('wasm');
    expect(backend.packageName).toBe('@tensorflow/tfjs-backend-wasm');
    expect(backend.tf.getBackend()).toBe('wasm');
    expect(backend.description).toMatch(/^wasm \(@tensorflow\/tfjs-backend-wasm 4\./);
  });

  it.skipIf(!nativeInstalled)('auto picks tensorflow when tfjs-node is installed', async () => {
    expect((await selectBackend('auto')).name).toBe('tensorflow');
  });

  it('finds the .wasm binaries of the installed package', () => {
    const dir = wasmBinariesDirectory();
    expect(dir.endsWith('/')).toBe(true);
    expect(existsSync(`${dir}tfjs-backend-wasm.wasm`)).toBe(true);
  });

  it('explicit cpu and wasm work, and training reports the backend it used', async () => {
    for (const choice of ['cpu', 'wasm'] as const) {
      const backend = await selectBackend(choice);
      expect(backend.name).toBe(choice);
      expect(backend.tf.getBackend()).toBe(choice);
      const result = await trainWord2VecTfjs(corpus, { backend: choice, dim: 4, epochs: 1, sample: 0 });
      expect(result.backend).toBe(choice);
      expect(result.backendDescription.startsWith(choice)).toBe(true);
    }
  });

  it.skipIf(nativeInstalled)("explicit 'tensorflow' without tfjs-node throws BACKEND_UNAVAILABLE saying how to add it", async () => {
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('npm install @tensorflow/tfjs-node');
    expect((error as Error).message).toContain("'wasm'");
    // The same through the trainer, before any tensor is made.
    const viaTrainer = await trainWord2VecTfjs(corpus, { backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(isEmbedkitError(viaTrainer, 'BACKEND_UNAVAILABLE')).toBe(true);
  });

  it("an installed tfjs-node that fails to load: 'tensorflow' says so, 'auto' falls back to wasm", async () => {
    const broken = fileURLToPath(new URL('./fixtures/broken-tfjs-node.mjs', import.meta.url));
    const error = await selectBackend('tensorflow', { nativePackages: [broken] }).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('is installed but failed to load (libtensorflow.so.2');
    expect(((error as Error).cause as Error).message).toContain('libtensorflow');
    expect((await selectBackend('auto', { nativePackages: [broken] })).name).toBe('wasm');
  });

  it('rejects unknown choices with a RangeError', async () => {
    await expect(selectBackend('webgl' as never)).rejects.toThrow(RangeError);
  });
});

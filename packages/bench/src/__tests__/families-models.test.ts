import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainContextualEncoder } from '@embedkit/bilm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familiesModelProblem } from '../families/comparison';

let dir: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-families-models-'));
  model = join(dir, 'bilm');
  const sentences = Array.from({ length: 40 }, (_, i) => ['the', 'bank', i % 2 ? 'river' : 'loan', 'was', 'near']);
  const encoder = await trainContextualEncoder(sentences, { dim: 8, window: 6, batchSize: 4, negatives: 4, steps: 2, minCount: 1, backend: 'wasm', output: model });
  encoder.dispose();
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('familiesModelProblem (--contextual-model)', () => {
  it('accepts a saved bilm', async () => {
    expect(await familiesModelProblem({ contextualModel: model })).toBeNull();
  });

  it('refuses a directory without bilm.json', async () => {
    expect(await familiesModelProblem({ contextualModel: dir })).toMatch(/--contextual-model .* holds no bilm\.json/u);
  });

  it('refuses a damaged bilm before any training, naming the flag and the fault', async () => {
    const damaged = join(dir, 'damaged');
    await trainContextualEncoder([['a', 'b', 'c', 'd']], { dim: 8, window: 4, batchSize: 2, negatives: 2, steps: 1, minCount: 1, backend: 'wasm', output: damaged }).then((e) => e.dispose());
    await truncate(join(damaged, 'weights.bin'), 10);
    expect(await familiesModelProblem({ contextualModel: damaged })).toMatch(/--contextual-model .*damaged.* is not a usable bilm: .*weights\.bin has 10 bytes/u);
    await writeFile(join(damaged, 'bilm.json'), '{ not json');
    expect(await familiesModelProblem({ contextualModel: damaged })).toMatch(/--contextual-model .* is not a usable bilm: .*not valid JSON/u);
  }, 60_000);
});

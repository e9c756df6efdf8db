/**
 * `embedkit item2vec tune` and `--params`: tune writes its best settings, train/eval/recommend
 * read them, and flags given explicitly override the file (the Diginetica sample as input).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readItem2VecParams, writeItem2VecParams, type Comparison, type Item2VecParams } from '@embedkit/item2vec';
import { Embeddings } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

const views = new URL('../../../../packages/item2vec/src/__tests__/fixtures/diginetica/train-item-views.csv', import.meta.url).pathname;
const events = ['--events', views, '--preset', 'diginetica'];
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-item2vec-tune-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('item2vec tune', () => {
  it('writes the best settings it found on the validation split; eval --params uses them', async () => {
    const output = join(dir, 'tuned.json');
    const tuned = await run(['item2vec', 'tune', ...events, '--budget', '120', '--max-trials', '2', '--dim', '8', '--output', output]);
    expect(tuned.err).not.toContain('embedkit:');
    expect(tuned.code).toBe(0);
    expect(tuned.err.match(/ {2}trial \d+ /g)).toHaveLength(2);
    expect(tuned.out).toMatch(/Validation split: \d+ cases from \d+ training sessions \(1636 test cases held out\); 2 trials/);
    expect(tuned.out).toContain('stopped because --max-trials reached');
    const params = await readItem2VecParams(output);
    expect(params.train.dim).toBe(8); // fixed flags stay fixed
    expect(params.validation?.trials).toBe(2);
    expect(tuned.out).toContain(`Best: --mode ${params.train.mode}`);
    expect(tuned.out).toContain(`--recency-decay ${params.recommend.recencyDecay}, --scoring ${params.recommend.scoring}`);

    const evaluated = await run(['item2vec', 'eval', ...events, '--params', output, '--epochs', '1', '--k', '10', '--resamples', '100']);
    expect(evaluated.code).toBe(0);
    // The file's settings, except --epochs, given explicitly.
    const window = params.train.mode === 'item2vec' ? 'whole session' : `--window ${params.train.window}`;
    expect(evaluated.out).toContain(`${params.train.mode}: --mode ${params.train.mode} (${window}), --negative-exponent ${params.train.negativeExponent}, --epochs 1,`);
    expect(evaluated.out).toContain(`--dim 8, --negative ${params.train.negative}, --recency-decay ${params.recommend.recencyDecay}, --scoring ${params.recommend.scoring}`);
    expect(evaluated.out).toMatch(/(item-knn|session-knn) \(the strongest kNN here\), paired over the same cases/);
  });

  it('refuses a budget that is not positive, and says so when no trial fits', async () => {
    const zero = await run(['item2vec', 'tune', ...events, '--budget', '0', '--output', join(dir, 'never.json')]);
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('--budget');
    const tiny = await run(['item2vec', 'tune', ...events, '--budget', '0.01', '--output', join(dir, 'never.json')]);
    expect(tiny.code).toBe(1);
    expect(tiny.err).toContain('--budget');
    // The fix it suggests names only flags tune accepts (--epochs is searched, not a tune flag).
    const help = await run(['item2vec', 'tune', '--help']);
    for (const flag of tiny.err.match(/--[a-z][a-z-]*/g) ?? []) expect(help.out + help.err).toContain(flag);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });
});

describe('--params, --context-output and --context-vectors', () => {
  const params: Item2VecParams = {
    train: { mode: 'sequence', window: 3, negativeExponent: -0.5, epochs: 2, sample: 0, alpha: 0.05, dim: 12, negative: 5 },
    recommend: { recencyDecay: 0.3, scoring: 'in-out' },
  };

  it('train writes item and context vectors with the file\'s settings; recommend scores in-out with them', async () => {
    const file = join(dir, 'mine.json');
    await writeItem2VecParams(file, params);
    const vectors = join(dir, 'items.vec');
    const contextVectors = join(dir, 'items.ctx.vec');
    const trained = await run(['item2vec', 'train', ...events, '--params', file, '--output', vectors, '--context-output', contextVectors]);
    expect(trained.code).toBe(0);
    const items = await Embeddings.load(vectors);
    const ctx = await Embeddings.load(contextVectors);
    expect(items.dim).toBe(12);
    expect(ctx.labels).toEqual(items.labels);
    const [a, b] = items.labels;
    const inOut = await run(['item2vec', 'recommend', '--vectors', vectors, '--context-vectors', contextVectors, '--params', file, '--items', `${a},${b}`, '--k', '5', '--json']);
    expect(inOut.code).toBe(0);
    const cosine = await run(['item2vec', 'recommend', '--vectors', vectors, '--params', file, '--scoring', 'cosine', '--items', `${a},${b}`, '--k', '5', '--json']);
    expect(cosine.code).toBe(0);
    const recs = (out: string): Array<{ item: string; score: number }> => JSON.parse(out) as Array<{ item: string; score: number }>;
    expect(recs(inOut.out)).toHaveLength(5);
    // Cosine scores are at most 1; in-out scores are raw dot products, not the same ranking function.
    for (const r of recs(cosine.out)) expect(Math.abs(r.score)).toBeLessThanOrEqual(1 + 1e-6);
    expect(recs(inOut.out).map((r) => r.score)).not.toEqual(recs(cosine.out).map((r) => r.score));
  });

  it('in-out scoring without context vectors is a usage error naming the flag', async () => {
    const file = join(dir, 'mine2.json');
    await writeItem2VecParams(file, params);
    const vectors = join(dir, 'plain.vec');
    expect((await run(['item2vec', 'train', ...events, '--params', file, '--output', vectors])).code).toBe(0);
    const fromParams = await run(['item2vec', 'recommend', '--vectors', vectors, '--params', file, '--items', '1']);
    expect(fromParams.code).toBe(2);
    expect(fromParams.err).toContain('--context-vectors');
    const fromFlag = await run(['item2vec', 'recommend', '--vectors', vectors, '--scoring', 'in-out', '--items', '1']);
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.err).toContain('--scoring in-out');
  });

  it('context vectors of another model are refused naming --context-vectors and the command that writes matching ones', async () => {
    const file = join(dir, 'mine3.json');
    await writeItem2VecParams(file, params);
    const vectors = join(dir, 'own.vec');
    const contextVectors = join(dir, 'own.ctx.vec');
    expect((await run(['item2vec', 'train', ...events, '--params', file, '--output', vectors, '--context-output', contextVectors])).code).toBe(0);
    // Another model's context file: another dimension, or not the same items.
    const otherDim = join(dir, 'other-dim.ctx.vec');
    expect((await run(['item2vec', 'train', ...events, '--params', file, '--dim', '8', '--output', join(dir, 'other.vec'), '--context-output', otherDim])).code).toBe(0);
    const ctx = await Embeddings.load(contextVectors);
    const fewer = join(dir, 'fewer.ctx.vec');
    const kept = ctx.labels.slice(0, 10);
    await new Embeddings(kept, ctx.dim, Float32Array.from(kept.flatMap((l) => Array.from(ctx.get(l)!)))).save(fewer, { format: 'word2vec-text' });
    const [a, b] = ctx.labels;
    for (const [wrong, detail] of [[otherDim, 'they have 8 dimensions, the item vectors 12'], [fewer, `${(ctx.size - 10).toLocaleString('en-US')} of ${ctx.size.toLocaleString('en-US')} items have no context vector`]] as const) {
      const result = await run(['item2vec', 'recommend', '--vectors', vectors, '--context-vectors', wrong, '--params', file, '--items', `${a},${b}`]);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`--context-vectors ${wrong} are not the context vectors of --vectors ${vectors}`);
      expect(result.err).toContain(detail);
      expect(result.err).toContain(`item2vec train … --output ${vectors} --context-output ${wrong}`);
    }
  });

  it('a params file that is not one is refused', async () => {
    const result = await run(['item2vec', 'eval', ...events, '--params', views]);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('not JSON');
  });
});

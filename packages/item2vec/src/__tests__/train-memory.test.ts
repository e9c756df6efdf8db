// Item vectors that would not fit in memory: word2vec's own refusal (about words, maxSize and
// maxMemoryBytes) is said in item training's words. word2vec is given a 1-byte memory limit here,
// so its real check refuses a small model instead of a machine-sized one.
import { describe, expect, it, vi } from 'vitest';
import type { Session } from '../index';

vi.mock('@embedkit/word2vec', async (importOriginal) => {
  const original = await importOriginal<typeof import('@embedkit/word2vec')>();
  return { ...original, trainWord2Vec: (corpus: never, options: object) => original.trainWord2Vec(corpus, { ...options, maxMemoryBytes: 1 }) };
});

const { trainItemEmbeddings } = await import('../index');

const session = (user: string, items: string[]): Session =>
  ({ user, items, times: items.map((_, i) => i), converted: items.map(() => false), conversion: undefined, market: undefined });

describe('trainItemEmbeddings over the memory limit', () => {
  it('is OUT_OF_MEMORY in items, naming dim and minCount (no maxSize or maxMemoryBytes, which item training has not)', async () => {
    const sessions = [session('a', ['1', '2', '3']), session('b', ['2', '3', '4'])];
    const error = await trainItemEmbeddings(sessions, { dim: 16, epochs: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUT_OF_MEMORY' });
    const message = (error as Error).message;
    expect(message).toMatch(/^Training 4 items × 16 dimensions needs about \d+ MiB, more than the limit of 0 MiB; lower dim or raise minCount$/);
  });
});

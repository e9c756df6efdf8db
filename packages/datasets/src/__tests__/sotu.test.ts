import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressSentences, sotuAddresses, sotuSentences, writeSotuCorpus } from '../index';

describe('State of the Union corpus', () => {
  it('has every address from 1790 on, in year order', () => {
    const addresses = sotuAddresses();
    expect(addresses.length).toBeGreaterThan(200);
    expect(addresses[0]?.year).toBe(1790);
    for (let i = 1; i < addresses.length; i++) {
      expect(addresses[i]!.year).toBeGreaterThanOrEqual(addresses[i - 1]!.year);
    }
  });

  it('gives lower-case word sentences of about 1.8 million tokens', () => {
    const sentences = sotuSentences();
    const tokens = sentences.reduce((sum, s) => sum + s.length, 0);
    expect(tokens).toBeGreaterThan(1_600_000);
    expect(tokens).toBeLessThan(2_000_000);
    expect(sentences.length).toBeGreaterThan(50_000);
    const words = new Set(sentences.flat());
    for (const word of ['war', 'congress', 'economy', 'freedom', 'the']) expect(words.has(word)).toBe(true);
    // Lower case, and no punctuation tokens (numbers such as 3,000,000 stay whole words).
    expect([...words].some((w) => /\p{Lu}|^[\p{P}--\p{Pc}]+$/v.test(w))).toBe(false);
  });

  it('splits one address the way the whole corpus is split', () => {
    const addresses = sotuAddresses({ range: [1861, 1863] });
    expect(addresses.flatMap(addressSentences)).toEqual(sotuSentences({ range: [1861, 1863] }));
    expect(addressSentences(addresses[0]!).length).toBeGreaterThan(50);
  });

  it('restricts to a year range and writes one sentence per line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sotu-'));
    try {
      const path = join(dir, 'sotu.txt');
      const summary = await writeSotuCorpus(path, { range: [1790, 1792] });
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      expect(lines.length).toBe(summary.sentences);
      expect(lines.join(' ').split(' ').length).toBe(summary.tokens);
      expect(summary.tokens).toBeLessThan(20_000);
      expect(lines[0]).toMatch(/^fellow citizens of the senate/u);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

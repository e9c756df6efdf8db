import { describe, expect, it } from 'vitest';
import { spamAssassinMessages, spamAssassinSample } from '../index';

describe('SpamAssassin corpus', () => {
  it('gives every message of the five groups with headers removed', () => {
    const messages = spamAssassinMessages();
    expect(messages.length).toBe(6046);
    expect(new Set(messages.map((m) => m.group))).toEqual(new Set(['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']));
    expect(messages.filter((m) => m.label === 'spam').length).toBeGreaterThan(1500);
    // Headers are gone: no body starts with a header line such as "Return-Path:".
    expect(messages.filter((m) => /^(Return-Path|Received|From \S+@)/u.test(m.body)).length).toBeLessThan(messages.length / 100);
  });

  it('samples a balanced, deterministic set of token lists within the length bounds', () => {
    const a = spamAssassinSample({ perLabel: 50, maxTokens: 40, minTokens: 10 });
    const b = spamAssassinSample({ perLabel: 50, maxTokens: 40, minTokens: 10 });
    expect(a).toEqual(b);
    expect(a.filter((t) => t.label === 'ham')).toHaveLength(50);
    expect(a.filter((t) => t.label === 'spam')).toHaveLength(50);
    for (const text of a) {
      expect(text.tokens.length).toBeGreaterThanOrEqual(10);
      expect(text.tokens.length).toBeLessThanOrEqual(40);
      for (const token of text.tokens) expect(token).toBe(token.toLowerCase());
    }
  });

  it('refuses a sample larger than the corpus with a message naming the limit', () => {
    expect(() => spamAssassinSample({ perLabel: 100000 })).toThrow(/ask for at most/u);
  });
});

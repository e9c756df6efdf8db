import { describe, expect, it } from 'vitest';
import { EventLog, encodeSessions, sessionize, type InteractionEvent } from '../index';

const MIN = 60_000;
const ev = (user: string, item: string, minute: number, extra: Partial<InteractionEvent> = {}): InteractionEvent => ({
  user, item, timestamp: minute * MIN, ...extra,
});

describe('sessionize', () => {
  it('keeps a gap exactly equal to maxGap in the session and splits on a longer one', () => {
    const log = EventLog.fromEvents([ev('u', 'a', 0), ev('u', 'b', 30), ev('u', 'c', 60.001), ev('u', 'd', 61)]);
    const { sessions } = sessionize(log);
    expect(sessions.map((s) => s.items)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('sorts unsorted input by user and time, keeping file order for equal timestamps', () => {
    const log = EventLog.fromEvents([
      ev('u2', 'x', 5), ev('u1', 'c', 2), ev('u1', 'a', 0), ev('u2', 'w', 1), ev('u1', 'b', 1), ev('u1', 'b2', 1),
    ]);
    const { sessions, stats } = sessionize(log);
    expect(sessions.map((s) => [s.user, s.items])).toEqual([['u2', ['w', 'x']], ['u1', ['a', 'b', 'b2', 'c']]]);
    expect(stats.users).toBe(2);
  });

  it('collapses immediate repeats and duplicate events, keeping their conversion flags', () => {
    const log = EventLog.fromEvents([
      ev('u', 'a', 0), ev('u', 'a', 0), ev('u', 'b', 1), ev('u', 'b', 1, { conversion: true }), ev('u', 'a', 2),
    ]);
    const { sessions, stats } = sessionize(log);
    expect(sessions[0]!.items).toEqual(['a', 'b', 'a']);
    expect(sessions[0]!.converted).toEqual([false, true, false]);
    expect(sessions[0]!.conversion).toBe('b');
    expect(stats.collapsed).toBe(2);
    const raw = sessionize(log, { collapseRepeats: false });
    expect(raw.sessions[0]!.items).toHaveLength(5);
  });

  it('drops sessions shorter than minLength (after collapsing)', () => {
    const log = EventLog.fromEvents([ev('u', 'a', 0), ev('u', 'a', 1), ev('u', 'b', 100), ev('u', 'c', 101)]);
    const { sessions, stats } = sessionize(log);
    expect(sessions.map((s) => s.items)).toEqual([['b', 'c']]);
    expect(stats.droppedShort).toBe(1);
  });

  it('cuts long sessions into chunks that share the conversion and market', () => {
    const events = ['a', 'b', 'c', 'd', 'e'].map((item, i) => ev('u', item, i, { market: 'Rome', conversion: item === 'e' }));
    const { sessions, stats } = sessionize(EventLog.fromEvents(events), { maxLength: 2 });
    expect(sessions.map((s) => s.items)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(stats.split).toBe(1);
    expect(stats.droppedShort).toBe(1);
    expect(sessions.every((s) => s.conversion === 'e' && s.market === 'Rome')).toBe(true);
  });

  it('takes the most frequent market, the latest on ties; one session per user with maxGap Infinity', () => {
    const log = EventLog.fromEvents([
      ev('u', 'a', 0, { market: 'A' }), ev('u', 'b', 1, { market: 'B' }), ev('u', 'c', 10_000, { market: 'B' }), ev('u', 'd', 10_001, { market: 'A' }),
    ]);
    expect(sessionize(log).sessions.map((s) => s.market)).toEqual(['B', 'A']);
    expect(sessionize(log, { maxGap: Infinity }).sessions.map((s) => s.market)).toEqual(['A']); // 2–2 tie: the latest
  });

  it('validates options', () => {
    const log = EventLog.fromEvents([ev('u', 'a', 0)]);
    expect(() => sessionize(log, { maxGap: -1 })).toThrow(RangeError);
    expect(() => sessionize(log, { maxLength: 0 })).toThrow(RangeError);
    expect(() => sessionize(log, { minLength: 1.5 })).toThrow(RangeError);
  });
});

describe('encodeSessions', () => {
  it('builds a Corpus with per-sentence conversions and per-item markets', () => {
    const log = EventLog.fromEvents([
      ev('u1', 'a', 0, { market: 'M' }), ev('u1', 'b', 1, { market: 'M', conversion: true }),
      ev('u2', 'b', 0, { market: 'N' }), ev('u2', 'c', 1, { market: 'N' }), ev('u2', 'b', 2, { market: 'N' }),
      ev('u3', 'z', 0), ev('u3', 'a', 1),
    ]);
    const { sessions } = sessionize(log);
    const enc = encodeSessions(sessions, { minCount: 2 });
    // Vocabulary: b (3), a (2); c and z dropped; u3 keeps only 'a' → dropped.
    expect(enc.corpus.vocabulary.words).toEqual(['b', 'a']);
    expect(enc.corpus.sentenceCount).toBe(2);
    expect(Array.from(enc.corpus.ids)).toEqual([1, 0, 0, 0]);
    expect(Array.from(enc.sessionIndex)).toEqual([0, 1]);
    expect(Array.from(enc.globalContext)).toEqual([0, -1]);
    expect(enc.markets).toEqual(['M', 'N']);
    // b: 1 vote M, 2 votes N.
    expect(Array.from(enc.itemMarket)).toEqual([1, 0]);
  });
});

// Sessions → the tokenizer's Corpus (one sentence per session, one token per item) plus what the
// Airbnb objective needs next to it: per-sentence global context (the converted item) and each
// item's market (for same-market negatives).
import { Corpus, Vocabulary } from '@embedkit/tokenizer';
import type { Session } from './sessions';

/** Options of {@link encodeSessions}. */
export interface EncodeSessionsOptions {
  /** Items occurring fewer times in the sessions are left out of the vocabulary (default 1). */
  minCount?: number;
  /** Encode with this vocabulary instead of counting one (items outside it are dropped). */
  vocabulary?: Vocabulary;
}

/** Sessions encoded for training. */
export interface EncodedSessions {
  /** One sentence per kept session; vocabulary ids in frequency order. */
  corpus: Corpus;
  /** Per sentence: vocabulary id of the session's converted item, or -1 (word2vec's `globalContext`). */
  globalContext: Int32Array;
  /** Per sentence: index of its session in the input array. */
  sessionIndex: Int32Array;
  /** Per vocabulary id: index into `markets` of the item's most frequent session market, or -1. */
  itemMarket: Int32Array;
  /** Market names. */
  markets: string[];
}

/**
 * Encodes sessions as a {@link Corpus}. Sessions left with fewer than two in-vocabulary items
 * teach nothing and are dropped (`sessionIndex` maps sentences back to sessions). A conversion
 * outside the vocabulary gives no global context (-1).
 */
export function encodeSessions(sessions: readonly Session[], options: EncodeSessionsOptions = {}): EncodedSessions {
  const minCount = options.minCount ?? 1;
  if (!(minCount >= 0) || !Number.isFinite(minCount)) throw new RangeError(`minCount must be a finite number ≥ 0, got ${minCount}`);
  let vocabulary = options.vocabulary;
  if (vocabulary === undefined) {
    const counts = new Map<string, number>();
    for (const s of sessions) for (const item of s.items) counts.set(item, (counts.get(item) ?? 0) + 1);
    vocabulary = Vocabulary.fromCounts(counts, { minCount });
  }
  let tokenCount = 0;
  for (const s of sessions) tokenCount += s.items.length;
  const ids = new Int32Array(tokenCount);
  const offsets: number[] = [0];
  const globalContext: number[] = [];
  const sessionIndex: number[] = [];
  const marketIds = new Map<string, number>();
  const markets: string[] = [];
  const votesByItem: Array<Map<number, number> | undefined> = new Array(vocabulary.size);
  let n = 0;
  for (let si = 0; si < sessions.length; si++) {
    const s = sessions[si]!;
    const start = n;
    for (const item of s.items) {
      const id = vocabulary.idOf(item);
      if (id >= 0) ids[n++] = id;
    }
    if (n - start < 2) {
      n = start;
      continue;
    }
    offsets.push(n);
    sessionIndex.push(si);
    globalContext.push(s.conversion === undefined ? -1 : vocabulary.idOf(s.conversion));
    if (s.market !== undefined) {
      let m = marketIds.get(s.market);
      if (m === undefined) {
        m = markets.length;
        marketIds.set(s.market, m);
        markets.push(s.market);
      }
      for (let k = start; k < n; k++) {
        const id = ids[k]!;
        let v = votesByItem[id];
        if (v === undefined) votesByItem[id] = v = new Map();
        v.set(m, (v.get(m) ?? 0) + 1);
      }
    }
  }
  const itemMarket = new Int32Array(vocabulary.size).fill(-1);
  for (let id = 0; id < vocabulary.size; id++) {
    const v = votesByItem[id];
    if (v === undefined) continue;
    let best = -1;
    let bestCount = 0;
    for (const [m, c] of v) {
      if (c > bestCount) {
        bestCount = c;
        best = m;
      }
    }
    itemMarket[id] = best;
  }
  const corpus = new Corpus(vocabulary, ids.slice(0, n), Int32Array.from(offsets));
  return {
    corpus,
    globalContext: Int32Array.from(globalContext),
    sessionIndex: Int32Array.from(sessionIndex),
    itemMarket,
    markets,
  };
}

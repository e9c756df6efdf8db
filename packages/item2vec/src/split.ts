// Temporal leave-last-out split for offline evaluation: for each user, the last item of the
// user's last session is the target, the items before it in that session are the query, and
// everything before the target (all other sessions and the query itself) is training data.
import type { Session } from './sessions';

/** One evaluation case: recommend from `history`, hoping to find `target`. */
export interface EvaluationCase {
  user: string;
  /** The items of the last session before the target, oldest first. */
  history: string[];
  /** The held-out item. */
  target: string;
  /** The session's market, for market-filtered recommenders. */
  market: string | undefined;
}

/** The result of {@link temporalSplit}. */
export interface TemporalSplit {
  /** Training sessions: everything before each user's target. */
  train: Session[];
  /** One case per user whose last session yields one. */
  cases: EvaluationCase[];
  /**
   * Users whose target already occurs in the query history. Recommenders exclude seen items, so
   * such a target can never be hit; these cases are left out (and counted here) for every
   * method alike.
   */
  skippedRepeats: number;
}

/**
 * Leave-last-out split by time. Each user's last session (latest last event) loses its last
 * item, which becomes the target; the prefix stays in training when it still has ≥ `minLength`
 * items (its conversion is recomputed from the prefix, so a booking of the target never leaks).
 * Apply it again to `train` to carve a validation split from the training period.
 */
export function temporalSplit(sessions: readonly Session[], options: { minLength?: number } = {}): TemporalSplit {
  const minLength = options.minLength ?? 2;
  const last = new Map<string, number>();
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    const prev = last.get(s.user);
    if (prev === undefined || endTime(s) >= endTime(sessions[prev]!)) last.set(s.user, i);
  }
  const lastIndex = new Set(last.values());
  const train: Session[] = [];
  const cases: EvaluationCase[] = [];
  let skippedRepeats = 0;
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    if (!lastIndex.has(i)) {
      train.push(s);
      continue;
    }
    const n = s.items.length;
    if (n < 2) {
      train.push(s);
      continue;
    }
    const target = s.items[n - 1]!;
    const history = s.items.slice(0, n - 1);
    if (history.includes(target)) skippedRepeats++;
    else cases.push({ user: s.user, history, target, market: s.market });
    if (n - 1 >= minLength) train.push(prefix(s, n - 1));
  }
  return { train, cases, skippedRepeats };
}

function endTime(s: Session): number {
  return s.times.length > 0 ? s.times[s.times.length - 1]! : -Infinity;
}

function prefix(s: Session, n: number): Session {
  const converted = s.converted.slice(0, n);
  let conversion: string | undefined;
  for (let i = n - 1; i >= 0; i--) {
    if (converted[i]) {
      conversion = s.items[i];
      break;
    }
  }
  return { user: s.user, items: s.items.slice(0, n), times: s.times.slice(0, n), converted, conversion, market: s.market };
}

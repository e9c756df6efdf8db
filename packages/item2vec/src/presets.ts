// Ready column mappings for the shared data sets, so `readEvents(path, preset('trivago'))` and the
// CLI's `--preset` need no further options.
import { item2vecError } from './errors';
import type { ReadEventsOptions } from './events';

/** Names accepted by {@link eventPreset}. */
export type EventPresetName = 'movielens' | 'trivago' | 'otto';

/** The preset names, for CLIs and validation. */
export const EVENT_PRESETS: readonly EventPresetName[] = ['movielens', 'trivago', 'otto'];

/** Options of {@link eventPreset}. */
export interface EventPresetOptions {
  /** MovieLens only: keep ratings ≥ this value (e.g. 4 for "liked"); default: keep all. */
  minRating?: number;
}

/**
 * Reader options for the shared data sets:
 *
 * - `movielens`: `ratings.csv` (`userId,movieId,rating,timestamp`, unix seconds); every rating
 *   is an interaction, no conversions; optional `minRating`.
 * - `trivago`: RecSys Challenge 2019 sessions; only item actions (`interaction item image`,
 *   `interaction item info|rating|deals`, `search for item`, `clickout item`) with `reference` as
 *   item id; `clickout item` is the conversion; `city` the market; `session_id` the user, so that
 *   each search session is sessionised on its own.
 * - `otto`: JSON Lines, one session per line (`{"session":…,"events":[{"aid","ts","type"}]}`,
 *   ts in ms); `carts` and `orders` are conversions.
 *
 * @throws EmbedkitError `UNKNOWN_PRESET`
 */
export function eventPreset(name: string, options: EventPresetOptions = {}): ReadEventsOptions {
  switch (name) {
    case 'movielens': {
      const out: ReadEventsOptions = {
        format: 'csv',
        columns: { user: 'userId', item: 'movieId', timestamp: 'timestamp' },
        timestampUnit: 's',
      };
      if (options.minRating !== undefined) out.minValue = { column: 'rating', min: options.minRating };
      return out;
    }
    case 'trivago':
      return {
        format: 'csv',
        columns: { user: 'session_id', item: 'reference', timestamp: 'timestamp', type: 'action_type', market: 'city' },
        timestampUnit: 's',
        eventTypes: [
          'interaction item image',
          'clickout item',
          'interaction item info',
          'interaction item rating',
          'interaction item deals',
          'search for item',
        ],
        conversionTypes: ['clickout item'],
      };
    case 'otto':
      return {
        format: 'jsonl',
        eventsField: 'events',
        columns: { user: 'session', item: 'aid', timestamp: 'ts', type: 'type' },
        timestampUnit: 'ms',
        conversionTypes: ['carts', 'orders'],
      };
    default:
      throw item2vecError('UNKNOWN_PRESET', `unknown events preset ${JSON.stringify(name)}; use one of ${EVENT_PRESETS.join(', ')}`);
  }
}

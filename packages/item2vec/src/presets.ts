// Ready column mappings for the shared data sets and the common public session logs, so
// `readEvents(path, eventPreset('trivago'))` and the CLI's `--preset` need no further options.
// Presets name columns, never the format: the file decides (Parquet by its bytes, else the
// extension), so the Parquet twin of a CSV reads with the same preset.
import { item2vecError } from './errors';
import type { ReadEventsOptions } from './events';

/** Names accepted by {@link eventPreset}. */
export type EventPresetName = 'movielens' | 'trivago' | 'otto' | 'diginetica' | 'yoochoose' | 'retailrocket';

/** The preset names, for CLIs and validation. */
export const EVENT_PRESETS: readonly EventPresetName[] = ['movielens', 'trivago', 'otto', 'diginetica', 'yoochoose', 'retailrocket'];

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
 * - `diginetica`: CIKM Cup 2016 `train-item-views.csv`, `;`-separated with the header
 *   `session_id;user_id;item_id;timeframe;eventdate` (as in the sample SR-GNN ships,
 *   CRIPAC-DIG/SR-GNN `datasets/sample_train-item-views.csv`: `1;NA;81766;526309;2016-05-09`).
 *   Sessions are given: `session_id` is the session, `timeframe` (milliseconds since the
 *   session started, not a clock) orders events within it, `eventdate` (a day) is the time.
 *   `user_id` is `NA` for most sessions, so it is not mapped.
 * - `yoochoose`: RecSys Challenge 2015 `yoochoose-clicks.dat`, no header, comma-separated
 *   `Session ID, Timestamp, Item ID, Category` (the challenge README; rows look like
 *   `1,2014-04-07T10:51:09.277Z,214536502,0`, ISO 8601 UTC). Sessions are given and ordered
 *   by their timestamp; the category goes to item metadata. A copy with a header line reads
 *   it as one bad row (a bad timestamp).
 * - `retailrocket`: the RetailRocket e-commerce `events.csv`, header
 *   `timestamp,visitorid,event,itemid,transactionid`, timestamps in ms, `event` ∈ `view`,
 *   `addtocart`, `transaction`. No sessions in the file: `visitorid` is the user, cut into
 *   sessions on inactivity; `addtocart` and `transaction` are conversions (as OTTO's carts and
 *   orders).
 *
 * @throws EmbedkitError `UNKNOWN_PRESET`
 */
export function eventPreset(name: string, options: EventPresetOptions = {}): ReadEventsOptions {
  switch (name) {
    case 'movielens': {
      const out: ReadEventsOptions = {
        columns: { user: 'userId', item: 'movieId', timestamp: 'timestamp' },
        timestampUnit: 's',
      };
      if (options.minRating !== undefined) out.minValue = { column: 'rating', min: options.minRating };
      return out;
    }
    case 'trivago':
      return {
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
        eventsField: 'events',
        columns: { user: 'session', item: 'aid', timestamp: 'ts', type: 'type' },
        timestampUnit: 'ms',
        conversionTypes: ['carts', 'orders'],
      };
    case 'diginetica':
      return {
        columns: { session: 'session_id', item: 'item_id', timestamp: 'eventdate', order: 'timeframe' },
        timestampUnit: 'iso',
      };
    case 'yoochoose':
      return {
        header: false,
        columns: { session: 0, timestamp: 1, item: 2, category: 3 },
        timestampUnit: 'iso',
      };
    case 'retailrocket':
      return {
        columns: { user: 'visitorid', item: 'itemid', timestamp: 'timestamp', type: 'event' },
        timestampUnit: 'ms',
        conversionTypes: ['addtocart', 'transaction'],
      };
    default:
      throw item2vecError('UNKNOWN_PRESET', `unknown events preset ${JSON.stringify(name)}; use one of ${EVENT_PRESETS.join(', ')}`);
  }
}

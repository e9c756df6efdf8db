// The event logs the item2vec benchmark scripts run on, each with the preset that reads it: the
// shared data sets (../shared/data beside the repository, never copied into it) and the
// Diginetica sample fixture of the tests. One table, so that every script means the same files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, '../../../../shared/data');

/** Name → [events file, eventPreset name]. */
export const VALIDATION_DATASETS = {
  movielens: [path.join(SHARED, 'movielens/ml-latest-small/ratings.csv'), 'movielens'],
  trivago: [path.join(SHARED, 'sessions/trivago-100k/trivago_val_100k.csv'), 'trivago'],
  diginetica: [path.resolve(here, '../src/__tests__/fixtures/diginetica/train-item-views.csv'), 'diginetica'],
};

/** {@link VALIDATION_DATASETS} and the 20-session OTTO smoke test (too small to tune on). */
export const DATASETS = {
  ...VALIDATION_DATASETS,
  otto: [path.join(SHARED, 'sessions/otto-sample/train.jsonl'), 'otto'],
};

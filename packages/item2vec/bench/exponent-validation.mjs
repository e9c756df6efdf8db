// Which negative-sampling exponent should the defaults use? The one data sets disagree on:
// validation NDCG@10 of the default settings (sequence, window 5, 100 epochs, in-out, decay 0.5)
// with exponents 0.5, 0.25 and 0, on each data set's validation split (tuneItem2Vec restricted to
// that one coordinate: the test cases are held out), and each exponent's mean score relative to
// the data set's best. Runs on the BUILT package: node bench/exponent-validation.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventPreset, readEvents, sessionize, tuneItem2Vec } from '@embedkit/item2vec';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, '../../../../shared/data');
const DATASETS = {
  movielens: [path.join(SHARED, 'movielens/ml-latest-small/ratings.csv'), 'movielens'],
  trivago: [path.join(SHARED, 'sessions/trivago-100k/trivago_val_100k.csv'), 'trivago'],
  diginetica: [path.resolve(here, '../src/__tests__/fixtures/diginetica/train-item-views.csv'), 'diginetica'],
};
const EXPONENTS = [0.5, 0.25, 0];
const scores = {};
for (const [name, [file, preset]] of Object.entries(DATASETS)) {
  const { log } = await readEvents(file, eventPreset(preset));
  const { sessions } = sessionize(log);
  const r = await tuneItem2Vec(sessions, {
    budgetSeconds: 3600,
    space: { negativeExponent: EXPONENTS, mode: ['sequence'], window: [5], epochs: [100], sample: [0], alpha: [0.1], recencyDecay: [0.5], scoring: ['in-out'] },
  });
  scores[name] = Object.fromEntries(r.trials.map((t) => [t.train.negativeExponent, t.metrics.ndcg]));
}
const names = Object.keys(DATASETS);
console.log(`| exponent | ${names.join(' | ')} | mean relative to each data set's best |`);
console.log(`|---:|${names.map(() => '---:').join('|')}|---:|`);
for (const e of EXPONENTS) {
  const rel = names.map((n) => scores[n][e] / Math.max(...Object.values(scores[n])));
  console.log(`| ${e} | ${names.map((n) => scores[n][e].toFixed(4)).join(' | ')} | ${(rel.reduce((a, b) => a + b, 0) / rel.length).toFixed(3)} |`);
}

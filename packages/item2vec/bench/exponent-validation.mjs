// Which negative-sampling exponent should the defaults use? The one data sets disagree on:
// validation NDCG@10 of the default settings (sequence, window 5, 100 epochs, in-out, decay 0.5)
// with exponents 0.5, 0.25 and 0, on each data set's validation split (tuneItem2Vec restricted to
// that one coordinate: the test cases are held out), and each exponent's mean score relative to
// the data set's best. Runs on the BUILT package: node bench/exponent-validation.mjs
import { eventPreset, readEvents, sessionize, tuneItem2Vec } from '@embedkit/item2vec';
import { VALIDATION_DATASETS as DATASETS } from './data-sets.mjs';

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

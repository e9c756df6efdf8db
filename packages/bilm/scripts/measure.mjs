// Trains on the bundled State of the Union corpus (last 2% of sentences held out) and prints the
// training time and held-out quality. Build first: npx -y pnpm@12.4.2 build --filter @embedkit/bilm...
// Usage: node packages/bilm/scripts/measure.mjs [seconds=150] [seed=1] [options as JSON] [held-out sentences=2000]
import { sotuSentences } from '@embedkit/datasets';
import { evaluateContextualEncoder, trainContextualEncoder } from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 150);
const seed = Number(process.argv[3] ?? 1);
const extra = JSON.parse(process.argv[4] ?? "{}");
const sentences = sotuSentences();
const cut = Math.floor(sentences.length * 0.98);
const cpuStart = process.cpuUsage();
const encoder = await trainContextualEncoder(sentences.slice(0, cut), {
  seconds,
  seed,
  ...extra,
  onProgress: (p) => { if (p.step % 100 === 0) console.error(`step ${p.step} ${p.seconds.toFixed(0)} s loss ${p.loss.toFixed(3)}`); },
});
const cpu = process.cpuUsage(cpuStart);
const evaluation = await evaluateContextualEncoder(encoder, sentences.slice(cut, cut + Number(process.argv[5] ?? 2000)));
const a = await encoder.embedTokens('we sat on the bank of the river');
const b = await encoder.embedTokens('the bank raised its interest rates');
const row = (r, w) => r.vectors.slice(r.tokens.indexOf(w) * r.dimension, (r.tokens.indexOf(w) + 1) * r.dimension);
const [x, y] = [row(a, 'bank'), row(b, 'bank')];
let dot = 0, nx = 0, ny = 0;
for (let i = 0; i < x.length; i++) { dot += x[i] * y[i]; nx += x[i] ** 2; ny += y[i] ** 2; }
console.log(JSON.stringify({ seed, ...encoder.training, cpuSeconds: (cpu.user + cpu.system) / 1e6, ...evaluation, bankChange: 1 - dot / Math.sqrt(nx * ny) }));

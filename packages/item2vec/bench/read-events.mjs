// How fast readEvents reads real logs: the trivago sample as CSV, gzipped CSV and Parquet, and
// the Diginetica sample (`;`, sniffed), next to a floor that only splits lines on commas
// (readline + String.split, no quoting, no columns): the price of papaparse's RFC 4180 parsing
// and the reader's bookkeeping. Medians of --runs runs, in one process, after one warm-up run.
//
// Runs on the BUILT packages (npx -y pnpm@12.4.2 build --filter @embedkit/item2vec...):
//   node bench/read-events.mjs [--runs 5]
import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { eventPreset, readEvents } from '@embedkit/item2vec';
import { median } from './bench-utils.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, '../../../../shared/data');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;

const trivagoCsv = path.join(SHARED, 'sessions/trivago-100k/trivago_val_100k.csv');
const trivagoParquet = path.join(SHARED, 'sessions/trivago-100k/trivago_val_100k.parquet.snappy');
const diginetica = path.join(here, '../src/__tests__/fixtures/diginetica/train-item-views.csv');

async function splitFloor(file) {
  let fields = 0;
  for await (const line of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    fields += line.split(',').length;
  }
  return fields;
}

async function time(label, run, records) {
  await run(); // warm-up
  const ms = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  const m = median(ms);
  console.log(`| ${label} | ${records.toLocaleString('en-US')} | ${m.toFixed(0)} | ${(records / m / 1000).toFixed(2)} |`);
  return m;
}

console.log(`node ${process.version}, medians of ${RUNS} runs\n`);
console.log('| input | records | median ms | M records/s |');
console.log('|---|---:|---:|---:|');
if (existsSync(trivagoCsv)) {
  const floor = await time('trivago CSV, readline + split (floor)', () => splitFloor(trivagoCsv), 100_003);
  const csv = await time('trivago CSV, readEvents + preset', () => readEvents(trivagoCsv, eventPreset('trivago')), 100_003);
  const dir = mkdtempSync(path.join(tmpdir(), 'read-events-'));
  const gz = path.join(dir, 'trivago.csv.gz');
  writeFileSync(gz, gzipSync(readFileSync(trivagoCsv)));
  await time('trivago CSV gzipped, readEvents + preset', () => readEvents(gz, eventPreset('trivago')), 100_003);
  if (existsSync(trivagoParquet)) await time('trivago Parquet, readEvents + preset', () => readEvents(trivagoParquet, eventPreset('trivago')), 100_003);
  console.log(`\nreadEvents / floor on the CSV: ${(csv / floor).toFixed(2)}x`);
}
await time('Diginetica sample (`;` sniffed), readEvents + preset', () => readEvents(diginetica, eventPreset('diginetica')), 12_391);

// Memory of a loaded matrix after a few queries: `Embeddings.load` of FILE, five mostSimilar
// queries, a GC, then the resident set size and the peak, in MiB (JSON).
//
//   cd packages/vectors && npx tsup && node --expose-gc bench/query-memory.mjs [FILE] [DIST]
//
// FILE defaults to $TMPDIR/embedkit-bench-1000000x100.bin (written by most-similar.mjs); DIST is
// the built module to measure (default ../dist/index.js, relative to this script), so that
// another build (e.g. an older commit's) can be compared on the same file.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = process.argv[2] ?? join(tmpdir(), 'embedkit-bench-1000000x100.bin');
const dist = process.argv[3] ?? '../dist/index.js';
const { Embeddings } = await import(dist);
const embeddings = await Embeddings.load(file);
for (let i = 0; i < 5; i++) embeddings.mostSimilar({ positive: [embeddings.labels[i * 1000 % embeddings.size]] });
globalThis.gc?.();
const mib = (bytes) => Math.round(bytes / 2 ** 20);
console.log(JSON.stringify({ dist, rssMiB: mib(process.memoryUsage().rss), peakRssMiB: mib(process.resourceUsage().maxRSS * 1024) }));

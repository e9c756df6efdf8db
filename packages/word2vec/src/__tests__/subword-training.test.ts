// The subword (fastText) option of the trainers: out-of-vocabulary words on a corpus with shared
// morphology, every configuration runs, determinism, the untouched plain path, the update rule
// against a naive reference of fastText's Model::update, and option checks.
//
// Calibration (`morphologyCorpus`, dim 24, 5 epochs, 5000 buckets, n-grams 3–5): over seeds 1..6
// held-out forms found a form of their stem among their 10 nearest neighbours at ≥ 0.94
// (skip-gram) and ≥ 0.875 (CBOW), and the 5 nearest words of other stems were of their topic at
// 1.00 for both (untrained, seeds 1..3: 0.05–0.075; chance 5/47). Shared n-gram rows alone already
// put the stem's forms near (untrained: 0.875–1.0), so the topic rate is the measure of learning.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import type { NegativeSampler, Rng } from '@embedkit/sampling';
import { Corpus } from '@embedkit/tokenizer';
import { SubwordEmbeddings, buildSubwordTable } from '@embedkit/vectors';
import { Word2VecKernel, trainWord2Vec } from '../index';
import type { KernelData, Word2VecOptions } from '../index';
import { buildBagTables } from '../subword';
import { wasmModule } from '../wasm';
import { morphologyCorpus, stemOf } from './morphology';

const workerBuilt = existsSync(fileURLToPath(new URL('../../dist/worker.js', import.meta.url)));
const kernels = wasmModule() === null ? (['js'] as const) : (['js', 'wasm'] as const);
const SMALL = { minN: 3, maxN: 5, buckets: 5000 };

/** Rates over the held-out words: a form of the same stem in the top 10; same-topic words among the top 5 of other stems. */
function oovRates(model: SubwordEmbeddings, m: ReturnType<typeof morphologyCorpus>): { form: number; topic: number } {
  let form = 0;
  let topic = 0;
  let topicTotal = 0;
  for (const { word, stem } of m.heldOut) {
    expect(model.has(word)).toBe(false);
    const neighbours = model.mostSimilar({ positive: [word], topN: 30 });
    if (neighbours.slice(0, 10).some((n) => stemOf(n.label, m.stems) === stem)) form++;
    const others = neighbours.filter((n) => stemOf(n.label, m.stems) !== stem).slice(0, 5);
    for (const n of others) if (m.topicOf.get(stemOf(n.label, m.stems)!) === m.topicOf.get(stem)) topic++;
    topicTotal += others.length;
  }
  return { form: form / m.heldOut.length, topic: topic / topicTotal };
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

describe('words outside the vocabulary', () => {
  for (const model of ['skipgram', 'cbow'] as const) {
    it(`${model}: held-out forms find their stem's forms and their topic`, async () => {
      for (const seed of [1, 2]) {
        const m = morphologyCorpus(seed);
        const { embeddings } = await trainWord2Vec(m.corpus, { model, dim: 24, epochs: 5, sample: 0, seed, subwords: SMALL });
        expect(embeddings).toBeInstanceOf(SubwordEmbeddings);
        const rates = oovRates(embeddings, m);
        expect(rates.form).toBeGreaterThanOrEqual(0.8);
        expect(rates.topic).toBeGreaterThanOrEqual(0.8);
      }
    });
  }

  it('an untrained subword model does not find the topics (the measure can fail)', async () => {
    const m = morphologyCorpus(1);
    const { embeddings } = await trainWord2Vec(m.corpus, { model: 'skipgram', dim: 24, epochs: 1, alpha: 1e-9, minAlpha: 0, sample: 0, subwords: SMALL });
    expect(oovRates(embeddings, m).topic).toBeLessThan(0.3);
  });
});

describe('every configuration trains', () => {
  const m = morphologyCorpus(3, 4, 4, 300);
  for (const threads of [1, 2]) {
    for (const model of ['skipgram', 'cbow'] as const) {
      for (const hs of [false, true]) {
        it.skipIf(threads > 1 && !workerBuilt)(`${model} ${hs ? 'HS' : 'NS'} threads ${threads}`, async () => {
          const { embeddings, stats, state } = await trainWord2Vec(m.corpus, {
            model, hs, negative: hs ? 0 : 5, dim: 16, epochs: 3, threads, sample: 0, subwords: { buckets: 2000 },
          });
          expect(embeddings).toBeInstanceOf(SubwordEmbeddings);
          expect(embeddings.buckets).toBe(2000);
          expect(state.subwords).toEqual({ minN: 3, maxN: 6, buckets: 2000 });
          expect(state.wIn.length).toBe((m.corpus.vocabulary.size + 2000) * 16);
          expect(allFinite(state.wIn)).toBe(true);
          expect(allFinite(embeddings.vectorFor('zzzzing'))).toBe(true);
          expect(stats.epochReports.at(-1)!.loss).toBeLessThan(stats.epochReports[0]!.loss);
        });
      }
    }
  }
});

describe('reproducibility and the plain path', () => {
  const m = morphologyCorpus(4, 4, 4, 300);
  for (const kernel of kernels) {
    it(`${kernel}: threads 1 is deterministic`, async () => {
      for (const model of ['skipgram', 'cbow'] as const) {
        const options: Word2VecOptions = { model, dim: 16, epochs: 2, seed: 9, kernel, subwords: { buckets: 1000 } };
        const a = await trainWord2Vec(m.corpus, options);
        const b = await trainWord2Vec(m.corpus, options);
        expect(Buffer.from(b.state.wIn.buffer, b.state.wIn.byteOffset, b.state.wIn.byteLength).equals(
          Buffer.from(a.state.wIn.buffer, a.state.wIn.byteOffset, a.state.wIn.byteLength),
        )).toBe(true);
      }
    });

    it(`${kernel}: without n-grams the results are bit-identical to the plain trainer`, async () => {
      for (const model of ['skipgram', 'cbow'] as const) {
        for (const hs of [false, true]) {
          const options: Word2VecOptions = { model, hs, negative: hs ? 0 : 5, dim: 16, epochs: 2, seed: 3, kernel };
          const plain = await trainWord2Vec(m.corpus, options);
          const off = await trainWord2Vec(m.corpus, { ...options, subwords: { maxN: 0 } });
          expect(off.embeddings).toBeInstanceOf(SubwordEmbeddings);
          expect(Array.from(off.state.wIn)).toEqual(Array.from(plain.state.wIn));
          for (const word of m.corpus.vocabulary.words.slice(0, 10)) expect(off.embeddings.get(word)).toEqual(plain.embeddings.get(word));
        }
      }
    });
  }

  it.skipIf(kernels.length < 2)('the WebAssembly and TypeScript subword kernels agree', async () => {
    for (const model of ['skipgram', 'cbow'] as const) {
      const options: Word2VecOptions = { model, dim: 16, epochs: 1, seed: 2, sample: 0, subwords: { buckets: 1000 } };
      const js = await trainWord2Vec(m.corpus, { ...options, kernel: 'js' });
      const wasm = await trainWord2Vec(m.corpus, { ...options, kernel: 'wasm' });
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < js.state.wIn.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(js.state.wIn[i]! - wasm.state.wIn[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(js.state.wIn[i]!));
      }
      expect(maxDiff).toBeLessThan(1e-3 * maxAbs);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The update rule against a naive float64 reference of fastText's Model::update: for every
// (target, context) pair, h = mean of the target's bag rows (recomputed), then for each output o
// with label y: g = (y − σ(h·v'_o))·alpha, neu1e += g·v'_o, v'_o += g·h; then every bag entry
// (repeats included) += neu1e. Bags here repeat a row, which the kernel's incremental h must honour.

/** Returns the given ids in turn. */
class ListSampler implements NegativeSampler {
  private i = 0;
  constructor(private readonly ids: number[]) {}
  draw(_rng: Rng, _center: number): number {
    return this.ids[this.i++ % this.ids.length]!;
  }
}

describe('skip-gram update equals fastText per-pair updates', () => {
  it('js kernel, bags with repeated rows', () => {
    const v = 4;
    const dim = 4;
    const rowsTotal = v + 3;
    // Word w's bag: own row, then n-gram rows (row 5 twice in word 1's bag).
    const bags = [[0, 4], [1, 5, 5, 6], [2, 4, 6], [3]];
    const offsets = new Int32Array(v + 1);
    bags.forEach((b, w) => (offsets[w + 1] = offsets[w]! + b.length));
    const rows = Int32Array.from(bags.flat());
    const gain = Float32Array.from(bags.map((b) => {
      const counts = new Map<number, number>();
      for (const r of b) counts.set(r, (counts.get(r) ?? 0) + 1);
      let s = 0;
      for (const c of counts.values()) s += c * c;
      return s / b.length;
    }));
    const rand = (n: number, k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k) * 0.5);
    const wIn = rand(rowsTotal * dim, 1);
    const wOut = rand(v * dim, 2);
    const sentence = [0, 1, 2, 3];
    const data: KernelData = {
      skipgram: true, dim, vocabularySize: v, window: 1, windowMode: 'fixed', negative: 1, hs: false, cbowMean: true,
      wIn: wIn.slice(), wOut: wOut.slice(), wOutHs: new Float32Array(0),
      ids: Int32Array.from(sentence), segments: Int32Array.from([0, 4, 0]), keep: new Uint32Array(0),
      aliasThreshold: new Uint32Array(0), aliasIndex: new Int32Array(0),
      codeOffsets: new Int32Array(v + 1), codes: new Uint8Array(0), points: new Int32Array(0),
      globalContext: new Int32Array(0), bagOffsets: offsets, bagRows: rows, bagGain: gain, maxSentenceLength: 8, wasm: null,
    };
    const negatives = [3, 0, 1, 2, 0, 3];
    const kernel = new Word2VecKernel(data, { nextUint32: () => 0, nextFloat: () => 0, nextInt: () => 0 } as unknown as Rng, new ListSampler(negatives), null);
    const alpha = 0.4;
    kernel.alpha = alpha;
    kernel.trainSegment(0);

    // Reference in float64 with the exact σ.
    const ri = Float64Array.from(wIn);
    const ro = Float64Array.from(wOut);
    let draw = 0;
    for (let i = 0; i < sentence.length; i++) {
      const bag = bags[sentence[i]!]!;
      for (const j of [i - 1, i + 1]) {
        if (j < 0 || j >= sentence.length) continue;
        const h = new Float64Array(dim);
        for (const r of bag) for (let k = 0; k < dim; k++) h[k]! += ri[r * dim + k]! / bag.length;
        const neu1e = new Float64Array(dim);
        const target = sentence[j]!;
        const neg = negatives[draw++ % negatives.length]!;
        for (const [o, y] of neg === target ? [[target, 1]] : [[target, 1], [neg, 0]]) {
          let f = 0;
          for (let k = 0; k < dim; k++) f += h[k]! * ro[o! * dim + k]!;
          const g = (y! - 1 / (1 + Math.exp(-f))) * alpha;
          for (let k = 0; k < dim; k++) {
            neu1e[k]! += g * ro[o! * dim + k]!;
            ro[o! * dim + k]! += g * h[k]!;
          }
        }
        for (const r of bag) for (let k = 0; k < dim; k++) ri[r * dim + k]! += neu1e[k]!;
      }
    }
    // σ is tabulated in steps of 0.012 (σ off by ≤ 0.003): tolerance accordingly.
    for (let i = 0; i < ri.length; i++) expect(Math.abs(data.wIn[i]! - ri[i]!)).toBeLessThan(5e-3);
    for (let i = 0; i < ro.length; i++) expect(Math.abs(data.wOut[i]! - ro[i]!)).toBeLessThan(5e-3);
    // And the test can fail: ignoring the repeat (gain 1) moves the rows measurably.
    let moved = 0;
    for (let i = 0; i < ri.length; i++) moved = Math.max(moved, Math.abs(ri[i]! - wIn[i]!));
    expect(moved).toBeGreaterThan(0.05);
  });

  it('bag tables are buildSubwordTable with the repeat factor', () => {
    const words = ['banana', 'an', 'b'];
    const settings = { minN: 2, maxN: 3, buckets: 100 };
    const bags = buildBagTables(words, settings);
    const table = buildSubwordTable(words, settings);
    expect(Array.from(bags.offsets)).toEqual(Array.from(table.offsets));
    expect(Array.from(bags.rows)).toEqual(Array.from(table.rows));
    // "banana": <b ba an na an na a> + 3-grams; "an" and "na" repeat, so its gain exceeds 1.
    expect(bags.gain[0]).toBeGreaterThan(1);
    expect(bags.gain[2]).toBe(1);
  });
});

describe('options', () => {
  const m = morphologyCorpus(5, 2, 3, 50);
  it('rejects minN > maxN and zero buckets with RangeErrors', async () => {
    await expect(trainWord2Vec(m.corpus, { subwords: { minN: 5, maxN: 3 } })).rejects.toThrow(RangeError);
    await expect(trainWord2Vec(m.corpus, { subwords: { buckets: 0 } })).rejects.toThrow(/buckets/);
    await expect(trainWord2Vec(m.corpus, { model: 'cbow', cbowMean: false, subwords: {} })).rejects.toThrow(RangeError);
  });

  it('refuses a model over maxMemoryBytes, suggesting fewer buckets', async () => {
    try {
      await trainWord2Vec(m.corpus, { dim: 100, subwords: {}, maxMemoryBytes: 100 * 2 ** 20 });
      expect.unreachable();
    } catch (error) {
      expect(isEmbedkitError(error, 'OUT_OF_MEMORY')).toBe(true);
      expect((error as Error).message).toMatch(/n-gram rows alone 763 MiB/);
      expect((error as Error).message).toMatch(/fewer buckets/);
    }
  });

  it('trains a 10,000-character word and gives any long string a vector', async () => {
    const long = 'ab'.repeat(5000);
    const corpus = Corpus.fromSentences([[long, 'cat', 'dog'], ['dog', long, 'cat'], ['cat', 'dog', long]], { minCount: 1 });
    const { embeddings } = await trainWord2Vec(corpus, { model: 'skipgram', dim: 8, epochs: 2, sample: 0, subwords: { buckets: 500 } });
    expect(allFinite(embeddings.getOrThrow(long))).toBe(true);
    expect(allFinite(embeddings.vectorFor(`${long}c`))).toBe(true);
  });

  it('counts the n-gram rows in the memory estimate', async () => {
    const plain = await trainWord2Vec(m.corpus, { dim: 8, epochs: 1 });
    const sub = await trainWord2Vec(m.corpus, { dim: 8, epochs: 1, subwords: { buckets: 10_000 } });
    expect(sub.stats.estimatedBytes - plain.stats.estimatedBytes).toBeGreaterThanOrEqual(10_000 * 8 * 4);
  });

  it('resumes a subword model, and refuses other subword settings', async () => {
    const corpus: Corpus = m.corpus;
    const first = await trainWord2Vec(corpus, { dim: 8, epochs: 1, subwords: { buckets: 500 } });
    const more = await trainWord2Vec(corpus, { dim: 8, epochs: 1, subwords: { buckets: 500 }, resumeFrom: first.state });
    expect(more.state.epochsTrained).toBe(2);
    await expect(trainWord2Vec(corpus, { dim: 8, epochs: 1, subwords: { buckets: 600 }, resumeFrom: first.state })).rejects.toThrow(/subword settings/);
  });
});

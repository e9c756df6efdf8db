import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Embeddings } from '@embedkit/vectors';
import { evaluateAnalogies, parseAnalogies, type AnalogySet } from '../index';
import { evaluateAnalogySet } from '../analogies';
import { resolveAnalogyOptions, type AnalogyMethod } from '../options';
import { embeddingsFrom, randomEmbeddings, rng } from './helpers';

const questionsWords = new URL('../../../../../shared/data/eval/google-analogy/questions-words.txt', import.meta.url)
  .pathname;

describe('parseAnalogies', () => {
  it('reads sections, kinds, questions and skips malformed lines', () => {
    const set = parseAnalogies(
      ': capital-common-countries\r\nAthens Greece Baghdad Iraq\r\n\r\nbad line\n: gram1-adjective-to-adverb\namazing amazingly apparent apparently\n',
    );
    expect(set.sections.map((s) => [s.name, s.kind, s.questions.length])).toEqual([
      ['capital-common-countries', 'semantic', 1],
      ['gram1-adjective-to-adverb', 'syntactic', 1],
    ]);
    expect(set.sections[0]?.questions[0]).toEqual(['Athens', 'Greece', 'Baghdad', 'Iraq']);
    expect(set.questionCount).toBe(2);
    expect(set.invalidLines).toEqual([4]);
  });

  it('reads questions before any section header (files without headers) as a section of their own', () => {
    const set = parseAnalogies('\n北京 中国 东京 日本\na b c\n: s\ne f g h\n');
    expect(set.sections.map((s) => [s.name, s.questions.length])).toEqual([['(no section header)', 1], ['s', 1]]);
    expect(set.sections[0]?.questions[0]).toEqual(['北京', '中国', '东京', '日本']);
    expect(set.questionCount).toBe(2);
    expect(set.invalidLines).toEqual([3]);
  });

  it.skipIf(!existsSync(questionsWords))('parses the Google file: 14 sections, 19,544 questions, 5 semantic', () => {
    const set = parseAnalogies(readFileSync(questionsWords, 'utf8'));
    expect(set.sections.length).toBe(14);
    expect(set.questionCount).toBe(19544);
    expect(set.sections.filter((s) => s.kind === 'semantic').length).toBe(5);
    expect(set.invalidLines).toEqual([]);
  });
});

describe('evaluateAnalogies', () => {
  // king − man + woman points exactly at queen in two dimensions (royalty, gender); princess
  // comes close (cos 0.977).
  const royal = embeddingsFrom({
    man: [0.1, 1],
    woman: [0.1, -1],
    king: [1, 1],
    queen: [1, -1.8],
    apple: [-1, 0.2],
    princess: [0.3, -1],
  });

  it('answers a planted analogy', async () => {
    const result = await evaluateAnalogies(royal, ': royalty\nman king woman queen\nman woman king queen\n');
    expect(result.total.correct).toBe(2);
    expect(result.total.accuracy).toBe(1);
    expect(result.sections[0]).toMatchObject({ name: 'royalty', kind: 'semantic', attempted: 2, oov: 0 });
  });

  it('excludes the question words from the answers', async () => {
    // x ≈ y, so b − x + y ≈ b: b is the best match but is a question word; d comes next.
    const e = embeddingsFrom({ x: [1, 0, 0], y: [0.99, 0.1, 0], b: [0, 1, 0], d: [0.1, 1, 0.1], o: [0, 0, 1] });
    for (const method of ['3CosAdd', '3CosMul'] as const) {
      expect((await evaluateAnalogies(e, ': s\nx b y d\n', { method })).total.correct).toBe(1);
    }
  });

  it('counts wrong answers, and with 3CosMul too', async () => {
    for (const method of ['3CosAdd', '3CosMul'] as const) {
      const result = await evaluateAnalogies(royal, ': s\nman king woman apple\n', { method });
      expect(result.total).toMatchObject({ correct: 0, incorrect: 1, accuracy: 0 });
      expect(result.method).toBe(method);
    }
  });

  it('skips questions with an unknown word or a word beyond restrictTo, and reports coverage', async () => {
    const text = ': s\nman king woman queen\nman king woman duchess\n: gram-x\nman king woman princess\n';
    const all = await evaluateAnalogies(royal, text);
    expect(all.total).toMatchObject({ questions: 3, oov: 1, attempted: 2 });
    expect(all.total.coverage).toBeCloseTo(2 / 3, 12);
    expect(all.syntactic).toMatchObject({ questions: 1, oov: 0, attempted: 1, correct: 0 });
    expect(all.semantic).toMatchObject({ questions: 2, oov: 1, correct: 1 });
    // princess is row 5: restricted to 5 rows its question is out of vocabulary, and so is
    // any answer there.
    const restricted = await evaluateAnalogies(royal, text, { restrictTo: 5 });
    expect(restricted.restrictTo).toBe(5);
    expect(restricted.total).toMatchObject({ questions: 3, oov: 2, attempted: 1, correct: 1 });
    const dummy = await evaluateAnalogies(royal, text, { restrictTo: 5, dummy4unknown: true });
    expect(dummy.total).toMatchObject({ questions: 3, oov: 2, attempted: 3, correct: 1, incorrect: 2 });
  });

  it('folds case through the most frequent variant and passes over case variants of question words', async () => {
    // "King" (row 0) stands for king/KING; "KING" is nearly the best answer for man:king::woman:?
    // but, a case variant of a question word, it must be passed over for "queen".
    const e = embeddingsFrom({
      King: [1, 1, 0],
      man: [0.1, 1, 0],
      Woman: [0.1, -1, 0],
      queen: [1, -1.5, 0.3],
      KING: [1, -1.8, 0],
      woman: [-1, -1, 1],
    });
    const insensitive = await evaluateAnalogies(e, ': s\nMAN KING WOMAN QUEEN\n');
    expect(insensitive.total).toMatchObject({ correct: 1, oov: 0 });
    const sensitive = await evaluateAnalogies(e, ': s\nMAN KING WOMAN QUEEN\nman King Woman queen\n', {
      caseInsensitive: false,
    });
    // Case-sensitive: MAN is unknown; with exact words, KING is a legitimate (wrong) answer.
    expect(sensitive.total).toMatchObject({ questions: 2, oov: 1, correct: 0, incorrect: 1 });
  });

  it('validates options', async () => {
    await expect(evaluateAnalogies(royal, ': s\n', { restrictTo: 0 })).rejects.toThrow(RangeError);
    await expect(evaluateAnalogies(royal, ': s\n', { method: 'cos' as AnalogyMethod })).rejects.toThrow(/3CosAdd/);
    await expect(evaluateAnalogies(royal, '/nonexistent/questions.txt')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
  });

  // The batched evaluation must give exactly gensim's verdicts; this naive version follows
  // gensim's code literally (normalised mean vector, cosine with every row, top 5 without the
  // input rows, first that is not a case variant of a question word).
  function naive(e: Embeddings, set: AnalogySet, restrictTo: number, method: AnalogyMethod): number[] {
    const rows = Math.min(restrictTo, e.size);
    const fold = new Map<string, number>();
    for (let r = rows - 1; r >= 0; r--) fold.set((e.labels[r] as string).toUpperCase(), r);
    const unit = (r: number): Float64Array => {
      const v = e.get(e.labels[r] as string) as Float32Array;
      const n = Math.hypot(...v);
      return Float64Array.from(v, (x) => x / n);
    };
    const units = Array.from({ length: rows }, (_, r) => unit(r));
    const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, j) => s + x * (b[j] as number), 0);
    const verdicts: number[] = [];
    for (const section of set.sections) {
      for (const q of section.questions) {
        const [a, b, c, d] = q.map((w) => fold.get(w.toUpperCase()));
        if (a === undefined || b === undefined || c === undefined || d === undefined) {
          verdicts.push(-1);
          continue;
        }
        const ua = units[a] as Float64Array;
        const ub = units[b] as Float64Array;
        const uc = units[c] as Float64Array;
        const target = ub.map((x, j) => x + (uc[j] as number) - (ua[j] as number));
        const scores = units.map((u, r) => {
          if (method === '3CosAdd') return { r, s: dot(u, target) };
          const p = (w: Float64Array) => (1 + dot(u, w)) / 2;
          return { r, s: (p(ub) * p(uc)) / (p(ua) + 1e-6) };
        });
        const top = scores
          .filter(({ r }) => r !== a && r !== b && r !== c)
          .sort((x, y) => y.s - x.s)
          .slice(0, 5);
        const ignore = new Set([a, b, c].map((r) => (e.labels[r] as string).toUpperCase()));
        let predicted = '';
        for (const { r } of top) {
          predicted = (e.labels[r] as string).toUpperCase();
          if (!ignore.has(predicted)) break;
        }
        verdicts.push(predicted === (e.labels[d] as string).toUpperCase() ? 1 : 0);
      }
    }
    return verdicts;
  }

  it('gives the verdicts of a literal gensim-style evaluation, through chunked similarity tables', () => {
    for (const seed of [1, 2, 3]) {
      const random = rng(seed);
      // 300 words, some in two or three case variants, so that folding and passing over matter.
      const labels: string[] = [];
      for (let i = 0; labels.length < 300; i++) {
        labels.push(`w${i}`);
        if (random() < 0.2) labels.push(`W${i}`);
        if (random() < 0.05) labels.push(`X${i}`.replace('X', 'w').toUpperCase() + 'x');
      }
      // Planted structure: a second word per pair = first + a relation offset + noise.
      const dim = 8;
      const base = randomEmbeddings(labels, dim, seed);
      const data = new Float32Array(labels.length * dim);
      labels.forEach((l, r) => data.set(base.get(l) as Float32Array, r * dim));
      for (let i = 1; i < 120; i += 2) for (let j = 0; j < dim; j++) data[i * dim + j] = (data[(i - 1) * dim + j] as number) + (j === 0 ? 3 : 0);
      const e = new Embeddings(labels, dim, data);
      const lines: string[] = [];
      for (let s = 0; s < 3; s++) {
        lines.push(`: ${s === 2 ? 'gram-' : ''}section${s}`);
        for (let k = 0; k < 60; k++) {
          const p = 2 * Math.floor(random() * 70);
          const q = 2 * Math.floor(random() * 70);
          const word = (r: number) => (r < labels.length ? (labels[r] as string) : 'missing');
          const w = [p, p + 1, q, q + 1].map((r) => (random() < 0.3 ? word(r).toUpperCase() : word(r)));
          lines.push(w.join(' '));
        }
      }
      const set = parseAnalogies(lines.join('\n'));
      for (const method of ['3CosAdd', '3CosMul'] as const) {
        for (const restrictTo of [1000, 200]) {
          const expected = naive(e, set, restrictTo, method);
          // 40 rows' worth of table: chunks of ≤ 40 words, so many chunk boundaries.
          const result = evaluateAnalogySet(e, set, resolveAnalogyOptions({ method, restrictTo }), 40 * 4 * 1000);
          const perSection = set.sections.map((_, s) => expected.slice(s * 60, s * 60 + 60));
          result.sections.forEach((section, s) => {
            const v = perSection[s] as number[];
            expect([section.correct, section.incorrect, section.oov]).toEqual([
              v.filter((x) => x === 1).length,
              v.filter((x) => x === 0).length,
              v.filter((x) => x === -1).length,
            ]);
          });
          // The planted offset makes a good share right, and noise some wrong.
          expect(result.total.correct).toBeGreaterThan(0);
          expect(result.total.incorrect).toBeGreaterThan(0);
        }
      }
    }
  });

  it.skipIf(!existsSync(questionsWords))(
    'evaluates all 19,544 questions on a 30k × 100 matrix',
    async () => {
      const set = parseAnalogies(readFileSync(questionsWords, 'utf8'));
      const words = new Set<string>();
      for (const s of set.sections) for (const q of s.questions) for (const w of q) words.add(w.toLowerCase());
      const labels = [...words];
      for (let i = 0; labels.length < 30_000; i++) labels.push(`filler${i}`);
      const e = randomEmbeddings(labels, 100, 7);
      const result = await evaluateAnalogies(e, set);
      expect(result.total.questions).toBe(19544);
      expect(result.total.oov).toBe(0);
      // Random vectors: essentially nothing right.
      expect(result.total.accuracy).toBeLessThan(0.01);
    },
    // A hang guard, not a timing: a few seconds on an idle core; speed is measured by the benchmarks.
    180_000,
  );
});

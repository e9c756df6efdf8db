/**
 * End-to-end checks of the word commands through the dispatcher, on a tiny generated corpus:
 * train with the C tool's flags, then query, convert, count and evaluate the result.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetFileWriter } from '@embedkit/parquet';
import { Embeddings } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

// Two topics whose words co-occur only with each other, so neighbours are predictable.
function corpusText(): string {
  const topics = [
    ['king', 'queen', 'prince', 'princess', 'crown', 'throne'],
    ['apple', 'banana', 'cherry', 'grape', 'lemon', 'melon'],
  ];
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines: string[] = [];
  for (let i = 0; i < 1500; i++) {
    const topic = topics[i % 2]!;
    const words = Array.from({ length: 8 }, () => topic[Math.floor(next() * topic.length)]!);
    lines.push(words.join(' '));
  }
  return lines.join('\n') + '\n';
}

let dir = '';
let corpus = '';
let vectors = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-cli-'));
  corpus = join(dir, 'corpus.txt');
  vectors = join(dir, 'vectors.txt');
  await writeFile(corpus, corpusText());
  const trained = await run(['word2vec', '-train', corpus, '-output', vectors, '-size', '16', '-window', '3', '-cbow', '0', '-iter', '5', '-min-count', '1', '-threads', '1', '-sample', '0']);
  expect(trained.err).toContain('Progress');
  expect(trained.code).toBe(0);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('word commands', () => {
  it('word2vec writes the C tool\'s text format', async () => {
    const lines = (await readFile(vectors, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('12 16');
    expect(lines.length).toBe(13);
    expect(lines[1]!.split(' ').length).toBe(17);
  });

  it('similar finds same-topic neighbours, as JSON and as the C tool\'s table', async () => {
    const json = await run(['similar', '--vectors', vectors, 'king', '--topn', '5', '--json']);
    expect(json.code).toBe(0);
    const neighbours = JSON.parse(json.out.trim()) as { label: string }[];
    expect(neighbours.map((n) => n.label).sort()).toEqual(['crown', 'prince', 'princess', 'queen', 'throne']);
    const table = await run(['similar', '--vectors', vectors, 'apple', '--topn', '3']);
    expect(table.out).toContain('Cosine distance');
  });

  it('similar without a word answers queries from stdin, and survives an unknown word', async () => {
    const result = await run(['similar', '--vectors', vectors, '--topn', '2'], 'apple\nnosuchword\nqueen\nEXIT\n');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/nosuchword/u);
    expect((result.out.match(/Cosine distance/gu) ?? []).length).toBe(2);
  });

  it('analogy answers a : b :: c : ? and refuses an unknown word with exit code 1', async () => {
    const ok = await run(['analogy', '--vectors', vectors, 'king', 'queen', 'prince', '--json']);
    expect(ok.code).toBe(0);
    const answers = JSON.parse(ok.out.trim()) as { label: string }[];
    expect(answers).toHaveLength(9); // 12 words less the three of the question
    expect(['princess', 'crown', 'throne']).toContain(answers[0]!.label);
    const bad = await run(['analogy', '--vectors', vectors, 'king', 'queen', 'kingz']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('kingz');
  });

  it('convert round-trips through the binary format', async () => {
    const binary = join(dir, 'vectors.bin');
    const back = join(dir, 'back.txt');
    expect((await run(['convert', '--from', vectors, '--to', binary, '--binary'])).code).toBe(0);
    expect((await run(['convert', '--from', binary, '--to', back])).code).toBe(0);
    const a = await Embeddings.load(vectors);
    const b = await Embeddings.load(back);
    expect(b.labels).toEqual(a.labels);
    expect(b.get('king')).toEqual(a.get('king'));
  });

  it('convert writes a Spark Word2VecModel directory and reads it back bit for bit; queries read it too', async () => {
    const model = join(dir, 'spark-model');
    const binary = join(dir, 'from-spark.bin');
    const written = await run(['convert', '--from', vectors, '--to', model, '--format', 'spark']);
    expect(written.code).toBe(0);
    expect(written.err).toContain('(spark)');
    expect(JSON.parse((await readFile(join(model, 'metadata', 'part-00000'), 'utf8')).trim()).class).toBe('org.apache.spark.ml.feature.Word2VecModel');
    expect((await run(['convert', '--from', model, '--to', binary, '--binary'])).code).toBe(0);
    const a = await Embeddings.load(vectors);
    const b = await Embeddings.load(binary);
    expect(b.labels).toEqual(a.labels);
    const bits = (m: Float32Array) => new Uint32Array(m.buffer, m.byteOffset, m.length);
    expect(bits(b.toMatrix())).toEqual(bits(a.toMatrix()));
    // Wherever vectors are read, a Spark directory is read the same way.
    const similar = await run(['similar', '--vectors', model, 'king', '--topn', '5', '--json']);
    expect(similar.code).toBe(0);
    expect((JSON.parse(similar.out.trim()) as { label: string }[]).map((n) => n.label).sort()).toEqual(['crown', 'prince', 'princess', 'queen', 'throne']);
    // The RDD API's layout, and a usage error for two output formats.
    expect((await run(['convert', '--from', model, '--to', join(dir, 'mllib-model'), '--format', 'spark', '--spark-api', 'mllib'])).code).toBe(0);
    expect(JSON.parse((await readFile(join(dir, 'mllib-model', 'metadata', 'part-00000'), 'utf8')).trim()).class).toBe('org.apache.spark.mllib.feature.Word2VecModel');
    expect((await run(['convert', '--from', model, '--to', binary, '--format', 'spark', '--binary'])).code).toBe(2);
  });

  it('reads a Parquet corpus (-column NAME) as the same lines of text: same vocabulary, same vectors', async () => {
    const parquet = join(dir, 'corpus.parquet');
    const lines = corpusText().trimEnd().split('\n');
    const writer = ParquetFileWriter.create(parquet, {
      schema: [
        { name: 'schema', num_children: 2 },
        { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
    });
    for (let start = 0; start < lines.length; start += 400) {
      const group = lines.slice(start, start + 400);
      writer.writeRowGroup([
        { name: 'id', data: group.map((_, i) => start + i) },
        { name: 'text', data: group },
      ]);
    }
    writer.finish();
    const counted = await run(['vocab', '-train', parquet, '-column', 'text', '-min-count', '1']);
    expect(counted.code).toBe(0);
    expect(counted.out).toContain('12,000');
    const output = join(dir, 'from-parquet.txt');
    const trained = await run(['word2vec', '-train', parquet, '-output', output, '-size', '16', '-window', '3', '-cbow', '0', '-iter', '5', '-min-count', '1', '-threads', '1', '-sample', '0']);
    expect(trained.code).toBe(0);
    expect(await readFile(output, 'utf8')).toBe(await readFile(vectors, 'utf8'));
    // A table directory as Spark writes it (part files and _SUCCESS) reads as one corpus.
    const table = join(dir, 'corpus-table');
    await mkdir(table);
    await copyFile(parquet, join(table, 'part-00000-abc-c000.snappy.parquet'));
    await writeFile(join(table, '_SUCCESS'), '');
    const fromTable = await run(['vocab', '-train', table, '-column', 'text', '-min-count', '1']);
    expect(fromTable.code).toBe(0);
    expect(fromTable.out).toContain('12,000');
    const wrong = await run(['vocab', '-train', parquet, '-column', 'body']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('its columns are id (int32), text (string)');
  });

  it('vocab prints statistics and saves the C tool\'s vocabulary format', async () => {
    const saved = join(dir, 'vocab.txt');
    const result = await run(['vocab', '-train', corpus, '-min-count', '1', '-save-vocab', saved]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('12,000');
    const lines = (await readFile(saved, 'utf8')).trimEnd().split('\n');
    const counts = lines.filter((l) => !l.startsWith('</s>')).map((l) => Number(l.split(' ')[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12000);
  });

  it('eval scores an analogy file and reports coverage', async () => {
    const questions = join(dir, 'questions.txt');
    await writeFile(questions, ': royals\nking queen prince princess\nking queen unknown word\n: fruit\napple banana cherry grape\n');
    const result = await run(['eval', '--vectors', vectors, '--analogies', questions, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { analogies: { total: { questions: number; oov: number } } };
    expect(report.analogies.total.questions).toBe(3);
    expect(report.analogies.total.oov).toBe(1);
  });

  it('cooccur (PPMI-SVD) and glove write vectors whose neighbours stay within a topic', async () => {
    for (const argv of [
      ['cooccur', '-train', corpus, '-output', join(dir, 'ppmi.txt'), '-size', '4', '-window', '2', '-min-count', '1'],
      ['glove', '-train', corpus, '-output', join(dir, 'glove.txt'), '-size', '8', '-window', '3', '-iter', '15', '-min-count', '1', '-threads', '1', '-x-max', '10'],
    ]) {
      const result = await run(argv);
      expect(result.code, result.err).toBe(0);
      const vectors = await Embeddings.load(argv[4]!);
      expect(vectors.size).toBe(12);
      const neighbours = vectors.mostSimilar({ positive: ['king'], topN: 3 }).map((n) => n.label);
      for (const word of neighbours) expect(['queen', 'prince', 'princess', 'crown', 'throne']).toContain(word);
    }
  });

  it('tfjs trains the two-matrix model on the cpu backend and writes vectors', async () => {
    const output = join(dir, 'tfjs.txt');
    const result = await run(['tfjs', '-train', corpus, '-output', output, '-cbow', '0', '-size', '8', '-iter', '1', '-min-count', '1', '-sample', '0', '-backend', 'cpu', '-batch', '256']);
    expect(result.code).toBe(0);
    const vectors = await Embeddings.load(output);
    expect(vectors.size).toBe(12);
    expect(vectors.dim).toBe(8);
  });

  it('refuses an unknown tfjs backend with exit code 2 and the allowed values', async () => {
    const result = await run(['tfjs', '-train', corpus, '-output', join(dir, 'x.txt'), '-backend', 'gpu']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('allowed values are auto');
  });

  it('refuses a missing training file with one clear line and exit code 1', async () => {
    const result = await run(['word2vec', '-train', join(dir, 'missing.txt'), '-output', join(dir, 'x.txt')]);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toContain('missing.txt');
  });
});

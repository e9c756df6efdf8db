/**
 * Regression cases of issue 18, "Chinese text cannot be trained from the command line": one
 * `-tokenizer` for every command that reads text, Chinese end to end (train, similar, eval, the
 * web page), the warnings (lines read as words, invalid UTF-8, Latin-1) and the messages in flag
 * words. Fixtures are generated here; the zhwiki quality case skips when the shared data is absent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Embeddings } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../cli/args';
import { serveCommand } from '../commands/serve';
import { captureIo, runCommandLine as run } from './io';

const zhwiki = fileURLToPath(new URL('../../../../../shared/data/zhwiki/raw/AA/wiki_00', import.meta.url));

const ROYALTY = ['国王', '王后', '王子', '公主', '宫殿', '军队'];
const FRUIT = ['苹果', '香蕉', '葡萄', '西瓜', '柠檬', '草莓'];
const FILLERS = ['我们', '喜欢', '看到', '还有', '今天', '一起'];

/** Chinese as it is written: words run together, full-width punctuation, no spaces. */
function chineseText(lines: number, seed = 12345): string {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const topic = i % 2 === 0 ? ROYALTY : FRUIT;
    const parts: string[] = [];
    for (let k = 0; k < 8; k++) {
      parts.push(topic[Math.floor(next() * topic.length)]!);
      if (k % 3 === 2) parts.push(FILLERS[Math.floor(next() * FILLERS.length)]!);
      if (k === 3) parts.push('，');
    }
    out.push(`${parts.join('')}。`);
  }
  return `${out.join('\n')}\n`;
}

/** Two English topics, space-separated, with a few accented words. */
function englishText(lines: number): string {
  const topics = [
    ['king', 'queen', 'prince', 'princess', 'crown', 'throne', 'palais'],
    ['apple', 'banana', 'cherry', 'grape', 'lemon', 'café', 'crème'],
  ];
  let state = 777;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const topic = topics[i % 2]!;
    out.push(Array.from({ length: 8 }, () => topic[Math.floor(next() * topic.length)]!).join(' '));
  }
  return `${out.join('\n')}\n`;
}

async function labelsOf(path: string): Promise<readonly string[]> {
  return (await Embeddings.load(path)).labels;
}

async function neighbours(vectors: string, word: string, topn = 5): Promise<string[]> {
  const result = await run(['similar', '--vectors', vectors, word, '--topn', String(topn), '--json']);
  expect(result.code, result.err).toBe(0);
  return (JSON.parse(result.out.trim()) as { label: string }[]).map((n) => n.label);
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let dir = '';
let zh = '';
let en = '';
let zhVectors = '';
let enVectors = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-tokenizer-cli-'));
  zh = join(dir, 'zh.txt');
  en = join(dir, 'en.txt');
  zhVectors = join(dir, 'zh-vectors.txt');
  enVectors = join(dir, 'en-vectors.txt');
  await writeFile(zh, chineseText(400));
  await writeFile(en, englishText(600));
  const common = ['-size', '16', '-window', '3', '-cbow', '0', '-iter', '5', '-min-count', '2', '-threads', '1', '-sample', '0'];
  const trainedZh = await run(['word2vec', '-train', zh, '-output', zhVectors, ...common]);
  expect(trainedZh.code, trainedZh.err).toBe(0);
  const trainedEn = await run(['word2vec', '-train', en, '-output', enVectors, ...common]);
  expect(trainedEn.code, trainedEn.err).toBe(0);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Chinese from the command line (issue 18)', () => {
  it('word2vec trains word-level vectors on Chinese text by default, and similar answers a Chinese word', async () => {
    const labels = await labelsOf(zhVectors);
    expect([...labels].sort()).toEqual([...ROYALTY, ...FRUIT, ...FILLERS].sort());
    const near = await neighbours(zhVectors, '苹果');
    expect(near.filter((w) => FRUIT.includes(w)).length).toBeGreaterThanOrEqual(4);
  });

  it('fasttext, cooccur and glove train word-level vectors on Chinese text too', async () => {
    const prefix = join(dir, 'zh-fasttext');
    const fasttext = await run(['fasttext', 'skipgram', '-input', zh, '-output', prefix, '-dim', '16', '-epoch', '10', '-t', '0', '-minCount', '2', '-bucket', '5000', '-minn', '1', '-maxn', '2', '-thread', '1']);
    expect(fasttext.code, fasttext.err).toBe(0);
    const trained = [`${prefix}.vec`];
    for (const command of ['cooccur', 'glove']) {
      const output = join(dir, `zh-${command}.txt`);
      const result = await run([command, '-train', zh, '-output', output, '-size', '8', '-window', '3', '-min-count', '2', ...(command === 'glove' ? ['-iter', '10', '-threads', '1'] : [])]);
      expect(result.code, result.err).toBe(0);
      trained.push(output);
    }
    for (const vectors of trained) {
      expect([...(await labelsOf(vectors))].sort()).toEqual([...ROYALTY, ...FRUIT, ...FILLERS].sort());
      const near = await neighbours(vectors, '国王');
      expect(near.filter((w) => ROYALTY.includes(w)).length, `${vectors}: ${near.join(' ')}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('vocab -save-vocab then word2vec -read-vocab works on Chinese text', async () => {
    const vocabulary = join(dir, 'zh-vocab.txt');
    const counted = await run(['vocab', '-train', zh, '-min-count', '2', '-save-vocab', vocabulary]);
    expect(counted.code, counted.err).toBe(0);
    expect(counted.out).toMatch(/Tokenizer\s+auto, case kept/);
    const output = join(dir, 'zh-read-vocab.txt');
    const trained = await run(['word2vec', '-train', zh, '-read-vocab', vocabulary, '-output', output, '-size', '8', '-iter', '1', '-threads', '1']);
    expect(trained.code, trained.err).toBe(0);
    expect(trained.err).toContain('Vocab size: 18');
    expect((await labelsOf(output)).length).toBe(18);
  });

  it('a -read-vocab file made with another tokenizer is refused in flag words, not as "0 tokens … minCount"', async () => {
    const vocabulary = join(dir, 'zh-vocab-words.txt');
    await run(['vocab', '-train', zh, '-min-count', '1', '-tokenizer', 'whitespace', '-save-vocab', vocabulary]);
    const result = await run(['word2vec', '-train', zh, '-read-vocab', vocabulary, '-output', join(dir, 'never.txt'), '-min-count', '1']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('-read-vocab');
    expect(result.err).toContain('-tokenizer');
    expect(result.err).not.toMatch(/minCount/);
    expect(existsSync(join(dir, 'never.txt'))).toBe(false);
  });

  it('an empty vocabulary names -min-count (and fastText\'s -minCount), not the option object', async () => {
    const tiny = join(dir, 'tiny.txt');
    await writeFile(tiny, '我们是中国人\n');
    const result = await run(['word2vec', '-train', tiny, '-output', join(dir, 'tiny-vectors.txt'), '-min-count', '5']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/lower -min-count/);
    const fasttext = await run(['fasttext', 'cbow', '-input', tiny, '-output', join(dir, 'tiny-ft'), '-minCount', '5']);
    expect(fasttext.err).toMatch(/lower -minCount \[EMPTY_VOCABULARY\]/);
  });

  it('warns, naming -tokenizer, when -tokenizer whitespace turns Chinese lines into "words"', async () => {
    const result = await run(['word2vec', '-train', zh, '-output', join(dir, 'lines.txt'), '-tokenizer', 'whitespace', '-min-count', '1', '-size', '8', '-iter', '1', '-threads', '1']);
    expect(result.code, result.err).toBe(0);
    const warnings = result.err.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/look like whole lines, not words .*-tokenizer auto/);
    const vocab = await run(['vocab', '-train', zh, '-tokenizer', 'whitespace']);
    expect(vocab.err).toMatch(/warning: .*look like whole lines/);
    // Words do not warn.
    expect((await run(['vocab', '-train', zh])).err).not.toContain('warning');
  });

  it('eval scores a Chinese analogy file without section headers and a Chinese similarity file', async () => {
    const analogies = join(dir, 'zh-analogies.txt');
    await writeFile(analogies, '国王 王后 苹果 香蕉\n王子 公主 葡萄 西瓜\n国王 宫殿 苹果 柠檬\n国王 王后 没有 香蕉\n');
    const similarity = join(dir, 'zh-similarity.txt');
    await writeFile(similarity, '国王\t王后\t9.0\n苹果\t香蕉\t8.5\n国王\t苹果\t1.0\n王子\t西瓜\t1.5\n公主\t柠檬\t0.5\n宫殿\t军队\t7.0\n');
    const result = await run(['eval', '--vectors', zhVectors, '--analogies', analogies, '--similarity', similarity, '--json']);
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out) as {
      analogies: { total: { questions: number; oov: number; attempted: number } };
      similarity: { used: number; spearman: number }[];
    };
    expect(report.analogies.total).toMatchObject({ questions: 4, oov: 1, attempted: 3 });
    expect(report.similarity[0]!.used).toBe(6);
    expect(report.similarity[0]!.spearman).toBeGreaterThan(0.5);
  });

  it('serve finds Chinese words, and suggests no English word for a Chinese one', async () => {
    const controller = new AbortController();
    const io = captureIo(controller.signal);
    const running = serveCommand.run(parseArgs(serveCommand, ['--vectors', zhVectors, '--port', '0']), io.context);
    const url = await waitFor(() => /open (http:\S+) /.exec(io.out())?.[1]);
    const found = (await (await fetch(`${url}api/neighbours?word=${encodeURIComponent('香蕉')}&topn=5`)).json()) as { neighbours: { label: string }[] };
    expect(found.neighbours.filter((n) => FRUIT.includes(n.label)).length).toBeGreaterThanOrEqual(4);
    const completed = (await (await fetch(`${url}api/complete?prefix=${encodeURIComponent('王')}`)).json()) as { words: string[] };
    expect([...completed.words].sort()).toEqual(['王后', '王子']);
    controller.abort();
    await running;

    const english = new AbortController();
    const io2 = captureIo(english.signal);
    const running2 = serveCommand.run(parseArgs(serveCommand, ['--vectors', enVectors, '--port', '0', '--tokenizer', 'words', '--lowercase', '1']), io2.context);
    const url2 = await waitFor(() => /open (http:\S+) /.exec(io2.out())?.[1]);
    const missing = await fetch(`${url2}api/neighbours?word=${encodeURIComponent('中国')}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).not.toContain('did you mean');
    // The query is looked up as the tokenizer writes it: "King" is the model's "king".
    const king = (await (await fetch(`${url2}api/neighbours?word=King&topn=3`)).json()) as { word: string };
    expect(king.word).toBe('king');
    english.abort();
    await running2;
  });
});

describe('the tokenizer choice on space-separated text (issue 18)', () => {
  it('-tokenizer auto (the default) gives exactly the vectors of -tokenizer whitespace on English text', async () => {
    const outputs: string[] = [];
    for (const tokenizer of ['auto', 'whitespace']) {
      const output = join(dir, `en-${tokenizer}.txt`);
      const result = await run(['word2vec', '-train', en, '-output', output, '-tokenizer', tokenizer, '-size', '12', '-iter', '2', '-threads', '1', '-seed', '3', '-min-count', '1']);
      expect(result.code, result.err).toBe(0);
      outputs.push(await readFile(output, 'utf8'));
    }
    expect(outputs[0]).toBe(outputs[1]);
    expect(outputs[0]).toContain('\ncafé ');
  });

  it('every command that reads text offers the same -tokenizer choice with the same default', async () => {
    const helps = await Promise.all(
      [['word2vec'], ['fasttext', 'skipgram'], ['fasttext', 'cbow'], ['cooccur'], ['glove'], ['tfjs'], ['vocab'], ['eval'], ['serve']].map(
        async (words) => (await run([...words, '--help'])).out,
      ),
    );
    for (const help of helps) {
      expect(help).toMatch(/-tokenizer auto\|words\|whitespace\|text8\s+auto: whitespace tokens .*\(default: auto\)/);
      expect(help).toMatch(/-lowercase N .*\(default: 0\)/);
      expect(help).toMatch(/-nfkc N .*\(default: 0\)/);
    }
  });
});

describe('encodings (issue 18)', () => {
  it('an invalid UTF-8 byte is reported once, with its line', async () => {
    const lines = englishText(300).split('\n');
    const bytes = Buffer.concat([
      Buffer.from(lines.slice(0, 122).join('\n') + '\n'),
      Buffer.from([0xe9]),
      Buffer.from(lines.slice(122).join('\n')),
      Buffer.from([0xff, 0x0a]),
    ]);
    const file = join(dir, 'bad-byte.txt');
    await writeFile(file, bytes);
    const result = await run(['word2vec', '-train', file, '-output', join(dir, 'bad-byte-vectors.txt'), '-size', '8', '-iter', '1', '-threads', '1']);
    expect(result.code, result.err).toBe(0);
    const warnings = result.err.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toEqual([expect.stringContaining(`${file}:123: invalid UTF-8 (byte 0xe9)`)]);
    expect(warnings[0]).toContain('iconv -f latin1 -t utf-8');
  });

  it('a Latin-1 file is called not UTF-8 (with the iconv fix), not binary', async () => {
    const file = join(dir, 'latin1.txt');
    await writeFile(file, Buffer.from('le café était très agréable à côté de la forêt où les élèves étudiaient\n'.repeat(200), 'latin1'));
    for (const argv of [['vocab', '-train', file], ['word2vec', '-train', file, '-output', join(dir, 'latin1-vectors.txt')]]) {
      const result = await run(argv);
      expect(result.code).toBe(1);
      expect(result.err).toContain('is not UTF-8 text');
      expect(result.err).toContain(`iconv -f latin1 -t utf-8 ${file}`);
      expect(result.err).not.toMatch(/binary/i);
    }
  });
});

describe.skipIf(!existsSync(zhwiki))('zhwiki from the command line (issue 18)', () => {
  it('trains word-level vectors whose neighbours make sense', async () => {
    const output = join(dir, 'zhwiki.txt');
    const result = await run(['word2vec', '-train', zhwiki, '-output', output, '-size', '50', '-iter', '5', '-cbow', '0', '-min-count', '5', '-threads', '2']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).not.toContain('warning');
    const labels = await labelsOf(output);
    const han = labels.filter((w) => /^\p{Script=Han}+$/u.test(w));
    const multi = han.filter((w) => [...w].length >= 2);
    expect(han.length).toBeGreaterThan(3000);
    expect(multi.length / han.length).toBeGreaterThan(0.5);
    expect(Math.max(...han.map((w) => [...w].length))).toBeLessThan(12);
    // Calibrated over seeds 1–3: 車站 (station) is near 鐵路 (railway), 大學 (university) near 畢業 (graduate).
    expect(await neighbours(output, '車站', 10)).toContain('鐵路');
    expect(await neighbours(output, '大學', 10)).toContain('畢業');
  }, 180_000);
});

/**
 * Issue 18's regression cases for messages in the CLI's words (flags, not the libraries' option
 * names), `--format` where a message asks for it, and the small ones: `help COMMAND`, aligned
 * help columns, the 3CosMul header, the `serve --help` example.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../cli/registry';
import { runCli } from '../cli/run';
import { captureIo, runCommandLine as run } from './io';

let dir = '';
let corpus = '';
let vectors = '';

/** Library option names that must never reach a CLI user. */
const API_WORDS = /minCount|maxSize|maxVocab|learningRate|hs: true|hs is false|AbortSignal|5e-324|subwords\.buckets|maxMemoryBytes|pass format explicitly/;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-messages-'));
  corpus = join(dir, 'corpus.txt');
  const words = ['king', 'queen', 'prince', 'apple', 'banana', 'cherry'];
  await writeFile(corpus, Array.from({ length: 300 }, (_, i) => Array.from({ length: 8 }, (_, j) => words[(i * 5 + j * 7) % 6]).join(' ')).join('\n') + '\n');
  vectors = join(dir, 'vectors.txt');
  const trained = await run(['word2vec', '-train', corpus, '-output', vectors, '-min-count', '1', '-size', '8', '-iter', '2', '-threads', '1']);
  expect(trained.code, trained.err).toBe(0);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('learning rates of 0 are refused by the parser (issue 18, item 5)', () => {
  const cases: [string[], string][] = [
    [['word2vec', '-train', 'c.txt', '-output', 'v.txt', '-alpha', '0'], '-alpha'],
    [['tfjs', '-train', 'c.txt', '-output', 'v.txt', '-alpha', '0'], '-alpha'],
    [['glove', '-train', 'c.txt', '-output', 'v.txt', '-eta', '0'], '-eta'],
    [['fasttext', 'skipgram', '-input', 'c.txt', '-output', 'm', '-lr', '0'], '-lr'],
    [['item2vec', 'train', '--events', 'e.csv', '--preset', 'movielens', '--output', 'v.txt', '--alpha', '0'], '--alpha'],
  ];
  for (const [argv, flag] of cases) {
    it(`${argv.slice(0, argv[0] === 'fasttext' || argv[0] === 'item2vec' ? 2 : 1).join(' ')} ${flag} 0: exit code 2 before any file is touched`, async () => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`Value 0 for ${flag} is out of range: expected a number greater than 0 and at most 10.`);
      expect(result.err).not.toMatch(API_WORDS);
    });
  }

  it('the trainers\' own bounds are the parser\'s: -iter, --epochs, --threads past them are usage errors', async () => {
    for (const [argv, text] of [
      [['word2vec', '-train', 'c.txt', '-output', 'v.txt', '-iter', '200000'], 'Value 200000 for -iter is out of range: expected an integer from 1 to 100000.'],
      [['item2vec', 'train', '--events', 'e.csv', '--preset', 'movielens', '--output', 'v.txt', '--epochs', '200000'], 'for --epochs is out of range'],
      [['item2vec', 'train', '--events', 'e.csv', '--preset', 'movielens', '--output', 'v.txt', '--threads', '300'], 'Value 300 for --threads is out of range: expected an integer from 1 to 256.'],
    ] as const) {
      const result = await run([...argv]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(text);
    }
  });

  it('a usage error of a group member names the whole command', async () => {
    const result = await run(cases[4]![0]);
    expect(result.err.startsWith('embedkit item2vec train: Value 0')).toBe(true);
  });
});

describe('library errors are shown in flag names (issue 18, item 5)', () => {
  it('an empty vocabulary names -min-count (or fastText\'s -minCount), not minCount', async () => {
    for (const [argv, flag] of [
      [['word2vec', '-train', corpus, '-output', join(dir, 'x.vec'), '-min-count', '100000'], '-min-count'],
      [['cooccur', '-train', corpus, '-output', join(dir, 'x.vec'), '-min-count', '100000'], '-min-count'],
      [['vocab', '-train', corpus, '-min-count', '100000'], '-min-count'],
      [['fasttext', 'skipgram', '-input', corpus, '-output', join(dir, 'x'), '-minCount', '100000', '-bucket', '10'], '-minCount'],
    ] as const) {
      const result = await run([...argv]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(new RegExp(`no word occurs at least 100000 times .*; lower ${flag} \\[EMPTY_VOCABULARY\\]`));
      expect(result.err).not.toMatch(/\bminCount\b(?! \[)/);
    }
  });

  it('-negative 0 with -hs 0 is a usage error in flags, before the corpus is read', async () => {
    const result = await run(['word2vec', '-train', corpus, '-output', join(dir, 'x.vec'), '-negative', '0', '-hs', '0']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('-negative 0 with -hs 0 leaves no output layer to train: use -negative 5 (or more) or -hs 1.');
    expect(result.err).not.toMatch(API_WORDS);
    expect(result.err).not.toContain('Vocab size');
  });

  it('Ctrl-C during training says so, without "AbortSignal"', async () => {
    const controller = new AbortController();
    const io = captureIo(controller.signal);
    // Stop as soon as training starts (after the vocabulary line).
    io.context.stderr.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Vocabulary:')) controller.abort(new Error('Interrupted by the user (Ctrl-C).'));
    });
    const code = await runCli(['glove', '-train', corpus, '-output', join(dir, 'aborted.txt'), '-min-count', '1', '-iter', '50', '-threads', '1'], commands, io.context);
    expect(code).toBe(1);
    expect(io.err()).toContain('embedkit: stopped by Ctrl-C before the end; outputs are written only at the end');
    expect(io.err()).not.toMatch(API_WORDS);
  });
});

describe('--format where a message asks for it (issue 18, item 5)', () => {
  let unknown = '';
  let glove = '';
  beforeAll(async () => {
    unknown = join(dir, 'unknown.txt');
    await writeFile(unknown, 'hello world\nfoo bar baz\n');
    // A GloVe file whose first row has one value: auto-detection reads it as a broken header.
    glove = join(dir, 'one-dim.txt');
    await writeFile(glove, '3 1\n');
  });

  it('similar, analogy, eval and serve name --format with its values; convert names --from-format', async () => {
    for (const [argv, flag, formatFlag] of [
      [['similar', '--vectors', unknown, 'king'], '--vectors', '--format'],
      [['analogy', '--vectors', unknown, 'a', 'b', 'c'], '--vectors', '--format'],
      [['eval', '--vectors', unknown, '--similarity', unknown], '--vectors', '--format'],
      [['serve', '--vectors', unknown, '--port', '0'], '--vectors', '--format'],
      [['convert', '--from', unknown, '--to', join(dir, 'out.txt')], '--from', '--from-format'],
    ] as const) {
      const result = await run([...argv]);
      expect(result.code, result.err).toBe(1);
      expect(result.err).toContain(`embedkit: ${flag} ${unknown}: cannot tell its format from the first line`);
      expect(result.err).toContain(`pass ${formatFlag} word2vec-text, word2vec-binary, glove [UNKNOWN_FORMAT]`);
      expect(result.err).not.toMatch(API_WORDS);
    }
  });

  it('the flag the message names works, with the same values everywhere', async () => {
    const asGlove = await run(['similar', '--vectors', glove, '--format', 'glove', '3', '--json']);
    // "3 1" as GloVe: the word "3" with the value 1, the only vector (no neighbour to show).
    expect(asGlove.code, asGlove.err).toBe(0);
    expect(asGlove.err).toContain('Loaded 1 words × 1 dimensions');
    const converted = await run(['convert', '--from', vectors, '--from-format', 'word2vec-text', '--to', join(dir, 'c.txt'), '--format', 'glove']);
    expect(converted.code, converted.err).toBe(0);
    const wrong = await run(['similar', '--vectors', vectors, '--format', 'fasttext', 'king']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('allowed values are auto, word2vec-text, word2vec-binary, glove, spark');
  });
});

describe('help (issue 18, item 6)', () => {
  it('embedkit help word2vec prints word2vec\'s help, help item2vec train the member\'s', async () => {
    const help = await run(['help', 'word2vec']);
    expect(help.code).toBe(0);
    expect(help.out).toBe((await run(['word2vec', '--help'])).out);
    expect(help.out).toContain('Usage: embedkit word2vec');
    expect((await run(['help', 'item2vec', 'train'])).out).toContain('Usage: embedkit item2vec train');
    expect((await run(['help'])).out).toContain('Commands:');
  });

  it('option values never run into their text: one column, long ones wrapped below', async () => {
    for (const command of [['tfjs'], ['vocab'], ['cooccur'], ['word2vec'], ['fasttext', 'skipgram'], ['convert']]) {
      const { out } = await run([...command, '--help']);
      const rows = out.split('\n').filter((line) => /^ {2}-/.test(line));
      const columns = new Set<number>();
      for (const line of rows) {
        const match = /^ {2}(\S+(?: \S+)?)( {2,})\S/.exec(line);
        if (match === null) {
          // A left side too long for the column: alone on its line, its text on the next.
          expect(line.trimEnd(), `${command.join(' ')}: ${line}`).toMatch(/^ {2}\S+ \S+$/);
          continue;
        }
        columns.add(match[1]!.length + match[2]!.length);
      }
      expect([...columns], `${command.join(' ')} --help:\n${out}`).toHaveLength(1);
    }
  });

  it('serve --help shows the files embedkit main writes', async () => {
    const { out } = await run(['serve', '--help']);
    expect(out).toContain('--vectors models/sotu-skipgram.vec --items models/marketplace-items.vec');
    expect(out).not.toMatch(/models\/\S+\.txt/);
  });
});

describe('analogy scores under the right header (issue 18, item 6)', () => {
  it('3CosMul scores are headed "3CosMul score", 3CosAdd keeps the C tool\'s "Cosine distance"', async () => {
    const mul = await run(['analogy', '--vectors', vectors, '--method', '3CosMul', 'king', 'queen', 'prince']);
    expect(mul.code, mul.err).toBe(0);
    expect(mul.out).toContain('3CosMul score');
    expect(mul.out).not.toContain('Cosine distance');
    const add = await run(['analogy', '--vectors', vectors, 'king', 'queen', 'prince']);
    expect(add.out).toContain('Cosine distance');
  });
});

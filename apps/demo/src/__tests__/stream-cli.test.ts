/**
 * `-stream auto|0|1` (issue 17) on word2vec, fasttext, cooccur and glove: declared once, listed
 * by --help with its default; a streamed corpus gives the vectors of the loaded one (bit for bit
 * with one thread and a seed), gzip input included, and the progress line says it streams.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, truncateSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../cli/registry';
import { runCli } from '../cli/run';
import { runCommandLine as run } from './io';

let dir = '';
let corpus = '';
let gzipped = '';

/** Two topics of English words, a sentence a line, an empty line now and then, no final newline. */
function text(lines: number): string {
  const topics = [
    ['king', 'queen', 'prince', 'princess', 'crown', 'throne', 'palace'],
    ['apple', 'banana', 'cherry', 'grape', 'lemon', 'café', 'crème'],
  ];
  let state = 4242;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const topic = topics[i % 2]!;
    out.push(i % 37 === 0 ? '' : Array.from({ length: 3 + (i % 9) }, () => topic[Math.floor(next() * topic.length)]!).join(' '));
  }
  return out.join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-stream-cli-'));
  corpus = join(dir, 'corpus.txt');
  gzipped = join(dir, 'corpus.txt.gz');
  await writeFile(corpus, text(1500));
  await writeFile(gzipped, gzipSync(text(1500)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a command with `-stream VALUE` and returns the written file and stderr. */
async function train(argv: string[], stream: string, written: string): Promise<{ vectors: string; err: string }> {
  const result = await run([...argv, '-stream', stream]);
  expect(result.code, result.err).toBe(0);
  return { vectors: await readFile(written, 'utf8'), err: result.err };
}

describe('-stream (issue 17)', () => {
  it('word2vec -save-vocab writes the same file loaded or streamed, as embedkit vocab writes it', async () => {
    // A line of rare words only: -min-count 2 leaves it empty, which the loaded corpus drops.
    const rare = join(dir, 'rare.txt');
    await writeFile(rare, 'king queen king\nzebra yak\nqueen king queen\n');
    const saved: string[] = [];
    for (const stream of ['0', '1']) {
      const path = join(dir, `vocab-${stream}.txt`);
      const result = await run(['word2vec', '-train', rare, '-min-count', '2', '-save-vocab', path, '-stream', stream]);
      expect(result.code, result.err).toBe(0);
      saved.push(await readFile(path, 'utf8'));
    }
    const fromVocab = join(dir, 'vocab-command.txt');
    expect((await run(['vocab', '-train', rare, '-min-count', '2', '-save-vocab', fromVocab])).code).toBe(0);
    expect(saved[0]).toBe(saved[1]);
    expect(saved[0]).toBe(await readFile(fromVocab, 'utf8'));
    expect(saved[0]!.split('\n')[0]).toBe('</s> 3');
  });

  it('word2vec, fasttext, cooccur and glove list the same -stream choice with its default', async () => {
    for (const words of [['word2vec'], ['fasttext', 'skipgram'], ['fasttext', 'cbow'], ['cooccur'], ['glove']]) {
      const help = (await run([...words, '--help'])).out;
      expect(help, words.join(' ')).toMatch(/-stream auto\|0\|1\s+1: read the corpus from its file at every pass over it.*\(default: auto\)/);
    }
    const refused = await run(['word2vec', '-train', corpus, '-output', join(dir, 'x.txt'), '-stream', '2']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/-stream.*auto, 0, 1/);
  });

  for (const model of ['0', '1']) {
    for (const hs of ['0', '1']) {
      it(`word2vec -cbow ${model} -hs ${hs}: -stream 1 gives the vectors of -stream 0 (one thread, a seed)`, async () => {
        const output = join(dir, `w2v-${model}-${hs}.txt`);
        const argv = ['word2vec', '-train', corpus, '-output', output, '-size', '12', '-iter', '2', '-threads', '1', '-seed', '7', '-min-count', '1', '-cbow', model, '-hs', hs, '-negative', hs === '1' ? '0' : '5'];
        const loaded = await train(argv, '0', output);
        const streamed = await train(argv, '1', output);
        expect(streamed.vectors).toBe(loaded.vectors);
        expect(streamed.err).toMatch(/Corpus: [\d,]+ tokens, .* if loaded; streamed from .*corpus\.txt at every epoch \(-stream 1\)/);
        expect(loaded.err).not.toMatch(/streamed from/);
        // The default on a corpus this small: loaded.
        expect((await train(argv, 'auto', output)).vectors).toBe(loaded.vectors);
      });
    }
  }

  it('word2vec streams a gzip corpus with two threads (one reader feeding the workers)', async () => {
    const output = join(dir, 'gz.txt');
    const { vectors, err } = await train(['word2vec', '-train', gzipped, '-output', output, '-size', '12', '-iter', '3', '-threads', '2', '-min-count', '1'], '1', output);
    expect(err).toMatch(/streamed from .*corpus\.txt\.gz/);
    expect(vectors.split('\n')[0]).toBe('14 12');
    const loaded = await train(['word2vec', '-train', gzipped, '-output', output, '-size', '12', '-iter', '1', '-threads', '1', '-min-count', '1'], '0', output);
    expect(loaded.vectors.split('\n')[0]).toBe('14 12');
  });

  it('fasttext skipgram -stream 1 gives the vectors of -stream 0 (one thread)', async () => {
    const prefix = join(dir, 'ft');
    const argv = ['fasttext', 'skipgram', '-input', corpus, '-output', prefix, '-dim', '8', '-epoch', '2', '-thread', '1', '-minCount', '1', '-bucket', '1000', '-minn', '2', '-maxn', '3'];
    const loaded = await train(argv, '0', `${prefix}.vec`);
    const streamed = await train(argv, '1', `${prefix}.vec`);
    expect(streamed.vectors).toBe(loaded.vectors);
  });

  it('cooccur and glove count a streamed corpus exactly as a loaded one', async () => {
    const output = join(dir, 'svd.txt');
    const argv = ['cooccur', '-train', corpus, '-output', output, '-size', '4', '-min-count', '1'];
    expect((await train(argv, '1', output)).vectors).toBe((await train(argv, '0', output)).vectors);
    const glove = join(dir, 'glove.txt');
    const gloveArgv = ['glove', '-train', corpus, '-output', glove, '-size', '4', '-iter', '2', '-threads', '1', '-min-count', '1'];
    expect((await train(gloveArgv, '1', glove)).vectors).toBe((await train(gloveArgv, '0', glove)).vectors);
  });
  it('a corpus file truncated after the counting pass: the reader\'s error naming the file and -stream 0, not a worker failure', async () => {
    for (const threads of ['1', '2']) {
      const path = join(dir, `shrinking-${threads}.txt`);
      await writeFile(path, text(1500));
      // Truncated as soon as the command says it streams, i.e. between the counting pass and training.
      let err = '';
      const stderr = new Writable({
        write(chunk: Buffer, _encoding, done) {
          err += chunk.toString();
          if (/streamed from/.test(chunk.toString())) truncateSync(path, 10);
          done();
        },
      });
      const context = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), verbose: false, interactive: false, signal: new AbortController().signal };
      const argv = ['word2vec', '-train', path, '-output', join(dir, 'never.txt'), '-size', '8', '-iter', '2', '-threads', threads, '-min-count', '1', '-stream', '1'];
      const code = await runCli(argv, commands, context);
      expect(code, err).toBe(1);
      expect(err).toContain(`embedkit: ${path} has changed since it was counted`);
      expect(err).toMatch(/-stream 0 .*\[READ_ERROR\]/);
      expect(err).not.toMatch(/WORKER_FAILED|--verbose/);
    }
  });
  it('a pipe: every trainer loads it in one pass with -stream auto or 0, and refuses -stream 1 naming -stream 0 and a file', async () => {
    const fifo = join(dir, 'corpus.fifo');
    execFileSync('mkfifo', [fifo]);
    const content = text(600);
    const trainers = [
      { words: ['word2vec', '-size', '8', '-iter', '2', '-threads', '1', '-seed', '3', '-min-count', '1'], file: '-train', output: 'w2v.txt' },
      { words: ['fasttext', 'skipgram', '-dim', '8', '-epoch', '2', '-thread', '1', '-minCount', '1', '-bucket', '500'], file: '-input', output: 'ft' },
      { words: ['cooccur', '-size', '4', '-min-count', '1'], file: '-train', output: 'co.txt' },
      { words: ['glove', '-size', '4', '-iter', '2', '-threads', '1', '-min-count', '1'], file: '-train', output: 'gl.txt' },
    ];
    const plain = join(dir, 'pipe-content.txt');
    await writeFile(plain, content);
    for (const { words, file, output } of trainers) {
      const out = join(dir, `pipe-${output}`);
      const written = output === 'ft' ? `${out}.vec` : out;
      const fromFile = await train([...words, file, plain, '-output', out], '0', written);
      for (const stream of ['auto', '0']) {
        createWriteStream(fifo).end(content); // opens when the command does
        const fromPipe = await train([...words, file, fifo, '-output', out], stream, written);
        expect(fromPipe.vectors, `${words[0]} -stream ${stream}`).toBe(fromFile.vectors);
        expect(fromPipe.err).not.toMatch(/streamed from/);
      }
      const refused = await run([...words, file, fifo, '-output', out, '-stream', '1']);
      expect(refused.code).toBe(1);
      expect(refused.err.endsWith(
        `embedkit: ${file} ${fifo}: is a pipe, not a file, and -stream 1 reads the corpus again at every pass; ` +
          `use -stream 0 (reads it once into memory, 4 bytes a token), or write it to a file first (… > corpus.txt) and give that file to ${file} [INPUT_NOT_A_FILE]\n`,
      ), refused.err).toBe(true);
    }
  });

  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  it.skipIf(!existsSync(cli))('-train /dev/stdin reads a corpus piped in by the shell (the built command)', async () => {
    const output = join(dir, 'stdin.txt');
    const input = join(dir, 'stdin-input.txt');
    await writeFile(input, text(300));
    // Through the shell's pipe (Node's own stdio pipes are sockets, which /dev/stdin cannot reopen).
    const command = `cat "${input}" | "${process.execPath}" "${cli}" word2vec -train /dev/stdin -output "${output}" -size 8 -iter 1 -min-count 1`;
    const result = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Trained 14 vectors of 8 dimensions/);
  });
});

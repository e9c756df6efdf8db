import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMethod, type WordTask } from '../method';
import { runMeasured, SYSTEM_PYTHON } from '../measure';
import { toMarkdown, toSvg } from '../report';
import { ratios, runBenchmarks, summarise, type RunRecord } from '../runner';
import { tasksOf } from '../suites';

const hasPython = existsSync(SYSTEM_PYTHON);

function record(method: string, reference: boolean, wall: number, rss: number, analogy: number): RunRecord {
  return {
    task: 't', method, label: method, reference, repeat: 1, wallSeconds: wall, cpuSeconds: wall, peakRssBytes: rss,
    wordsPerSecond: 1000 / wall, quality: { analogy, semantic: null, syntactic: null, analogyCoverage: null, wordsim353: null, simlex999: null },
    metrics: null, notes: null, error: null,
  };
}

describe('summaries and ratios', () => {
  it('takes medians over repeats and compares embedkit with each reference pair by pair', () => {
    const runs = [
      record('ours', false, 10, 100, 50), record('ours', false, 30, 300, 52), record('ours', false, 20, 200, 51),
      record('ref', true, 40, 100, 49), record('ref', true, 40, 100, 49),
    ];
    const summaries = summarise(runs);
    const ours = summaries.find((s) => s.method === 'ours')!;
    expect(ours.wallSeconds).toEqual({ median: 20, min: 10, max: 30 });
    expect(ours.quality['analogy']).toBe(51);
    const [ratio] = ratios(summaries);
    expect(ratio!.reference).toBe('ref');
    expect(ratio!.speed).toBeCloseTo(50 / 25, 10); // words/s medians: 1000/20 vs 1000/40
    expect(ratio!.memory).toBeCloseTo(2, 10);
    expect(ratio!.qualityDelta['analogy']).toBe(2);
  });

  it('leaves failed runs out of the figures and counts them', () => {
    const failed = { ...record('ours', false, 1, 1, 99), error: 'exit code 1' };
    const [summary] = summarise([record('ours', false, 10, 100, 50), failed]);
    expect(summary!.failures).toBe(1);
    expect(summary!.wallSeconds!.median).toBe(10);
  });

  it('knows its suites and refuses unknown ones', () => {
    expect(tasksOf(['word2vec'], 2).map((t) => t.id)).toEqual(['skipgram-ns', 'cbow-ns']);
    expect(() => tasksOf(['nope'], 2)).toThrow(/Unknown suite 'nope'/u);
  });
});

describe.skipIf(!hasPython)('measured runs', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures CPU time and peak memory of the child, not of the harness', async () => {
    // The child allocates and touches ~200 MB and spins for a while.
    const script = 'const b = Buffer.alloc(200 * 2 ** 20, 1); let x = 0; const t = Date.now(); while (Date.now() - t < 300) x++; console.log(b[5] + x * 0);';
    const m = await runMeasured(process.execPath, ['-e', script]);
    expect(m.exitCode).toBe(0);
    expect(m.stdout.trim()).toBe('1');
    expect(m.peakRssBytes).toBeGreaterThan(200 * 2 ** 20);
    expect(m.cpuSeconds).toBeGreaterThan(0.2);
    expect(m.wallSeconds).toBeGreaterThanOrEqual(0.3);
  });

  it('runs an external method, evaluates its vectors and reports failures', async () => {
    // A stand-in "reference tool": writes two planted vectors; fails when asked to.
    const tool = join(dir, 'tool.mjs');
    await writeFile(
      tool,
      "import { writeFileSync } from 'node:fs'; const [out, fail] = process.argv.slice(2); if (fail === 'fail') process.exit(3); writeFileSync(out, '3 2\\nking 1 0\\nqueen 0.9 0.1\\napple 0 1\\n');",
    );
    const evalDir = join(dir, 'eval');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(evalDir, 'wordsim353/faruqui'), { recursive: true }));
    await writeFile(join(evalDir, 'wordsim353/faruqui/EN-WS-353-ALL.txt'), 'king\tqueen\t9\nking\tapple\t1\nqueen\tapple\t2\n');
    for (const [id, fail] of [['fake-tool', ''], ['broken-tool', 'fail']] as const) {
      registerMethod({
        id, label: id, reference: true, runs: 'external',
        supports: (task) => task.kind === 'words',
        unavailableReason: () => null,
        command: ({ outputPath }) => ({ command: process.execPath, args: [tool, outputPath, fail] }),
      });
    }
    const task: WordTask = { kind: 'words', id: 'tiny', settings: { algorithm: 'skipgram', dim: 2, window: 1, negative: 1, hs: false, sample: 0, minCount: 1, epochs: 2, threads: 1 } };
    const corpus = join(dir, 'corpus.txt');
    await writeFile(corpus, 'king queen apple\n');
    const result = await runBenchmarks({
      tasks: [task], input: corpus, corpusTokens: 3, evalSets: { wordsim353: join(evalDir, 'wordsim353/faruqui/EN-WS-353-ALL.txt') },
      repeats: 2, methods: ['fake-tool', 'broken-tool'], workDir: join(dir, 'work'),
    });
    const ok = result.runs.filter((r) => r.method === 'fake-tool');
    expect(ok).toHaveLength(2);
    expect(ok[0]!.error).toBeNull();
    expect(ok[0]!.quality!.wordsim353).toBe(1); // king–queen most similar, king–apple least
    expect(ok[0]!.wordsPerSecond).toBeCloseTo(6 / ok[0]!.wallSeconds, 6);
    const broken = result.runs.filter((r) => r.method === 'broken-tool');
    expect(broken.every((r) => r.error?.startsWith('exit code 3'))).toBe(true);
    const markdown = toMarkdown(result, 'pnpm bench --test');
    expect(markdown).toContain('| fake-tool |');
    expect(markdown).toContain('(2 failed)');
    expect(toSvg(result)).toContain('<circle');
  });
});

import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainContextualEncoder, type BilmEncoder } from '@embedkit/bilm';
import { writeTinyBert } from '../../../encoders/src/__tests__/tiny-bert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familiesModelProblem, runFamiliesComparison } from '../families/comparison';
import { buildContextualRow, CONTEXTUAL_ROWS, contextualCorpusProblem, DEFAULT_FAMILIES_SETTINGS, saveCorpusFingerprint, type FamilyRowSpec } from '../families/rows';

let dir: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-families-models-'));
  model = join(dir, 'bilm');
  const sentences = Array.from({ length: 40 }, (_, i) => ['the', 'bank', i % 2 ? 'river' : 'loan', 'was', 'near']);
  const encoder = await trainContextualEncoder(sentences, { dim: 8, window: 6, batchSize: 4, negatives: 4, steps: 2, minCount: 1, backend: 'wasm', output: model });
  encoder.dispose();
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('familiesModelProblem (--contextual-model)', () => {
  it('accepts a saved bilm', async () => {
    expect(await familiesModelProblem({ contextualModel: model })).toBeNull();
  });

  it('refuses a directory without bilm.json', async () => {
    expect(await familiesModelProblem({ contextualModel: dir })).toMatch(/--contextual-model .* holds no bilm\.json/u);
  });

  it('refuses a damaged bilm before any training, naming the flag and the fault', async () => {
    const damaged = join(dir, 'damaged');
    await trainContextualEncoder([['a', 'b', 'c', 'd']], { dim: 8, window: 4, batchSize: 2, negatives: 2, steps: 1, minCount: 1, backend: 'wasm', output: damaged }).then((e) => e.dispose());
    await truncate(join(damaged, 'weights.bin'), 10);
    const truncated = await familiesModelProblem({ contextualModel: damaged });
    expect(truncated).toMatch(/^--contextual-model .*damaged is not a usable bilm: weights\.bin has 10 bytes, the shape needs \d+\. Give a directory saved by an earlier run/u);
    // The fault in flag words, without the library's fix in its API names.
    expect(truncated).not.toMatch(/trainContextualEncoder/u);
    await rm(join(damaged, 'vocab.txt'));
    expect(await familiesModelProblem({ contextualModel: damaged })).toMatch(/^--contextual-model .* is not a usable bilm: cannot read .*vocab\.txt .*\. Give a directory/u);
    await writeFile(join(damaged, 'vocab.txt'), '</s> 1\n');
    await writeFile(join(damaged, 'bilm.json'), '{ not json');
    expect(await familiesModelProblem({ contextualModel: damaged })).toMatch(/^--contextual-model .* is not a usable bilm: bilm\.json is not valid JSON\. Give/u);
  }, 60_000);
});

describe('a saved bilm and the training text (--contextual-model with --corpus)', () => {
  it('is refused, before any training, when the comparison trained it on another text', async () => {
    const trainedOn = join(dir, 'a.txt');
    const other = join(dir, 'b.txt');
    await writeFile(trainedOn, 'the bank was near the river\n');
    await writeFile(other, 'the bank gave a loan\n');
    const saved = join(dir, 'fingerprinted');
    await trainContextualEncoder([['the', 'bank', 'was', 'near']], { dim: 8, window: 4, batchSize: 2, negatives: 2, steps: 1, minCount: 1, backend: 'wasm', output: saved }).then((e) => e.dispose());
    expect(await contextualCorpusProblem(saved, other)).toBeNull(); // no fingerprint: not checked
    await saveCorpusFingerprint(saved, trainedOn);
    expect(await contextualCorpusProblem(saved, trainedOn)).toBeNull();
    expect(await contextualCorpusProblem(saved, other)).toMatch(/--contextual-model .* was trained on another text than this run's \(--corpus .*b\.txt\)/u);
    await expect(
      runFamiliesComparison({ corpus: other, rows: ['bilm'], workDir: join(dir, 'work'), quick: true, settings: { contextualModel: saved } }),
    ).rejects.toThrow(/was trained on another text/u);
    // Without --corpus the run's text is the bundled one, written to a scratch file the user never named.
    const bundled = runFamiliesComparison({ rows: ['bilm'], workDir: join(dir, 'work'), quick: true, settings: { contextualModel: saved } });
    await expect(bundled).rejects.toThrow(/was trained on another text than this run's \(the bundled text: no --corpus given\)/u);
    await expect(bundled).rejects.not.toThrow(/--corpus \//u);
  }, 60_000);
});

describe('familiesModelProblem (--onnx-model)', () => {
  it('refuses, before any training, a directory that holds no usable ONNX model', async () => {
    const empty = join(dir, 'not-an-export');
    await mkdir(empty, { recursive: true });
    // In flag words, with the fix in the folder (the CLI has no flag for the loader's modelFile or outputName).
    const noModel = await familiesModelProblem({ onnxModel: empty });
    expect(noModel).toMatch(/--onnx-model .*not-an-export holds no ONNX model: looked for model\.onnx, onnx\/model\.onnx, .*Put the export's \.onnx file in that folder as model\.onnx, beside its tokenizer\.json/u);
    expect(noModel).not.toMatch(/modelFile/u);
    expect(await familiesModelProblem({ onnxModel: join(dir, 'absent') })).toMatch(/--onnx-model .* does not exist/u);
    const tiny = await writeTinyBert(join(dir, 'tiny-bert'));
    expect(await familiesModelProblem({ onnxModel: tiny })).toBeNull();
    expect(await familiesModelProblem({ onnxModel: join(tiny, 'model.onnx') })).toMatch(/--onnx-model .*model\.onnx is a file, not a folder: give the folder that holds/u);
    const noTokenizer = await writeTinyBert(join(dir, 'no-tokenizer'));
    await rm(join(noTokenizer, 'tokenizer.json'));
    expect(await familiesModelProblem({ onnxModel: noTokenizer })).toMatch(/--onnx-model .*no-tokenizer has no tokenizer\.json: copy the model's tokenizer\.json .* beside model\.onnx/u);
    const twoOutputs = await familiesModelProblem({ onnxModel: await writeTinyBert(join(dir, 'two-outputs'), { outputName: 'hidden', extraOutput: 'pre_activation' }) });
    expect(twoOutputs).toMatch(/--onnx-model .*two-outputs: model\.onnx has no output named last_hidden_state .*Export the encoder with its token vectors named last_hidden_state/u);
    expect(twoOutputs).not.toMatch(/outputName/u);
  });
});

describe('the bilm row\'s training cost', () => {
  it('is the training steps\' own CPU and tokens, the same trained in the run and loaded from where it was saved', async () => {
    const corpus = join(dir, 'cost-corpus.txt');
    await writeFile(corpus, Array.from({ length: 300 }, (_, i) => `the bank ${i % 2 ? 'of the river' : 'gave a loan'} was near the town ${i % 7}`).join('\n') + '\n');
    const spec = CONTEXTUAL_ROWS.find((row) => row.id === 'bilm') as Extract<FamilyRowSpec, { kind: 'contextual' }>;
    const saved = join(dir, 'cost-bilm');
    const settings = { ...DEFAULT_FAMILIES_SETTINGS, contextualSeconds: 1, contextualOutput: saved };
    const trained = await buildContextualRow(spec, corpus, settings);
    const report = (trained.embedder as BilmEncoder).training!;
    (trained.embedder as BilmEncoder).dispose();
    // Not the whole call (reading the text, building the vocabulary, saving): the steps' own figures.
    expect(report.cpuSeconds).toBeGreaterThan(0);
    expect(trained.trainCpuSeconds).toBe(report.cpuSeconds);
    expect(trained.trainWallSeconds).toBe(report.seconds);
    expect(trained.trainTokens).toBe(report.tokensSeen);
    const loaded = await buildContextualRow(spec, corpus, { ...settings, contextualModel: saved, contextualOutput: null });
    (loaded.embedder as BilmEncoder).dispose();
    expect([loaded.trainCpuSeconds, loaded.trainWallSeconds, loaded.trainTokens]).toEqual([trained.trainCpuSeconds, trained.trainWallSeconds, trained.trainTokens]);
  }, 120_000);
});

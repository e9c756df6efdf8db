import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { cosineSimilarity } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnnxModelFiles, loadOnnxEncoder } from '../contextual/onnx-encoder';
import type { OnnxEncoder } from '../contextual/onnx-encoder';
import { TINY_HIDDEN, TINY_MAX_POSITIONS, writeTinyBert } from './tiny-bert';

function tokenVector(result: { tokens: readonly string[]; vectors: Float32Array; dimension: number }, token: string): Float32Array {
  const index = result.tokens.indexOf(token);
  expect(index).toBeGreaterThanOrEqual(0);
  return result.vectors.slice(index * result.dimension, (index + 1) * result.dimension);
}

let root: string;
let encoder: OnnxEncoder;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'embedkit-onnx-'));
  encoder = await loadOnnxEncoder(await writeTinyBert(join(root, 'tiny-bert')), { threads: 1 });
});

afterAll(async () => {
  await encoder?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('loadOnnxEncoder on a tiny BERT-like ONNX model', () => {
  it('reads the shape of the model and its configuration', () => {
    expect(encoder.name).toBe('tiny-bert');
    expect(encoder.family).toBe('contextual');
    expect(encoder.contextual).toBe(true);
    expect(encoder.dimension).toBe(TINY_HIDDEN);
    // tokenizer_config.json's model_max_length is Hugging Face's "unknown" sentinel: config.json wins.
    expect(encoder.maxTokens).toBe(TINY_MAX_POSITIONS);
    expect(encoder.price.usdPerMillionTokens).toBe(0);
  });

  it('splits into word pieces with the tokenizer.json and leaves [CLS]/[SEP] out of embedTokens', async () => {
    const result = await encoder.embedTokens('We sat on the river bank. Unbelievable!');
    expect(result.tokens).toEqual(['we', 'sat', 'on', 'the', 'river', 'bank', '.', 'un', '##believ', '##able', '[UNK]']);
    expect(result.vectors.length).toBe(result.tokens.length * TINY_HIDDEN);
    expect(result.vectors.every(Number.isFinite)).toBe(true);
  });

  it("gives a token a vector that changes with its sentence, and keeps it within one sentence's repeats", async () => {
    const river = tokenVector(await encoder.embedTokens('we sat on the river bank'), 'bank');
    const money = tokenVector(await encoder.embedTokens('the bank gave me a loan of money'), 'bank');
    const again = tokenVector(await encoder.embedTokens('we sat on the river bank'), 'bank');
    expect(1 - cosineSimilarity(river, money)).toBeGreaterThan(0.01);
    expect(Array.from(again)).toEqual(Array.from(river));
  });

  it('mean-pools sentence vectors that do not depend on the padding of their batch', async () => {
    const texts = ['the bank', 'we sat on the river bank and the fish sat on the water of the river', 'money'];
    const together = await encoder.embed(texts, { batchSize: 3 });
    const alone = await encoder.embed(texts, { batchSize: 1 });
    expect(together.count).toBe(3);
    expect(together.dimension).toBe(TINY_HIDDEN);
    expect(together.missing).toEqual([]);
    for (let i = 0; i < together.vectors.length; i++) expect(together.vectors[i]).toBeCloseTo(alone.vectors[i] as number, 5);
    // [CLS] the bank [SEP], then 19 pieces cut to 16 (the closing [SEP] kept), + [CLS] money [SEP]
    expect(together.cost).toEqual({ tokens: 4 + TINY_MAX_POSITIONS + 3, estimated: false, usd: 0 });
    expect(encoder.estimateCost(texts)).toEqual(together.cost);
  });

  it('mean of the hidden states equals the mean of the token vectors plus the special tokens', async () => {
    // With one text, the pooled vector is the mean over [CLS], the pieces and [SEP]: the pieces'
    // mean alone must differ from it, and the pooled vector must lie between them.
    const text = 'the river bank';
    const pooled = (await encoder.embed([text])).vectors;
    const tokens = await encoder.embedTokens(text);
    const mean = new Float32Array(TINY_HIDDEN);
    for (let j = 0; j < tokens.tokens.length; j++) for (let k = 0; k < TINY_HIDDEN; k++) mean[k] = (mean[k] as number) + (tokens.vectors[j * TINY_HIDDEN + k] as number) / tokens.tokens.length;
    expect(cosineSimilarity(pooled, mean)).toBeGreaterThan(0.5);
    expect(Array.from(pooled)).not.toEqual(Array.from(mean));
  });

  it('normalises sentence vectors on request', async () => {
    const normalised = await loadOnnxEncoder(join(root, 'tiny-bert'), { normalize: true, threads: 1, name: 'unit' });
    try {
      const { vectors } = await normalised.embed(['the river bank', 'money']);
      for (let row = 0; row < 2; row++) {
        let norm = 0;
        for (let k = 0; k < TINY_HIDDEN; k++) norm += (vectors[row * TINY_HIDDEN + k] as number) ** 2;
        expect(Math.sqrt(norm)).toBeCloseTo(1, 5);
      }
    } finally {
      await normalised.dispose();
    }
  });

  it('reports progress per batch and stops on abort', async () => {
    const progress: number[] = [];
    await encoder.embed(['a', 'b', 'c', 'd', 'e'], { batchSize: 2, onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([2, 4, 5]);
    const controller = new AbortController();
    const stopped = encoder.embed(['a', 'b', 'c', 'd'], {
      batchSize: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('enough')),
    });
    await expect(stopped).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
    await expect(encoder.embedTokens('the bank', { signal: AbortSignal.abort() })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
  });

  it('runs models with int32 inputs and without token_type_ids', async () => {
    const other = await loadOnnxEncoder(await writeTinyBert(join(root, 'int32'), { idType: 'int32', withoutTokenTypes: true, outputName: 'hidden' }), { threads: 1 });
    try {
      const { vectors } = await other.embed(['the river bank']);
      expect(vectors.every(Number.isFinite)).toBe(true);
      expect(vectors.some((v) => v !== 0)).toBe(true);
    } finally {
      await other.dispose();
    }
  });
});

describe('loadOnnxEncoder refuses what it cannot run, with the fix in the message', () => {
  it('a missing directory, model file or tokenizer.json is MODEL_NOT_FOUND', async () => {
    await expect(loadOnnxEncoder(join(root, 'nothing-here'))).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'MODEL_NOT_FOUND') && /model\.onnx and tokenizer\.json/u.test((e as Error).message));
    const noTokenizer = await writeTinyBert(join(root, 'no-tokenizer'));
    await unlink(join(noTokenizer, 'tokenizer.json'));
    await expect(loadOnnxEncoder(noTokenizer)).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'MODEL_NOT_FOUND') && /tokenizer\.json/u.test((e as Error).message));
    const noModel = await writeTinyBert(join(root, 'no-model'));
    await unlink(join(noModel, 'model.onnx'));
    await expect(loadOnnxEncoder(noModel)).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'MODEL_NOT_FOUND') && /onnx\/model\.onnx/u.test((e as Error).message));
  });

  it('findOnnxModelFiles finds the files the loader reads, or says which are missing', async () => {
    const tiny = join(root, 'tiny-bert');
    expect(await findOnnxModelFiles(tiny)).toEqual({ directory: tiny, isDirectory: true, model: join(tiny, 'model.onnx'), tokenizer: join(tiny, 'tokenizer.json') });
    expect(await findOnnxModelFiles(tiny, 'other.onnx')).toMatchObject({ isDirectory: true, model: null });
    expect(await findOnnxModelFiles(join(tiny, 'model.onnx'))).toMatchObject({ isDirectory: false, model: null, tokenizer: null });
    const noModel = await writeTinyBert(join(root, 'files-no-model'));
    await unlink(join(noModel, 'model.onnx'));
    await unlink(join(noModel, 'tokenizer.json'));
    expect(await findOnnxModelFiles(noModel)).toMatchObject({ isDirectory: true, model: null, tokenizer: null });
  });

  it('no output to read token vectors from is NO_TOKEN_OUTPUT', async () => {
    // Two 3-D outputs, neither named last_hidden_state: which holds the token vectors is not known.
    const twoOutputs = await writeTinyBert(join(root, 'two-outputs'), { outputName: 'hidden', extraOutput: 'pre_activation' });
    await expect(loadOnnxEncoder(twoOutputs, { threads: 1 })).rejects.toSatisfy(
      (e: unknown) => isEmbedkitError(e, 'NO_TOKEN_OUTPUT') && /no output named last_hidden_state among hidden, pre_activation, and 2 of them are 3-D; pass outputName/u.test((e as Error).message),
    );
    await expect(loadOnnxEncoder(twoOutputs, { threads: 1, outputName: 'absent' })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'NO_TOKEN_OUTPUT'));
    const chosen = await loadOnnxEncoder(twoOutputs, { threads: 1, outputName: 'pre_activation' });
    await chosen.dispose();
  });

  it('a broken tokenizer.json or model file is INVALID_MODEL', async () => {
    const badJson = await writeTinyBert(join(root, 'bad-json'));
    await writeFile(join(badJson, 'tokenizer.json'), '{"model": ');
    await expect(loadOnnxEncoder(badJson)).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'INVALID_MODEL'));
    const badModel = await writeTinyBert(join(root, 'bad-model'));
    await writeFile(join(badModel, 'model.onnx'), 'not a protobuf');
    await expect(loadOnnxEncoder(badModel)).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'INVALID_MODEL') && /onnxruntime cannot load/u.test((e as Error).message));
  });

  it('checks its options', async () => {
    await expect(loadOnnxEncoder(join(root, 'tiny-bert'), { maxTokens: 1 })).rejects.toThrow(RangeError);
    await expect(loadOnnxEncoder(join(root, 'tiny-bert'), { threads: 0 })).rejects.toThrow(RangeError);
    await expect(encoder.embed(['a'], { batchSize: 0 })).rejects.toThrow(RangeError);
  });
});

/**
 * Test fixture: writes a tiny BERT-like model directory (model.onnx + tokenizer.json +
 * tokenizer_config.json + config.json) so that the tests run the real loading code of
 * `loadOnnxEncoder` on onnxruntime-node without any download.
 *
 * The graph is one self-attention layer over word + token-type embeddings, masked like BERT's
 * (padding gets −10000 before the softmax): every output row mixes the rows of the other real
 * tokens, so a token's vector depends on its sentence, and padding must not change anything.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

/** Word pieces of the fixture's vocabulary, after the five special tokens. */
export const TINY_WORDS = [
  'the', 'a', 'river', 'bank', 'money', 'loan', 'water', 'fish', 'we', 'sat', 'on', 'of', 'gave',
  'me', 'un', '##believ', '##able', 'play', '##ing', '.', ',',
] as const;

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Hidden size of the fixture model. */
export const TINY_HIDDEN = 8;

/** `max_position_embeddings` written to config.json. */
export const TINY_MAX_POSITIONS = 16;

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer.slice(0)) };
}

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) };
}

function input(name: string, elemType: number, dims: (string | number)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function node(opType: string, inputs: string[], outputs: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input: inputs, output: outputs, name: outputs[0], attribute };
}

/** Deterministic weights in [−1, 1) from a small LCG, so every run builds the same model. */
function weights(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = ((state / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

/** Options of {@link writeTinyBert}. */
export interface TinyBertOptions {
  /** Element type of the three inputs: `int64` (BERT exports) or `int32`. Default int64. */
  readonly idType?: 'int64' | 'int32';
  /** Leave out `token_type_ids` (DistilBERT and RoBERTa exports have none). Default false. */
  readonly withoutTokenTypes?: boolean;
  /** Name of the output. Default `last_hidden_state`. */
  readonly outputName?: string;
  /** Name of a second 3-D output (the hidden state before its tanh), as some exports have. Default none. */
  readonly extraOutput?: string;
}

/** The ONNX bytes of the tiny model. */
export function tinyBertOnnx(options: TinyBertOptions = {}): Uint8Array {
  const vocabularySize = SPECIALS.length + TINY_WORDS.length;
  const h = TINY_HIDDEN;
  const idType = options.idType === 'int32' ? onnx.TensorProto.DataType.INT32 : onnx.TensorProto.DataType.INT64;
  const output = options.outputName ?? 'last_hidden_state';
  const nodes: onnx.INodeProto[] = [
    node('Gather', ['word_embeddings', 'input_ids'], ['words']),
    node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }]),
    node('Unsqueeze', ['mask_float', 'axis_1'], ['mask_row']),
    node('Sub', ['one', 'mask_row'], ['not_mask']),
    node('Mul', ['not_mask', 'minus_big'], ['mask_bias']),
  ];
  const initializer: onnx.ITensorProto[] = [
    floatTensor('word_embeddings', [vocabularySize, h], weights(vocabularySize * h, 1, 1)),
    floatTensor('wq', [h, h], weights(h * h, 2, 0.8)),
    floatTensor('wk', [h, h], weights(h * h, 3, 0.8)),
    floatTensor('wv', [h, h], weights(h * h, 4, 0.8)),
    floatTensor('one', [], new Float32Array([1])),
    floatTensor('minus_big', [], new Float32Array([-10000])),
    floatTensor('scale', [], new Float32Array([1 / Math.sqrt(h)])),
    int64Tensor('axis_1', [1]),
  ];
  const inputs = [input('input_ids', idType, ['batch', 'sequence']), input('attention_mask', idType, ['batch', 'sequence'])];
  let embedded = 'words';
  if (options.withoutTokenTypes !== true) {
    inputs.push(input('token_type_ids', idType, ['batch', 'sequence']));
    initializer.push(floatTensor('type_embeddings', [2, h], weights(2 * h, 5, 0.5)));
    nodes.push(node('Gather', ['type_embeddings', 'token_type_ids'], ['types']), node('Add', ['words', 'types'], ['embedded']));
    embedded = 'embedded';
  }
  nodes.push(
    node('MatMul', [embedded, 'wq'], ['q']),
    node('MatMul', [embedded, 'wk'], ['k']),
    node('MatMul', [embedded, 'wv'], ['v']),
    node('Transpose', ['k'], ['k_t'], [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 1] }]),
    node('MatMul', ['q', 'k_t'], ['scores']),
    node('Mul', ['scores', 'scale'], ['scaled']),
    node('Add', ['scaled', 'mask_bias'], ['masked']),
    node('Softmax', ['masked'], ['attention'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]),
    node('MatMul', ['attention', 'v'], ['mixed']),
    node('Add', [embedded, 'mixed'], ['residual']),
    node('Tanh', ['residual'], [output]),
  );
  const outputs = [input(output, onnx.TensorProto.DataType.FLOAT, ['batch', 'sequence', h])];
  if (options.extraOutput !== undefined) {
    nodes.push(node('Identity', ['residual'], [options.extraOutput]));
    outputs.push(input(options.extraOutput, onnx.TensorProto.DataType.FLOAT, ['batch', 'sequence', h]));
  }
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'embedkit-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny_bert',
      node: nodes,
      initializer,
      input: inputs,
      output: outputs,
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

/** The WordPiece tokenizer.json of the fixture (lower-casing BERT normaliser, [CLS] … [SEP]). */
export function tinyTokenizerJson(): object {
  const vocab: Record<string, number> = {};
  [...SPECIALS, ...TINY_WORDS].forEach((piece, id) => {
    vocab[piece] = id;
  });
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** Writes the fixture directory and returns its path. */
export async function writeTinyBert(directory: string, options: TinyBertOptions = {}): Promise<string> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'model.onnx'), tinyBertOnnx(options));
  await writeFile(join(directory, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
  await writeFile(
    join(directory, 'tokenizer_config.json'),
    JSON.stringify({ do_lower_case: true, model_max_length: 1000000000000000019884624838656, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }),
  );
  await writeFile(
    join(directory, 'config.json'),
    JSON.stringify({ model_type: 'bert', hidden_size: TINY_HIDDEN, max_position_embeddings: TINY_MAX_POSITIONS, vocab_size: SPECIALS.length + TINY_WORDS.length }),
  );
  return directory;
}

/**
 * Test doubles of the `Embedder` contract with answers known in advance: a static table of word
 * vectors, a "contextual" model that mixes each word's vector with its neighbours', and a
 * hosted-like model with sentence vectors only. Tests only; the real embedders live in
 * @embedkit/encoders.
 */
import { LOCAL_PRICE, type EmbedCost, type Embedder, type EmbeddingBatch, type TokenEmbeddings } from '@embedkit/encoders';

const cost = (texts: readonly string[]): EmbedCost => ({ tokens: texts.reduce((n, t) => n + t.split(' ').length, 0), estimated: false, usd: 0 });

/** Word-level static vectors from a table; unknown words get zeros. */
export class TableEmbedder implements Embedder {
  readonly family = 'word2vec' as const;
  readonly maxTokens = 1000;
  readonly contextual: boolean = false;
  readonly price = LOCAL_PRICE;
  readonly dimension: number;

  constructor(
    readonly name: string,
    protected readonly table: ReadonlyMap<string, readonly number[]>,
  ) {
    this.dimension = (table.values().next().value as readonly number[]).length;
  }

  protected base(word: string): Float32Array {
    const row = this.table.get(word);
    return row ? Float32Array.from(row) : new Float32Array(this.dimension);
  }

  async embedTokens(text: string): Promise<TokenEmbeddings> {
    const tokens = text.split(' ').filter(Boolean);
    const vectors = new Float32Array(tokens.length * this.dimension);
    tokens.forEach((token, i) => vectors.set(this.tokenVector(tokens, i), i * this.dimension));
    return { tokens, vectors, dimension: this.dimension, missing: this.missingTokens(tokens) };
  }

  protected missingTokens(tokens: readonly string[]): number[] {
    return tokens.flatMap((token, i) => (this.table.has(token) ? [] : [i]));
  }

  protected tokenVector(tokens: readonly string[], i: number): Float32Array {
    return this.base(tokens[i] as string);
  }

  async embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    const vectors = new Float32Array(texts.length * this.dimension);
    const missing: number[] = [];
    for (const [row, text] of texts.entries()) {
      const { tokens, vectors: rows } = await this.embedTokens(text);
      const known = tokens.map((t, i) => (this.table.has(t) ? i : -1)).filter((i) => i >= 0);
      if (known.length === 0) missing.push(row);
      for (const i of known) for (let d = 0; d < this.dimension; d++) vectors[row * this.dimension + d]! += rows[i * this.dimension + d]! / known.length;
    }
    return { vectors, count: texts.length, dimension: this.dimension, missing, cost: cost(texts) };
  }

  estimateCost(texts: readonly string[]): EmbedCost {
    return cost(texts);
  }
}

/** Each token's vector is its own plus `mix` × the mean of the other known words of the text. */
export class MixingEmbedder extends TableEmbedder {
  override readonly contextual = true;

  // Every token gets a vector from its context, known or not.
  protected override missingTokens(): number[] {
    return [];
  }

  constructor(name: string, table: ReadonlyMap<string, readonly number[]>, private readonly mix = 1) {
    super(name, table);
  }

  protected override tokenVector(tokens: readonly string[], i: number): Float32Array {
    const own = this.base(tokens[i] as string);
    const others = tokens.filter((t, j) => j !== i && this.table.has(t));
    for (const other of others) {
      const v = this.base(other);
      for (let d = 0; d < this.dimension; d++) own[d]! += (this.mix * v[d]!) / others.length;
    }
    return own;
  }
}

/** Sentence vectors only (as a hosted API): the table's mean, no `embedTokens`. */
export class SentenceOnlyEmbedder implements Embedder {
  readonly family = 'hosted' as const;
  readonly maxTokens = 1000;
  readonly contextual = false;
  readonly price = LOCAL_PRICE;
  readonly dimension: number;
  private readonly inner: TableEmbedder;

  constructor(readonly name: string, table: ReadonlyMap<string, readonly number[]>) {
    this.inner = new TableEmbedder(name, table);
    this.dimension = this.inner.dimension;
  }

  embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    return this.inner.embed(texts);
  }

  estimateCost(texts: readonly string[]): EmbedCost {
    return cost(texts);
  }
}

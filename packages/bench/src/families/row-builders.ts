/**
 * From a row of the table to a working {@link Embedder}, and what is known about a row that
 * cannot run here (a hosted API without its key).
 */
import type { EmbedPrice } from '@embedkit/encoders';
import { buildStaticRow, type BuiltEmbedder, type FamiliesSettings, type FamilyRowSpec } from './rows';

/** What a row needs to be built. */
export interface BuildContext {
  readonly corpusPath: string;
  readonly settings: FamiliesSettings;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** Builds the row's embedder (training it when it is a static model). */
export async function buildRow(spec: FamilyRowSpec, context: BuildContext): Promise<BuiltEmbedder> {
  switch (spec.kind) {
    case 'static':
      return buildStaticRow(spec, context.corpusPath, context.settings, context.signal);
    default:
      throw new Error(`Row ${spec.id}: no builder for ${spec.kind} rows.`);
  }
}

/** Null when the row can run with this environment; otherwise why not (shown in its row). */
export function rowUnavailableReason(spec: FamilyRowSpec, _env: NodeJS.ProcessEnv): string | null {
  void spec;
  return null;
}

/** The figures a row has without running it: its family, and for hosted APIs their documented dimension and price. */
export function documentedFigures(spec: FamilyRowSpec, _env: NodeJS.ProcessEnv): { family: string; dimension: number | null; price: EmbedPrice | null; notes: string[] } {
  const family = spec.kind === 'static' ? (spec.algorithm === 'skipgram' || spec.algorithm === 'cbow' ? 'word2vec' : spec.algorithm) : spec.kind;
  return { family, dimension: null, price: null, notes: [] };
}

/**
 * How every command reads a vector file: one `--format` option (same name and values in
 * `similar`, `analogy`, `eval`, `serve`; `convert` reads with `--from-format` since its `--format`
 * is the output's), `--limit`, warnings on stderr, and the library's "cannot tell the format"
 * turned into the flag that fixes it.
 */
import { EmbedkitError, isEmbedkitError } from '@embedkit/errors';
import { Embeddings, type VectorFormat } from '@embedkit/vectors';
import type { CommandContext, OptionSpec } from './command';

/** The vector formats a user can name (fastText `.vec` is word2vec-text). */
export const VECTOR_FORMATS: readonly VectorFormat[] = ['word2vec-text', 'word2vec-binary', 'glove', 'spark'];

/** The option that names the format of a vector file read (`--format`, or `--from-format` in convert). */
export function readFormatOption(name = 'format'): OptionSpec {
  return {
    name,
    type: 'choice',
    choices: ['auto', ...VECTOR_FORMATS],
    default: 'auto',
    description: 'Format of the vector file read: auto detects it from the first lines (fastText .vec is word2vec-text)',
  };
}

/** Where a vector file comes from and how to read it. */
export interface VectorSource {
  readonly path: string;
  /** The flag that named the file, for messages: `--vectors`. */
  readonly flag: string;
  /** The value of the format option, and the option as typed: `--format`. */
  readonly format: string;
  readonly formatFlag: string;
  readonly limit?: number | undefined;
}

/** Loads a vector file; an undetectable format is one line naming the format flag and its values. */
export async function loadVectorFile(source: VectorSource, context: CommandContext, warningPrefix = ''): Promise<Embeddings> {
  try {
    return await Embeddings.load(source.path, {
      format: source.format as 'auto' | VectorFormat,
      ...(source.limit === undefined ? {} : { limit: source.limit }),
      onWarning: (message) => context.stderr.write(`${warningPrefix}warning: ${message}\n`),
    });
  } catch (error) {
    if (!isEmbedkitError(error, 'UNKNOWN_FORMAT')) throw error;
    throw new EmbedkitError(
      'UNKNOWN_FORMAT',
      `${source.flag} ${source.path}: cannot tell its format from the first line (neither a "count dim" header nor a "word value value …" row); ` +
        `pass ${source.formatFlag} ${VECTOR_FORMATS.filter((f) => f !== 'spark').join(', ')}`,
      { cause: error },
    );
  }
}

/**
 * Files that are recognisably not vector files and that we deliberately do not read, so that the
 * loader can say what they are and what to do instead of a puzzling parse error.
 *
 * gensim's `.model` / `.kv` files are Python pickles (protocol 2 to 5 begin with the PROTO opcode
 * 0x80 and the protocol number), with large arrays in `*.npy` side files. Unpickling runs code
 * named by the file, so we never do it: we only read the first class name (a plain string in the
 * opcode stream) to name the model in the message, and point at gensim's own export.
 */

import { isNpy } from './npy';

/** Bytes of the start of a file that {@link foreignFormatMessage} looks at. */
export const FOREIGN_SNIFF_BYTES = 256;

/** The protocol of a pickle starting with `head` (2 to 5), or undefined. */
export function pickleProtocol(head: Uint8Array): number | undefined {
  const protocol = head[1];
  return head[0] === 0x80 && protocol !== undefined && protocol >= 2 && protocol <= 5 ? protocol : undefined;
}

/**
 * The first class a pickle names, such as `gensim.models.word2vec.Word2Vec`: protocol 2 writes
 * `c module\nname\n`, protocols 3 to 5 two short strings before STACK_GLOBAL.
 */
function pickledClass(head: Uint8Array): string | undefined {
  let text = '';
  for (let i = 2; i < head.length; i++) text += String.fromCharCode(head[i] as number);
  const match = /^c([\w.]+)\n(\w+)\n/.exec(text) ?? /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)[^A-Za-z_]{1,3}([A-Za-z_]\w*)/.exec(text);
  return match === null ? undefined : `${match[1]}.${match[2]}`;
}

/** `path` as a single-quoted Python string. */
function pythonString(path: string): string {
  return `'${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `path` with a gensim pickle extension replaced by `extension`. */
function exportName(path: string, extension: string): string {
  return `${path.replace(/\.(model|kv|wv|pkl|pickle)$/i, '')}${extension}`;
}

/**
 * The one-line gensim command that writes the vectors of the pickled model at `path` in the
 * word2vec binary format (which every embedkit command reads), and the name of that file.
 * `SaveLoad.load` is the base class's loader: it reads Word2Vec, FastText, Doc2Vec and
 * KeyedVectors files alike, and `getattr(m, 'wv', m)` picks the vectors of a full model.
 */
export function gensimExportCommand(path: string): { command: string; output: string } {
  const output = exportName(path, '.bin');
  const program =
    `from gensim.utils import SaveLoad; m = SaveLoad.load(${pythonString(path)}); ` +
    `getattr(m, 'wv', m).save_word2vec_format(${pythonString(output)}, binary=True)`;
  return { command: `python3 -c "${program}"`, output };
}

/** The gensim command that re-saves a pickled gensim FastText model as a fastText `.bin` (n-grams kept). */
export function gensimFastTextExportCommand(path: string): { command: string; output: string } {
  const output = exportName(path, '.fasttext.bin');
  const program =
    'from gensim.models.fasttext import FastText, save_facebook_model; ' +
    `save_facebook_model(FastText.load(${pythonString(path)}), ${pythonString(output)})`;
  return { command: `python3 -c "${program}"`, output };
}

/**
 * What the file starting with `head` is when it is a format we recognise but do not read, as a
 * message naming the fix; undefined otherwise. `wanted` is what the caller reads: word vectors
 * (word2vec / GloVe / .vec) or a subword model (fastText `.bin`), for which a gensim FastText
 * model is re-saved with its n-grams.
 */
export function foreignFormatMessage(path: string, head: Uint8Array, wanted: 'vectors' | 'subword-model' = 'vectors'): string | undefined {
  if (isNpy(head)) {
    return (
      `${path} is a NumPy .npy array: it has vectors but no words. Load it with its words, one per line in row order ` +
      '(Embeddings.loadNpy(path, wordsFile); on the command line: embedkit convert --from FILE.npy --words WORDS.txt --to OUT)'
    );
  }
  const protocol = pickleProtocol(head);
  if (protocol === undefined) return undefined;
  const cls = pickledClass(head.subarray(0, FOREIGN_SNIFF_BYTES));
  const what = cls?.startsWith('gensim.') ? `a gensim ${cls.slice(cls.lastIndexOf('.') + 1)} model (${cls})` : 'probably a gensim .model file';
  const start =
    `${path} is a Python pickle (protocol ${protocol}), ${what}, not a ${wanted === 'vectors' ? 'vector file' : 'fastText model'}. ` +
    'embedkit does not read pickles (loading one runs code named by the file).';
  if (wanted === 'subword-model' && cls === 'gensim.models.fasttext.FastText') {
    const { command, output } = gensimFastTextExportCommand(path);
    return `${start} Re-save it with gensim as a fastText model, n-grams included, into ${output}: ${command}`;
  }
  const { command, output } = gensimExportCommand(path);
  return `${start} Export its vectors with gensim into ${output} (word2vec binary, which embedkit reads): ${command}`;
}

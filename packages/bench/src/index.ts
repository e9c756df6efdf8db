/**
 * @embedkit/bench: the shared benchmark harness. Runs (task, method) pairs in their own
 * processes, measures wall and CPU time, peak memory, words/s and quality, and compares embedkit
 * with reference tools pair by pair.
 */

// Methods and tasks
export { registerMethod, listMethods, getMethod } from './method';
export type {
  BenchMethod,
  BenchTask,
  ExternalMethod,
  HarnessOptions,
  InProcessMethod,
  ItemTask,
  RunInput,
  RunReport,
  WordAlgorithm,
  WordTask,
  WordTaskSettings,
} from './method';
export { registerSuite, suiteNames, tasksOf, DEFAULT_SUITES } from './suites';
export type { Suite } from './suites';

// Running and measuring
export { runBenchmarks, summarise, ratios } from './runner';
export type { BenchEvent, BenchPlan, BenchResult, MethodSummary, Ratio, RunRecord, Spread } from './runner';
export { runMeasured, SYSTEM_PYTHON } from './measure';
export type { Measurement, RunOptions } from './measure';
export { evaluateWordVectors, findEvalSets } from './quality';
export type { EvalSets, WordQuality } from './quality';

// Reports
export { toMarkdown, toSvg } from './report';

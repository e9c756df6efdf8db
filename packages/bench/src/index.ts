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
export { defaultEvalDir, evaluateWordVectors, findEvalSets } from './quality';
export type { EvalSets, WordQuality } from './quality';

// Reports
export { toMarkdown, toSvg, updateMarkdownSection } from './report';

// The families comparison (issue 15): every embedding family on the article's six points
export { runFamilies } from './families/run';
export type { FamiliesEvent, FamiliesPlan, FamiliesResult, FamilyRowResult } from './families/run';
export { CONTEXTUAL_ROWS, DEFAULT_FAMILIES_SETTINGS, STATIC_ROWS } from './families/rows';
export type { ContextualEncoderKind, FamiliesSettings, FamilyRowSpec, StaticAlgorithm } from './families/rows';
export { buildFamiliesData, ERAS, heldOutSentences, isHeldOutAddress, trainingSentences } from './families/data';
export type { FamiliesData, FamiliesDataOptions } from './families/data';
export { measureEmbedder } from './families/measure-embedder';
export type { EmbedderMeasurement, EncodeCost, MeasureOptions, MeasureStep } from './families/measure-embedder';
export {
  centroidProbeAccuracy,
  locateWord,
  measureContext,
  measureCoverage,
  measureWordSimilarity,
  wordVectors,
} from './families/metrics';
export type { ContextResult, Coverage, WordSimilarityScore, WordVectors } from './families/metrics';
export { SENSE_ITEMS } from './families/senses';
export type { SenseItem } from './families/senses';
export { FAMILY_COLUMNS, familiesCells, familiesTable, familiesToMarkdown } from './families/report';
export { familiesModelProblem, familyRows, QUICK_SIZES, runFamiliesComparison, selectRows } from './families/comparison';
export type { FamiliesComparisonOptions } from './families/comparison';

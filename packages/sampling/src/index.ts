/**
 * @embedkit/sampling: the random parts of embedding training, shared by every trainer.
 * Seeded RNG, frequent-word subsampling, context windows and negative samplers.
 */

// Random numbers
export { Rng, createRng } from './rng';

// Frequent-word subsampling
export { keepProbability, keepThresholds } from './subsampling';

// Windows
export { WINDOW_MODES, effectiveWindow, contextRange, listSamples, listContextBags } from './windows';
export type { WindowMode, Sample, ContextBag, ListSamplesOptions } from './windows';

// Negative samplers
export { UnigramSampler, reviveUnigramSampler, reviveSampler } from './negative';
export type { NegativeSampler, WorkerSamplerSpec, UnigramSamplerState, UnigramSamplerOptions } from './negative';

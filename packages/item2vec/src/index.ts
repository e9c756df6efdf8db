/**
 * @embedkit/item2vec: item embeddings from user sessions (item2vec, prod2vec, Airbnb-style
 * listing embeddings) trained with @embedkit/word2vec, a recommender on top, and offline
 * evaluation next to the popularity and item-kNN baselines.
 */

// Errors
export type { Item2VecErrorCode } from './errors';

// Events
export { EventLog } from './event-log';
export type { InteractionEvent } from './event-log';
export { readEvents, parseTimestamp, formatFromPath, EVENT_FORMATS } from './events';
export type {
  ReadEventsOptions, ReadEventsResult, ReadEventsReport, BadRowExample, BadRowReason, EventColumns, ColumnRef,
  EventFormat, TimestampUnit,
} from './events';
export { eventPreset, EVENT_PRESETS } from './presets';
export type { EventPresetName, EventPresetOptions } from './presets';
export { forEachCsvRecord, sniffDelimiter, SNIFFED_DELIMITERS } from './csv';
export type { CsvRecordHandler } from './csv';

// Sessions
export { sessionize, DEFAULT_SESSION_GAP_MS } from './sessions';
export type { Session, SessionizeOptions, SessionizeResult, SessionizeStats } from './sessions';
export { encodeSessions } from './encode';
export type { EncodedSessions, EncodeSessionsOptions } from './encode';

// Training
export { trainItemEmbeddings, resolveTrainItemsOptions, word2vecOptionsFor, TRAINING_MODES, ITEM2VEC_DEFAULTS } from './train';
export type { TrainingMode, TrainItemsOptions, ResolvedTrainItemsOptions, ItemEmbeddingResult } from './train';
export { SameMarketSampler, reviveSameMarketSampler } from './same-market-sampler';
export type { SameMarketSamplerState } from './same-market-sampler';

// Recommending
export { Recommender, RECOMMEND_SCORINGS, RECOMMEND_DEFAULTS, contextMismatch } from './recommender';
export type { RecommenderOptions, ItemMetadata, SimilarItemsOptions, RecommendScoring } from './recommender';
export { PopularityRecommender, ItemKnnRecommender } from './baselines';
export type { BaselineOptions, ItemKnnOptions } from './baselines';
export { SessionKnnRecommender, SESSION_KNN_DEFAULTS, SESSION_KNN_WEIGHTINGS } from './session-knn';
export type { SessionKnnOptions, SessionKnnWeighting } from './session-knn';

// Evaluation
export { temporalSplit } from './split';
export type { EvaluationCase, TemporalSplit } from './split';
export {
  rankingMetrics, evaluateRecommender, rankCases, caseScores, CASE_METRICS, bootstrapIntervals, bootstrapInterval, pairedBootstrap,
  pairedDifferences, differenceVerdict, resolveBootstrapOptions,
} from './metrics';
export { compareRecommenders } from './compare';
export {
  tuneItem2Vec, tuningSplit, pairsPerEpoch, readItem2VecParams, writeItem2VecParams, parseItem2VecParams, DEFAULT_SEARCH_SPACE,
} from './tune';
export type {
  TuneOptions, TuneResult, TuneTrial, SearchSpace, Item2VecParams, TunedTrainSettings, TunedRecommendSettings,
} from './tune';
export type { CompareOptions, Comparison, MethodResult, MethodDifference } from './compare';
export type {
  RankingMetrics, Recommendation, RecommendOptions, SessionRecommender, EvaluateOptions, CaseRanks, CaseMetric, BootstrapOptions,
  ConfidenceInterval, PairedDifference,
} from './metrics';

// Synthetic data
export { generateMarketplace } from './marketplace';
export type { MarketplaceOptions, Marketplace, MarketplaceItem, MarketplaceGroup } from './marketplace';

// Long-term interest and real-time personalisation (Grbovic & Cheng 2018, sections 3.2 and 4.4)
export {
  trainTypeEmbeddings, buildBookingSequences, bucketOf, TypeBucketer, TypeEmbeddings, RejectionSampler, reviveRejectionSampler,
  TYPE_EMBEDDING_DEFAULTS, DEFAULT_PAST_BOOKING_CUTS,
} from './types';
export type {
  AttributeValue, TypeAttribute, TypeSchema, BookingRecord, ResolvedTypeAttribute, BookingSequences, RejectionSamplerState, TrainTypesOptions,
  TypeEmbeddingResult,
} from './types';
export { readBookings, parseTypeAttributes } from './bookings';
export type { BookingColumns, ReadBookingsOptions, ReadBookingsResult } from './bookings';
export { Personaliser, PERSONALISATION_FEATURES } from './personalisation';
export type { InteractionHistory, PersonalisationFeature, PersonaliserOptions, PersonalisationContext, PreparedHistory } from './personalisation';
export { buildFeatureTable, fitLogisticRanker, rankTargets, linearScores, compareRerankers, EMBEDDING_SIMILARITY } from './rerank';
export type {
  RerankCase, FeatureTable, LinearRanker, LogisticOptions, TieBreak, RankerSpec, CompareRerankersOptions, RerankerResult, RerankComparison,
} from './rerank';
export { skippedListings, marketplaceRerankCases, evaluateMarketplaceReranking, MARKETPLACE_LISTING_TRAINING, PERSONALISATION_RANKERS } from './personalisation-eval';
export type { MarketplaceCaseOptions, MarketplaceRerankOptions } from './personalisation-eval';
export { generateBookingMarketplace, listingKind, BOOKING_MARKETPLACE_SCHEMA } from './booking-marketplace';
export type {
  BookingMarketplaceOptions, BookingMarketplace, BookingListing, BookingUser, SearchClick, MarketplaceTrip,
} from './booking-marketplace';

/**
 * What the hosted embedding models cost, as read on the day given, with the page it was read on.
 * A figure we could not read on the provider's own page is `undefined` (unknown), with what we
 * found elsewhere in `note` — never a guess presented as a price. Prices change: check the page.
 */
import type { EmbedPrice } from '../embedder';

/** A price with the reason it is what it is (`note`: why a figure is unknown, or where a third-party figure was seen). */
export type PriceEntry = EmbedPrice;

/** The day the figures below were read. */
export const PRICES_CHECKED = '2026-12-07';

const OPENAI_MODEL_PAGE = 'https://developers.openai.com/api/docs/models/text-embedding-3-large';

/** USD per million input tokens, by `provider:model`. */
export const HOSTED_PRICES: Readonly<Record<string, PriceEntry>> = Object.freeze({
  'openai:text-embedding-3-small': {
    usdPerMillionTokens: 0.02,
    source: OPENAI_MODEL_PAGE,
    checked: PRICES_CHECKED,
    note: "from the page's quick comparison of the two models",
  },
  'openai:text-embedding-3-large': { usdPerMillionTokens: 0.13, source: OPENAI_MODEL_PAGE, checked: PRICES_CHECKED },
  'cohere:embed-v4.0': {
    usdPerMillionTokens: undefined,
    source: 'https://cohere.com/pricing',
    checked: PRICES_CHECKED,
    note: "Cohere's own pricing page was not among the pages we could read (its docs point to it); third-party catalogues quote $0.12 per 1M text tokens (not verified)",
  },
  'cohere:embed-english-v3.0': {
    usdPerMillionTokens: undefined,
    source: 'https://cohere.com/pricing',
    checked: PRICES_CHECKED,
    note: "Cohere's own pricing page was not among the pages we could read; third-party catalogues quote $0.10 per 1M tokens (not verified)",
  },
  'gemini:gemini-embedding-001': {
    usdPerMillionTokens: undefined,
    source: 'https://ai.google.dev/gemini-api/docs/pricing',
    checked: PRICES_CHECKED,
    note: "Google's pricing page was not among the pages we could read; third-party pages quote $0.15 per 1M input tokens on the paid tier, free of charge on the free tier (not verified)",
  },
  'vertex:text-embedding-005': {
    usdPerMillionTokens: undefined,
    source: 'https://cloud.google.com/vertex-ai/generative-ai/pricing',
    checked: PRICES_CHECKED,
    note: 'the Vertex AI pricing page was not among the pages we could read; third-party pages say text-embedding-005 is billed per character, about $0.025 per 1M characters (not verified, and not per token)',
  },
  'bedrock:amazon.titan-embed-text-v2:0': {
    usdPerMillionTokens: undefined,
    source: 'https://aws.amazon.com/bedrock/pricing/',
    checked: PRICES_CHECKED,
    note: "the Bedrock pricing page could be read only in part: its Titan Text Embeddings V2 row was not in what we could read (it bills embeddings per input token)",
  },
});

/** The entry for `provider:model`, or an unknown price pointing at the provider's page. */
export function priceOf(key: string, pricingPage: string): PriceEntry {
  return (
    HOSTED_PRICES[key] ?? {
      usdPerMillionTokens: undefined,
      source: pricingPage,
      checked: undefined,
      note: 'model not in our price table',
    }
  );
}

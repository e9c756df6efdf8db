/**
 * What the hosted embedding models cost, as read on the day given, with the page it was read on.
 * A figure we could not read on the provider's own page is `undefined` (unknown), with what we
 * found elsewhere in `note` — never a guess presented as a price. Prices change: check the page.
 */
import type { EmbedPrice } from '../embedder';

/** A price with the reason it is what it is. */
export interface PriceEntry extends EmbedPrice {
  /** Why a figure is unknown, or where a third-party figure was seen. */
  readonly note?: string;
}

/** The day the figures below were read. */
export const PRICES_CHECKED = '2026-12-04';

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
    note: "Cohere's own pricing page was not available to us; third-party pages quote $0.12 per 1M text tokens (not verified)",
  },
  'cohere:embed-english-v3.0': {
    usdPerMillionTokens: undefined,
    source: 'https://cohere.com/pricing',
    checked: PRICES_CHECKED,
    note: "Cohere's own pricing page was not available to us; a third-party page says it lists no self-serve rate for v3 models",
  },
  'gemini:gemini-embedding-001': {
    usdPerMillionTokens: undefined,
    source: 'https://ai.google.dev/gemini-api/docs/pricing',
    checked: PRICES_CHECKED,
    note: "Google's pricing page was not available to us; third-party catalogues quote $0.15 per 1M input tokens (paid tier, not verified)",
  },
  'vertex:text-embedding-005': {
    usdPerMillionTokens: undefined,
    source: 'https://cloud.google.com/vertex-ai/generative-ai/pricing',
    checked: PRICES_CHECKED,
    note: 'not verified: the Vertex AI pricing page was not available to us (Vertex bills some embedding models per character)',
  },
  'bedrock:amazon.titan-embed-text-v2:0': {
    usdPerMillionTokens: undefined,
    source: 'https://aws.amazon.com/bedrock/pricing/',
    checked: PRICES_CHECKED,
    note: 'not verified: the Bedrock pricing page was not available to us',
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

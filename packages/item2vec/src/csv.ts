// Delimited text (CSV, TSV, `;`- and `|`-separated) through papaparse: its dialect sniffer picks
// the delimiter from a sample, its RFC 4180 parser reads quoted fields (delimiters, doubled
// quotes and line breaks inside quotes) from a stream, chunk by chunk. This file adds what the
// event reader needs on top: physical line numbers for error messages, blank lines skipped,
// early stop, and a guard against an unbalanced quote swallowing the rest of a huge file.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { item2vecError } from './errors';
import { openText, rethrowReadError } from './input';

/** Delimiters the sniffer chooses from, in order of preference on ties. */
export const SNIFFED_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

/** A printable name for a delimiter, for messages: `","`, `";"`, `tab`, `"|"`. */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : JSON.stringify(delimiter);
}

/**
 * Guesses the delimiter of delimited text from a sample (its first complete lines, up to ten
 * records): the candidate of {@link SNIFFED_DELIMITERS} that gives the most consistent number
 * of fields (≥ 2) per record, ties going to more fields. `undefined` when none splits the
 * sample into ≥ 2 fields (a one-column file).
 */
export function sniffDelimiter(sample: string): string | undefined {
  let text = sample.charCodeAt(0) === 0xfeff ? sample.slice(1) : sample;
  const cut = text.lastIndexOf('\n');
  if (cut > 0) text = text.slice(0, cut);
  const result = Papa.parse<string[]>(text, { preview: 10, skipEmptyLines: true, delimitersToGuess: [...SNIFFED_DELIMITERS] });
  if (result.errors.some((e) => e.code === 'UndetectableDelimiter')) return undefined;
  return result.meta.delimiter;
}

/**
 * Called once per record with its fields, the 1-based physical line it starts on, and a quoting
 * problem papaparse reported for it (`undefined` when the record is well-formed). Return `true`
 * to stop reading.
 */
export type CsvRecordHandler = (fields: string[], line: number, quoteError: string | undefined) => boolean | void;

/**
 * Longest stretch of text without a complete record before the reader gives up: an unbalanced
 * quote otherwise makes the parser hold everything after it in one field.
 */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/**
 * Streams `text` through papaparse with a fixed `delimiter`, calling `onRecord` for every
 * non-blank record. Memory holds one chunk and the record being read, whatever the file size.
 * Rejects with `BAD_ROW` when a record runs longer than {@link MAX_RECORD_CHARS}.
 */
export function parseDelimited(text: Readable, delimiter: string, onRecord: CsvRecordHandler): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let line = 1;
    let first = true;
    let sinceRecord = 0;
    let settled = false;
    let parser: Papa.Parser | undefined;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      text.off('data', countChars);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    // Settle first: aborting makes papaparse call `complete`, which must not win.
    const stop = (error?: unknown): void => {
      finish(error);
      parser?.abort();
      text.destroy();
    };
    const countChars = (chunk: string): void => {
      sinceRecord += chunk.length;
      if (sinceRecord > MAX_RECORD_CHARS && !settled) {
        stop(item2vecError('BAD_ROW', `a record starting on line ${line} runs over ${MAX_RECORD_CHARS / 1024 / 1024} MiB without ending: probably an unbalanced quote ("); fix the quoting near that line`));
      }
    };
    text.on('data', countChars);
    Papa.parse<string[]>(text as unknown as Papa.LocalFile, {
      delimiter,
      skipEmptyLines: false,
      step(results, handle) {
        parser = handle;
        if (settled) return;
        sinceRecord = 0;
        const fields = results.data;
        if (first) {
          first = false;
          if (fields.length > 0 && fields[0]!.charCodeAt(0) === 0xfeff) fields[0] = fields[0]!.slice(1);
        }
        const start = line;
        line++;
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i]!;
          for (let at = f.indexOf('\n'); at !== -1; at = f.indexOf('\n', at + 1)) line++;
        }
        if (fields.length === 1 && fields[0] === '') return; // a blank line is not a record
        const quote = results.errors.find((e) => e.type === 'Quotes');
        try {
          if (onRecord(fields, start, quote === undefined ? undefined : quote.message) === true) stop();
        } catch (error) {
          stop(error);
        }
      },
      complete: () => finish(),
      error: (error: Error) => finish(error),
    });
  });
}

/** The sniffer's sample: enough for ten records of any realistic log. */
const SNIFF_CHARS = 64 * 1024;

/**
 * Takes the first `chars` characters of a text stream and gives back a stream of the whole text
 * (the sample, then the rest): the file is still read once.
 */
async function takeSample(text: Readable, chars: number): Promise<{ sample: string; text: Readable }> {
  const it = text[Symbol.asyncIterator]() as AsyncIterator<string>;
  const head: string[] = [];
  let size = 0;
  let ended = false;
  while (size < chars) {
    const r = await it.next();
    if (r.done === true) {
      ended = true;
      break;
    }
    head.push(r.value);
    size += r.value.length;
  }
  async function* all(): AsyncGenerator<string> {
    yield* head;
    head.length = 0;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield r.value;
    }
  }
  const whole = Readable.from(all());
  whole.on('close', () => text.destroy());
  return { sample: head.join(''), text: whole };
}

/**
 * Streams delimited text with a given delimiter, or `auto`: sniffed from the first 64 KiB
 * (`,` when nothing fits, i.e. one column). `onDelimiter` learns the delimiter before the
 * first record.
 */
export async function streamDelimited(
  text: Readable, delimiter: string, onDelimiter: (delimiter: string) => void, onRecord: CsvRecordHandler,
): Promise<void> {
  let input = text;
  let used = delimiter;
  if (used === 'auto') {
    const sampled = await takeSample(text, SNIFF_CHARS);
    input = sampled.text;
    used = sniffDelimiter(sampled.sample) ?? ',';
  }
  onDelimiter(used);
  await parseDelimited(input, used, onRecord);
}

/** A header line's columns by trimmed name. */
export interface HeaderIndex {
  /** 0-based position of each name (the first when a name repeats). */
  index: Map<string, number>;
  /** Names that occur more than once, with all their 0-based positions. */
  repeated: Map<string, number[]>;
}

/** Indexes a header line's fields by trimmed name, noting the names that repeat. */
export function indexHeader(fields: readonly string[]): HeaderIndex {
  const positions = new Map<string, number[]>();
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!.trim();
    const at = positions.get(name);
    if (at === undefined) positions.set(name, [i]);
    else at.push(i);
  }
  const index = new Map<string, number>();
  const repeated = new Map<string, number[]>();
  for (const [name, at] of positions) {
    index.set(name, at[0]!);
    if (at.length > 1) repeated.set(name, at);
  }
  return { index, repeated };
}

/**
 * `AMBIGUOUS_COLUMN` when a column the mapping names occurs more than once in the header: which
 * one holds the data cannot be told, so nothing is guessed.
 */
export function checkUnambiguous(path: string, header: HeaderIndex, name: string, what: string): void {
  const at = header.repeated.get(name);
  if (at === undefined) return;
  throw item2vecError(
    'AMBIGUOUS_COLUMN',
    `${path}: the header has ${at.length} columns named ${JSON.stringify(name)} (0-based positions ${at.join(', ')}), mapped as ${what}: which one to read is ambiguous; ` +
      'rename the duplicates in the header',
  );
}

/**
 * Calls `onRecord` for every record of a delimited file (gzipped or not), streaming: for
 * catalogues and other side files read next to an events log. Returns the delimiter used.
 *
 * @param options.delimiter - a delimiter, or `auto` (default): sniffed among `,` `;` tab `|`.
 * @throws EmbedkitError `BAD_FILE` for binary data or damaged gzip (see `openText`).
 */
export async function forEachCsvRecord(path: string, onRecord: CsvRecordHandler, options: { delimiter?: string } = {}): Promise<{ delimiter: string }> {
  const { text } = await openText(path);
  let used = ',';
  try {
    await streamDelimited(text, options.delimiter ?? 'auto', (d) => { used = d; }, onRecord);
  } catch (error) {
    rethrowReadError(error, path);
  } finally {
    text.destroy();
  }
  return { delimiter: used };
}

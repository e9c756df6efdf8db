/**
 * The item catalogue shown next to item recommendations: a MovieLens-style `movies.csv`
 * (`movieId,title,genres`, RFC 4180 quoting, e.g. `11,"American President, The (1995)",Comedy`).
 * The header names the columns, so `itemId`/`id` and extra columns are accepted too.
 */
import { readFile } from 'node:fs/promises';
import { EmbedkitError } from '@embedkit/errors';

/** One catalogue entry. */
export interface CatalogEntry {
  /** The item id, as it appears in the item vectors' labels. */
  readonly id: string;
  readonly title: string;
  /** Genres or categories, `|`-separated in MovieLens; empty when the file has none. */
  readonly genres: readonly string[];
}

/** Codes of the errors thrown while reading a catalogue. */
export type CatalogErrorCode = 'CATALOG_PARSE_ERROR';

/** Item id → entry. */
export type Catalog = ReadonlyMap<string, CatalogEntry>;

/**
 * Splits CSV text into records of fields (RFC 4180: quoted fields may hold commas, `""` and line
 * breaks). A trailing line break does not make an empty record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field.length === 0) {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field.length > 0 || fields.length > 0) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

/**
 * Reads a catalogue from CSV text with a header row naming an id column (`movieId`, `itemId` or
 * `id`), a `title` column and optionally `genres`.
 *
 * @throws EmbedkitError `CATALOG_PARSE_ERROR` when the header lacks those columns or a row is
 *   too short, naming the line.
 */
export function parseCatalog(text: string, source = 'catalogue'): Map<string, CatalogEntry> {
  const records = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const idColumn = header.findIndex((name) => name === 'movieid' || name === 'itemid' || name === 'id');
  const titleColumn = header.indexOf('title');
  const genresColumn = header.indexOf('genres');
  if (idColumn < 0 || titleColumn < 0) {
    throw new EmbedkitError<CatalogErrorCode>(
      'CATALOG_PARSE_ERROR',
      `${source}: the header must name an id column (movieId, itemId or id) and a title column, got ${JSON.stringify(records[0]?.join(',') ?? '')}. Use MovieLens's movies.csv (movieId,title,genres).`,
    );
  }
  const catalog = new Map<string, CatalogEntry>();
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as string[];
    if (record.length === 1 && record[0] === '') continue; // blank line
    const id = record[idColumn]?.trim();
    const title = record[titleColumn];
    if (id === undefined || id === '' || title === undefined) {
      throw new EmbedkitError<CatalogErrorCode>(
        'CATALOG_PARSE_ERROR',
        `${source}: record ${r + 1} has no ${id ? 'title' : 'id'} (${record.length} fields). Check the quoting of titles with commas.`,
      );
    }
    const genreText = genresColumn >= 0 ? (record[genresColumn] ?? '') : '';
    const genres = genreText === '' || genreText === '(no genres listed)' ? [] : genreText.split('|');
    catalog.set(id, { id, title: title.trim(), genres });
  }
  return catalog;
}

/** Reads a catalogue file (see {@link parseCatalog}). */
export async function loadCatalog(path: string): Promise<Map<string, CatalogEntry>> {
  const text = await readFile(path, 'utf8');
  return parseCatalog(text, path);
}

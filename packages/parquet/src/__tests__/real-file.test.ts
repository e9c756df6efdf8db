// A Parquet file written elsewhere (Apache Arrow's parquet-cpp, snappy, dictionary pages): the
// shared trivago sample, checked cell by cell against the CSV made from it. Skipped when the
// shared data are absent.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParquetFile } from '../index';

const DIR = new URL('../../../../../shared/data/sessions/trivago-100k/', import.meta.url).pathname;
const PARQUET = `${DIR}trivago_val_100k.parquet.snappy`;
const CSV = `${DIR}trivago_val_100k.csv`;
const present = existsSync(PARQUET) && existsSync(CSV);

/** RFC 4180 records (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  return records;
}

describe.skipIf(!present)('a Parquet file from parquet-cpp (shared trivago sample)', () => {
  it('reads every cell as the CSV made from it says', async () => {
    const [header, ...rows] = parseCsv(readFileSync(CSV, 'utf8'));
    const file = await ParquetFile.open(PARQUET);
    try {
      expect(file.columns.map((c) => c.name)).toEqual(header);
      expect(file.rowCount).toBe(rows.length);
      let offset = 0;
      for (let group = 0; group < file.rowGroupCount; group++) {
        const columns = await file.readRowGroup(group, header as string[]);
        for (let r = 0; r < file.rowGroupRows(group); r++) {
          const expected = rows[offset + r] as string[];
          for (let c = 0; c < columns.length; c++) {
            const value = (columns[c] as unknown[])[r];
            expect(value === null || value === undefined ? '' : String(value)).toBe(expected[c]);
          }
        }
        offset += file.rowGroupRows(group);
      }
      expect(offset).toBe(rows.length);
    } finally {
      await file.close();
    }
  });
});

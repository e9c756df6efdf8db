// A small RFC 4180 record splitter for streamed lines. Quoted fields may hold the delimiter,
// doubled quotes ("") and line breaks; the reader feeds lines and asks whether the record is
// complete, so a record spanning several physical lines is joined before it is split.

/**
 * Splits one CSV/TSV record into fields (RFC 4180: fields in double quotes may contain the
 * delimiter, `""` for a quote, and line breaks).
 *
 * Returns `undefined` when `text` ends inside a quoted field: the caller appends the next line
 * (with `\n`) and calls again. Quotes in the middle of an unquoted field are kept literally, as
 * most real-world writers expect.
 */
export function splitCsvRecord(text: string, delimiter: string): string[] | undefined {
  // Fast path: most rows of real logs have no quotes at all.
  if (text.indexOf('"') === -1) return text.split(delimiter);
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (i < n && text.charCodeAt(i) === 34 /* " */) {
      // Quoted field: read to the closing quote, unescaping "".
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return undefined; // record continues on the next line
        value += text.slice(j, q);
        if (q + 1 < n && text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept (lenient).
      const d = text.indexOf(delimiter, j);
      if (d === -1) {
        fields.push(value + text.slice(j));
        return fields;
      }
      fields.push(value + text.slice(j, d));
      i = d + delimiter.length;
    } else {
      const d = text.indexOf(delimiter, i);
      if (d === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, d));
      i = d + delimiter.length;
    }
  }
}

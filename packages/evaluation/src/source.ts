/**
 * Turns the `pathOrText` argument of the evaluators into text.
 *
 * A string containing a line break is the file's content; any other string is a path. That keeps
 * the common calls short (`evaluateAnalogies(e, 'questions-words.txt')`) while tests and
 * browsers can pass the content itself.
 */
import { readFile } from 'node:fs/promises';
import { evaluationError } from './errors';

/** True when `pathOrText` is to be read as the content of a file rather than its path. */
export function isInlineText(pathOrText: string): boolean {
  return pathOrText.includes('\n');
}

/** The text of `pathOrText` (UTF-8, byte-order mark removed). */
export async function readSource(pathOrText: string, what: string): Promise<string> {
  if (typeof pathOrText !== 'string') {
    throw new TypeError(`${what}: expected a path or the file's text as a string, got ${typeof pathOrText}`);
  }
  if (isInlineText(pathOrText)) return stripBom(pathOrText);
  if (pathOrText.length === 0) {
    throw new TypeError(`${what}: the path is empty; pass a file path or the file's text`);
  }
  let text: string;
  try {
    text = await readFile(pathOrText, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw evaluationError(
        'FILE_NOT_FOUND',
        `${what} file not found: ${pathOrText}. Check the path (relative paths start at ${process.cwd()}).`,
        error,
      );
    }
    throw evaluationError('READ_ERROR', `Cannot read ${what} file ${pathOrText}: ${(error as Error).message}`, error);
  }
  return stripBom(text);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

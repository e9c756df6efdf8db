// File checks shared by the readers: turn the operating system's errors into typed, clear errors
// before any reading starts.
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { tokenizerError } from './errors';

/** Checks that `path` names a readable regular file and returns its stats. */
export async function checkReadableFile(path: string): Promise<Stats> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`path must be a non-empty string, got ${JSON.stringify(path)}`);
  }
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw tokenizerError('FILE_NOT_FOUND', `File not found: ${path}`, error);
    }
    throw tokenizerError('READ_ERROR', `Cannot read ${path}: ${(error as Error).message}`, error);
  }
  if (stats.isDirectory()) {
    throw tokenizerError('NOT_A_FILE', `${path} is a directory; give the path of a text file`);
  }
  if (!stats.isFile() && !stats.isFIFO() && !stats.isCharacterDevice()) {
    throw tokenizerError('NOT_A_FILE', `${path} is not a regular file`);
  }
  return stats;
}

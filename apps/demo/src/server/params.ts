/**
 * Validation of the web page's query parameters. Every API route reads its parameters through
 * {@link QueryReader}, which refuses unknown and repeated names, over-long values, control
 * characters and numbers out of range with an {@link HttpError} (status 400) whose message names
 * the parameter, the value (shortened) and what is allowed. Nothing from a request ever reaches
 * the file system or a stack trace.
 */

/** An error the server answers with `status` and `{ "error": message }` (plus `extra` fields). */
export class HttpError extends Error {
  constructor(
    /** HTTP status code: 400 bad parameter, 404 unknown word or route, 405 wrong method, … */
    readonly status: number,
    message: string,
    /** More JSON fields for the page, e.g. `{ suggestion: 'queen' }`. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Longest word, item id or search text accepted, in UTF-16 code units. */
export const MAX_TEXT_LENGTH = 200;

// C0/C1 control characters (including NUL, CR, LF): never part of a label worth looking up.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DIGITS = /^[0-9]{1,9}$/;

/** Shortens a value for an error message, so a 10k-character parameter is not echoed back. */
export function preview(value: string, max = 40): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/** Reads and validates the query parameters of one request. */
export class QueryReader {
  private readonly params: URLSearchParams;

  /**
   * @param allowed every parameter name the route accepts; any other name is refused.
   * @throws HttpError 400 for an unknown or repeated parameter.
   */
  constructor(params: URLSearchParams, allowed: readonly string[]) {
    this.params = params;
    const seen = new Set<string>();
    for (const name of params.keys()) {
      if (!allowed.includes(name)) {
        const list = allowed.length === 0 ? 'none' : allowed.join(', ');
        throw new HttpError(400, `Unknown parameter ${preview(name)}: this route accepts ${list}.`);
      }
      if (seen.has(name)) throw new HttpError(400, `Parameter '${name}' is given more than once.`);
      seen.add(name);
    }
  }

  /**
   * A text parameter: trimmed, 1 to `maxLength` characters, no control characters.
   * @throws HttpError 400 when it is missing, empty or invalid.
   */
  text(name: string, maxLength = MAX_TEXT_LENGTH): string {
    const value = this.optionalText(name, maxLength);
    if (value === undefined) throw new HttpError(400, `Parameter '${name}' is required.`);
    return value;
  }

  /** Like {@link text}, but `undefined` when the parameter is absent. An empty value is refused. */
  optionalText(name: string, maxLength = MAX_TEXT_LENGTH): string | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    const value = raw.trim();
    if (value.length === 0) throw new HttpError(400, `Parameter '${name}' is empty.`);
    if (value.length > maxLength) {
      throw new HttpError(400, `Parameter '${name}' is too long (${value.length} characters; at most ${maxLength}).`);
    }
    if (CONTROL.test(value)) throw new HttpError(400, `Parameter '${name}' contains control characters.`);
    return value;
  }

  /**
   * An integer parameter in [min, max] written with digits only (no sign, exponent or
   * fraction); `fallback` when absent.
   * @throws HttpError 400 when it is not such an integer.
   */
  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.params.get(name);
    if (raw === null) return fallback;
    const value = DIGITS.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new HttpError(400, `Parameter '${name}' must be an integer from ${min} to ${max}, got ${preview(raw, 20)}.`);
    }
    return value;
  }

  /**
   * One of `choices`; `fallback` when absent.
   * @throws HttpError 400 for any other value.
   */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.params.get(name);
    if (raw === null) return fallback;
    const found = choices.find((choice) => choice === raw);
    if (found === undefined) {
      throw new HttpError(400, `Parameter '${name}' must be one of ${choices.join(', ')}, got ${preview(raw, 20)}.`);
    }
    return found;
  }

  /**
   * A comma-separated list of 1 to `maxCount` distinct texts, each valid as for {@link text}.
   * @throws HttpError 400 when it is missing, too long or holds an invalid entry.
   */
  list(name: string, maxCount: number, maxLength = MAX_TEXT_LENGTH): string[] {
    const raw = this.params.get(name);
    if (raw === null) throw new HttpError(400, `Parameter '${name}' is required.`);
    // Bound the work before splitting: a list can never be longer than this.
    const limit = maxCount * (maxLength + 1);
    if (raw.length > limit) {
      throw new HttpError(400, `Parameter '${name}' is too long (${raw.length} characters; at most ${limit}).`);
    }
    const values: string[] = [];
    for (const part of raw.split(',')) {
      const value = part.trim();
      if (value.length === 0) continue;
      if (value.length > maxLength) {
        throw new HttpError(400, `An entry of '${name}' is too long (${value.length} characters; at most ${maxLength}).`);
      }
      if (CONTROL.test(value)) throw new HttpError(400, `Parameter '${name}' contains control characters.`);
      if (!values.includes(value)) values.push(value);
    }
    if (values.length === 0) throw new HttpError(400, `Parameter '${name}' is empty.`);
    if (values.length > maxCount) {
      throw new HttpError(400, `Parameter '${name}' has ${values.length} entries; at most ${maxCount}.`);
    }
    return values;
  }
}

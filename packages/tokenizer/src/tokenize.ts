// tokenize(): text → tokens. (First version: whitespace split with lowercase; the Unicode-aware
// version follows.)

/** Options for {@link tokenize}. */
export interface TokenizeOptions {
  /** Lower-case tokens (locale-independent `toLowerCase`). Default true. */
  lowercase?: boolean;
}

/** Splits `text` into tokens. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const lowercase = options.lowercase ?? true;
  const out: string[] = [];
  for (const part of text.split(/\s+/u)) {
    if (part.length > 0) out.push(lowercase ? part.toLowerCase() : part);
  }
  return out;
}

/**
 * "Did you mean …?" for unknown words: the closest label by optimal-string-alignment distance
 * (Levenshtein plus adjacent transpositions), at most 2 edits. Runs only on the error path, and
 * stays cheap on a 3M-word vocabulary: only the first {@link SUGGESTION_SCAN_LIMIT} labels are
 * searched, labels whose length differs by more than the bound are skipped without work, and each
 * comparison stops as soon as a whole DP row exceeds the bound.
 */

/** Maximum number of edits for a suggestion. */
const MAX_EDITS = 2;

/**
 * Only the first (most frequent) labels are searched: bounded cost on any vocabulary (a few ms),
 * since callers may probe many unknown words, and a frequent word is the likelier intent anyway.
 */
export const SUGGESTION_SCAN_LIMIT = 50_000;

// Scripts told apart for suggestions; a letter of any other script counts as 'other'.
const SCRIPTS: readonly RegExp[] = [
  /\p{sc=Latin}/u, /\p{sc=Greek}/u, /\p{sc=Cyrillic}/u, /\p{sc=Armenian}/u, /\p{sc=Hebrew}/u, /\p{sc=Arabic}/u,
  /\p{sc=Devanagari}/u, /\p{sc=Bengali}/u, /\p{sc=Tamil}/u, /\p{sc=Thai}/u, /\p{sc=Lao}/u, /\p{sc=Khmer}/u,
  /\p{sc=Myanmar}/u, /\p{sc=Georgian}/u, /\p{sc=Hangul}/u, /\p{sc=Hiragana}/u, /\p{sc=Katakana}/u, /\p{sc=Han}/u,
];
const LETTER = /\p{L}/u;

/** The scripts of the letters of `text` (indexes into SCRIPTS; SCRIPTS.length for any other). */
function scriptsOf(text: string): Set<number> {
  const scripts = new Set<number>();
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    const k = SCRIPTS.findIndex((script) => script.test(ch));
    scripts.add(k < 0 ? SCRIPTS.length : k);
  }
  return scripts;
}

/** True when every letter of `label` is in a script that `word`'s letters use. */
function sameScripts(word: Set<number>, label: string): boolean {
  for (const k of scriptsOf(label)) if (!word.has(k)) return false;
  return true;
}

/**
 * Returns the label closest to `word` within {@link MAX_EDITS} edits (ties: the earliest label,
 * i.e. the most frequent), or undefined when none is that close. A suggestion keeps at least one
 * character of the word and writes its letters in the word's scripts: a Chinese word on an
 * English model gets no "did you mean 'of'".
 */
export function nearestSpelling(word: string, labels: readonly string[]): string | undefined {
  const n = word.length;
  if (n === 0) return undefined;
  // Three DP rows over the candidate's characters, sized for the longest candidate accepted.
  const width = n + MAX_EDITS + 1;
  let prev2 = new Int32Array(width);
  let prev = new Int32Array(width);
  let cur = new Int32Array(width);
  const lower = word.toLowerCase();
  const wordScripts = scriptsOf(word);
  let best: string | undefined;
  let bestDistance = MAX_EDITS + 1;
  const end = Math.min(labels.length, SUGGESTION_SCAN_LIMIT);
  for (let index = 0; index < end; index++) {
    const label = labels[index] as string;
    const m = label.length;
    if (Math.abs(m - n) >= bestDistance) continue;
    // A different case only is the best possible suggestion.
    if (m === n && label.toLowerCase() === lower) return label;
    // Rows run over `word` (i), columns over `label` (j).
    for (let j = 0; j <= m; j++) prev[j] = j;
    let distance = MAX_EDITS + 1;
    let i = 1;
    for (; i <= n; i++) {
      cur[0] = i;
      let rowMin = i;
      const wi = word.charCodeAt(i - 1);
      for (let j = 1; j <= m; j++) {
        const lj = label.charCodeAt(j - 1);
        const cost = wi === lj ? 0 : 1;
        let d = (prev[j - 1] as number) + cost;
        const del = (prev[j] as number) + 1;
        if (del < d) d = del;
        const ins = (cur[j - 1] as number) + 1;
        if (ins < d) d = ins;
        if (i > 1 && j > 1 && wi === label.charCodeAt(j - 2) && word.charCodeAt(i - 2) === lj) {
          const tr = (prev2[j - 2] as number) + 1;
          if (tr < d) d = tr;
        }
        cur[j] = d;
        if (d < rowMin) rowMin = d;
      }
      if (rowMin >= bestDistance) break;
      const t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    if (i > n) distance = prev[m] as number;
    // Replacing every character is no spelling fix; nor is a word of another script.
    if (distance < bestDistance && distance < n && sameScripts(wordScripts, label)) {
      bestDistance = distance;
      best = label;
      if (distance <= 1) {
        // Keep scanning only for a 0-distance case-insensitive match? Not worth it: 1 edit is
        // as good a hint as any, and stopping early keeps the error path fast.
        break;
      }
    }
  }
  return best;
}

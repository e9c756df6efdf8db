// Small helpers the item2vec benchmark scripts share: their flag reading and the median they quote.

/**
 * `--name value` pairs (a leading `-` or `--`), over `defaults`; names in `switches` take no value
 * and become `true`.
 */
export function parseArgs(argv, defaults = {}, switches = []) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--?/, '');
    out[name] = switches.includes(name) ? true : argv[++i];
  }
  return out;
}

/** The median (the mean of the two middle values for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Debian's fastText (`fasttext`) in word2vec mode: `-maxn 0` turns subwords off, so it trains the
 * same skip-gram / CBOW model as the C tool, with its own fast C++ loop.
 */
import { existsSync } from 'node:fs';
import { registerMethod } from '../method';

const FASTTEXT = '/usr/bin/fasttext';

registerMethod({
  id: 'fasttext',
  label: 'fastText',
  reference: true,
  runs: 'external',
  supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'skipgram' || task.settings.algorithm === 'cbow'),
  unavailableReason: () => (existsSync(FASTTEXT) ? null : 'fastText is not installed (apt-get install fasttext)'),
  command: ({ task, inputPath, outputPath, seed }) => {
    if (task.kind !== 'words') throw new Error('word tasks only');
    const s = task.settings;
    // fastText writes PREFIX.vec (and PREFIX.bin, which the runner's clean-up removes).
    const prefix = outputPath.replace(/\.vec$/u, '');
    const alpha = s.alpha ?? (s.algorithm === 'cbow' ? 0.05 : 0.025);
    void seed; // fastText's CLI has no seed option; it seeds each thread with its thread id
    return {
      command: FASTTEXT,
      args: [
        s.algorithm, '-input', inputPath, '-output', prefix, '-dim', String(s.dim), '-ws', String(s.window),
        '-epoch', String(s.epochs), '-minCount', String(s.minCount), '-neg', String(Math.max(s.negative, 1)),
        '-loss', s.hs ? 'hs' : 'ns', '-t', String(s.sample), '-thread', String(s.threads), '-lr', String(alpha),
        '-minn', '0', '-maxn', '0', '-verbose', '1',
      ],
    };
  },
  parseReport: () => ({}),
});


/** The original word2vec.c, when its binary is given with `--word2vec-bin PATH`. */
import { existsSync } from 'node:fs';
import { registerMethod } from '../method';

registerMethod({
  id: 'word2vec-c',
  label: 'word2vec.c',
  reference: true,
  runs: 'external',
  supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'skipgram' || task.settings.algorithm === 'cbow'),
  unavailableReason: (options) => {
    if (!options.word2vecBin) return 'no --word2vec-bin given';
    return existsSync(options.word2vecBin) ? null : `${options.word2vecBin} does not exist`;
  },
  command: ({ task, inputPath, outputPath }, options) => {
    if (task.kind !== 'words') throw new Error('word tasks only');
    const s = task.settings;
    const alpha = s.alpha ?? (s.algorithm === 'cbow' ? 0.05 : 0.025);
    return {
      command: options.word2vecBin as string,
      args: [
        '-train', inputPath, '-output', outputPath, '-size', String(s.dim), '-window', String(s.window),
        '-sample', String(s.sample), '-hs', s.hs ? '1' : '0', '-negative', String(s.negative),
        '-threads', String(s.threads), '-iter', String(s.epochs), '-min-count', String(s.minCount),
        '-alpha', String(alpha), '-cbow', s.algorithm === 'cbow' ? '1' : '0', '-binary', '0',
      ],
    };
  },
});

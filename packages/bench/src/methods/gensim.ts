/** gensim's Word2Vec (Debian's python3-gensim), the reference for speed and quality. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerMethod, type RunReport } from '../method';
import { SYSTEM_PYTHON } from '../measure';
import { parseReportLine } from '../report-line';

let gensimVersion: string | null | undefined;
function detectGensim(): string | null {
  if (gensimVersion === undefined) {
    const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import gensim; print(gensim.__version__)'], { encoding: 'utf8' });
    gensimVersion = probe.status === 0 ? probe.stdout.trim() : null;
  }
  return gensimVersion;
}

const script = fileURLToPath(new URL('../python/gensim_word2vec.py', import.meta.url));

/**
 * How gensim reads the corpus. `corpus_file` is its fastest path (each worker reads its own part of
 * the file), the speed reference. Its learning rate is not the documented linear decay with more
 * than one worker: each worker measures its progress against the whole epoch, so alpha falls by
 * only 1/workers of an epoch's share and jumps back at the next epoch. `iterable` (a
 * `LineSentence` fed to the workers) decays alpha linearly over all words, as the C tool and
 * embedkit do, so it is the like-for-like quality reference.
 */
type GensimInput = 'corpus_file' | 'iterable';

function registerGensim(id: string, input: GensimInput): void {
  registerMethod({
    id,
    get label() {
      const name = `gensim ${detectGensim() ?? ''}`.trim();
      return input === 'corpus_file' ? name : `${name} (iterable)`;
    },
    reference: true,
    runs: 'external',
    supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'skipgram' || task.settings.algorithm === 'cbow'),
    unavailableReason: () => (detectGensim() ? null : `gensim is not installed for ${SYSTEM_PYTHON} (apt-get install python3-gensim)`),
    command: ({ task, inputPath, outputPath, seed }) => {
      if (task.kind !== 'words') throw new Error('word tasks only');
      return { command: SYSTEM_PYTHON, args: [script, inputPath, outputPath, JSON.stringify(task.settings), String(seed), input] };
    },
    parseReport: (stdout: string): RunReport => parseReportLine(stdout),
  });
}

registerGensim('gensim', 'corpus_file');
registerGensim('gensim-iterable', 'iterable');

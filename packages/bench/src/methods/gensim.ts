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

registerMethod({
  id: 'gensim',
  get label() {
    return `gensim ${detectGensim() ?? ''}`.trim();
  },
  reference: true,
  runs: 'external',
  supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'skipgram' || task.settings.algorithm === 'cbow'),
  unavailableReason: () => (detectGensim() ? null : `gensim is not installed for ${SYSTEM_PYTHON} (apt-get install python3-gensim)`),
  command: ({ task, inputPath, outputPath, seed }) => {
    if (task.kind !== 'words') throw new Error('word tasks only');
    return { command: SYSTEM_PYTHON, args: [script, inputPath, outputPath, JSON.stringify(task.settings), String(seed)] };
  },
  parseReport: (stdout: string): RunReport => parseReportLine(stdout),
});

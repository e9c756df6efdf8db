/** embedkit's count-based vectors: PPMI + randomized truncated SVD, and GloVe. */
import { AS_WRITTEN, Corpus } from '@embedkit/tokenizer';
import { registerMethod } from '../method';

registerMethod({
  id: 'embedkit-cooccurrence',
  label: 'embedkit',
  reference: false,
  runs: 'in-process',
  supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'ppmi-svd' || task.settings.algorithm === 'glove'),
  unavailableReason: () => null,
  async train({ task, inputPath, outputPath, seed }) {
    if (task.kind !== 'words') throw new Error('word tasks only');
    const { trainGlove, trainPpmiSvd } = await import('@embedkit/cooccurrence');
    const s = task.settings;
    const corpus = await Corpus.fromFile(inputPath, { ...AS_WRITTEN, minCount: s.minCount });
    const vocabulary = { ...(s.maxVocab === undefined ? {} : { maxVocab: s.maxVocab }), minCount: s.minCount };
    const { embeddings } =
      s.algorithm === 'ppmi-svd'
        ? trainPpmiSvd(corpus, { window: s.window, dim: s.dim, seed, ...vocabulary })
        : await trainGlove(corpus, {
            window: s.window,
            dim: s.dim,
            iterations: s.epochs,
            threads: s.threads,
            seed,
            ...(s.xMax === undefined ? {} : { xMax: s.xMax }),
            ...vocabulary,
          });
    await embeddings.save(outputPath, { format: 'word2vec-text' });
    return { notes: `${embeddings.size} words` };
  },
});

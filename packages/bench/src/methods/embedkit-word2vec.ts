/** embedkit's word2vec trainer: skip-gram and CBOW, negative sampling and hierarchical softmax. */
import { AS_WRITTEN, Corpus } from '@embedkit/tokenizer';
import { registerMethod } from '../method';

registerMethod({
  id: 'embedkit-word2vec',
  label: 'embedkit',
  reference: false,
  runs: 'in-process',
  supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'skipgram' || task.settings.algorithm === 'cbow'),
  unavailableReason: () => null,
  async train({ task, inputPath, outputPath, seed }) {
    if (task.kind !== 'words') throw new Error('word tasks only');
    const { trainWord2Vec } = await import('@embedkit/word2vec');
    const s = task.settings;
    // Workers read the ids from shared memory: encode them there directly (no second copy).
    const corpus = await Corpus.fromFile(inputPath, { ...AS_WRITTEN, minCount: s.minCount, shared: s.threads > 1 });
    const { embeddings } = await trainWord2Vec(corpus, {
      model: s.algorithm === 'cbow' ? 'cbow' : 'skipgram',
      dim: s.dim,
      window: s.window,
      negative: s.negative,
      hs: s.hs,
      sample: s.sample,
      epochs: s.epochs,
      threads: s.threads,
      seed,
      ...(s.alpha === undefined ? {} : { alpha: s.alpha }),
    });
    await embeddings.save(outputPath, { format: 'word2vec-text' });
    return { notes: `${corpus.vocabulary.size} words` };
  },
});

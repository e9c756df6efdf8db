/** embedkit's TensorFlow.js trainer (the article's two-matrix model), on the best backend here. */
import { AS_WRITTEN, Corpus } from '@embedkit/tokenizer';
import { registerMethod } from '../method';

registerMethod({
  id: 'embedkit-tfjs',
  label: 'embedkit tfjs',
  reference: false,
  runs: 'in-process',
  supports: (task) => task.kind === 'words' && task.settings.algorithm === 'tfjs-skipgram',
  unavailableReason: () => null,
  async train({ task, inputPath, outputPath, seed }) {
    if (task.kind !== 'words') throw new Error('word tasks only');
    const { trainWord2VecTfjs } = await import('@embedkit/word2vec-tfjs');
    const s = task.settings;
    const corpus = await Corpus.fromFile(inputPath, { ...AS_WRITTEN, minCount: s.minCount });
    const result = await trainWord2VecTfjs(corpus, {
      model: 'skipgram',
      dim: s.dim,
      window: s.window,
      negative: s.negative,
      sample: s.sample,
      epochs: s.epochs,
      seed,
      // The settings of the C tool's update (SGD, linear decay), touching only the rows a batch
      // uses: the fastest way TensorFlow.js trains this model (see the package's benchmarks).
      optimizer: 'sgd',
      updates: 'sparse',
    });
    await result.embeddings.save(outputPath, { format: 'word2vec-text' });
    return { notes: result.backendDescription };
  },
});

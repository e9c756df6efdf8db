/**
 * embedkit's word2vec trainer: skip-gram and CBOW, negative sampling and hierarchical softmax,
 * on the corpus loaded into memory (`embedkit-word2vec`) or streamed from its file at every
 * epoch (`embedkit-word2vec-stream`, the CLI's `-stream 1`: flat memory, as gensim's corpus_file).
 */
import { AS_WRITTEN, Corpus, StreamingCorpus } from '@embedkit/tokenizer';
import { registerMethod } from '../method';

function registerWord2Vec(id: string, label: string, stream: boolean): void {
  registerMethod({
    id,
    label,
    reference: false,
    runs: 'in-process',
    supports: (task) => task.kind === 'words' && (task.settings.algorithm === 'skipgram' || task.settings.algorithm === 'cbow'),
    unavailableReason: () => null,
    async train({ task, inputPath, outputPath, seed }) {
      if (task.kind !== 'words') throw new Error('word tasks only');
      const { trainWord2Vec } = await import('@embedkit/word2vec');
      const s = task.settings;
      // Loaded: workers read the ids from shared memory, so encode them there directly (no
      // second copy). Streamed: the vocabulary pass only; each worker reads its own byte range.
      const corpus = stream
        ? await StreamingCorpus.open(inputPath, { ...AS_WRITTEN, minCount: s.minCount })
        : await Corpus.fromFile(inputPath, { ...AS_WRITTEN, minCount: s.minCount, shared: s.threads > 1 });
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
      return { notes: `${corpus.vocabulary.size} words${stream ? ', streamed' : ''}` };
    },
  });
}

registerWord2Vec('embedkit-word2vec', 'embedkit', false);
registerWord2Vec('embedkit-word2vec-stream', 'embedkit -stream 1', true);

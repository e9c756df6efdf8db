# One gensim training run for the benchmark, same settings as run-ours.mjs.
# Times the whole training: vocabulary pass (build_vocab) + training, over LineSentence (a line is
# a sentence, cut at 10000 tokens, as our reader). Saving is not timed.
# Usage: /usr/bin/python3 run_gensim.py INPUT OUTPUT.bin sg|cbow THREADS HS NEGATIVE SAMPLE ITER MINCOUNT DIM WINDOW ALPHA SEED
import json, resource, sys, time
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

inp, out, model, threads, hs, negative, sample, it, min_count, dim, window, alpha, seed = sys.argv[1:]
c0 = time.process_time()
t0 = time.perf_counter()
sentences = LineSentence(inp)
m = Word2Vec(vector_size=int(dim), window=int(window), min_count=int(min_count), workers=int(threads),
             sg=1 if model == 'sg' else 0, hs=int(hs), negative=int(negative), sample=float(sample),
             alpha=float(alpha), epochs=int(it), seed=int(seed))
m.build_vocab(sentences)
t1 = time.perf_counter()
m.train(sentences, total_examples=m.corpus_count, epochs=m.epochs)
t2 = time.perf_counter()
c1 = time.process_time()
m.wv.save_word2vec_format(out, binary=True)
tokens = m.corpus_total_words
print(json.dumps({'tool': 'gensim', 'seconds': t2 - t0, 'vocabSeconds': t1 - t0, 'trainSeconds': t2 - t1,
                  'cpuSeconds': c1 - c0, 'tokens': tokens, 'vocabulary': len(m.wv),
                  'wordsPerSecond': tokens * int(it) / (t2 - t0)}))

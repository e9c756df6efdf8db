"""gensim's Word2Vec with the harness's settings, for side-by-side benchmarks.

Usage: gensim_word2vec.py CORPUS OUTPUT.vec JSON_SETTINGS SEED [corpus_file|iterable]
Reads the corpus with gensim's corpus_file path (its fastest; the default) or as a LineSentence
iterable (whose learning rate decays linearly over all words, see methods/gensim.ts), writes
word2vec text vectors, prints a one-line JSON report last.
"""
import json
import sys

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

corpus, output, settings, seed = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
reader = sys.argv[5] if len(sys.argv) > 5 else "corpus_file"
if reader not in ("corpus_file", "iterable"):
    sys.exit("gensim_word2vec.py: the reader must be corpus_file or iterable, got %r" % reader)
sg = settings["algorithm"] == "skipgram"
kwargs = dict(
    vector_size=settings["dim"],
    window=settings["window"],
    negative=settings["negative"],
    hs=1 if settings["hs"] else 0,
    sample=settings["sample"],
    min_count=settings["minCount"],
    epochs=settings["epochs"],
    workers=settings["threads"],
    sg=1 if sg else 0,
    seed=seed,
)
if settings.get("alpha") is not None:
    kwargs["alpha"] = settings["alpha"]
elif not sg:
    kwargs["alpha"] = 0.05  # the C tool's CBOW default, which embedkit also uses
if reader == "corpus_file":
    kwargs["corpus_file"] = corpus
else:
    kwargs["sentences"] = LineSentence(corpus)
model = Word2Vec(**kwargs)
model.wv.save_word2vec_format(output)
print("\n@@report " + json.dumps({"notes": "%d words, %s" % (len(model.wv), reader)}))

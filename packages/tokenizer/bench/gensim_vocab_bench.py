#!/usr/bin/env python3
"""gensim side of the vocabulary-pass benchmark (see ../BENCHMARKS-vocab.md).

Usage: /usr/bin/python3 gensim_vocab_bench.py FILE [corpus_file|linesentence]

Builds the vocabulary of FILE with gensim's Word2Vec(min_count=5).build_vocab, reading either
with corpus_file=FILE (default) or a LineSentence iterator, and prints one JSON line with the
token count, distinct words, kept words and the time spent inside build_vocab.
"""
import io
import json
import logging
import re
import sys
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


LOG = io.StringIO()


def distinct_from_log():
    # build_vocab frees raw_vocab; its log line keeps the number of distinct words.
    m = re.search(r"collected (\d+) word types", LOG.getvalue())
    return int(m.group(1)) if m else None


def main(argv):
    path = argv[0]
    how = argv[1] if len(argv) > 1 else "corpus_file"
    model = Word2Vec(min_count=5)
    t0 = time.perf_counter()
    if how == "corpus_file":
        model.build_vocab(corpus_file=path)
    else:
        model.build_vocab(LineSentence(path))
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "tool": "gensim " + how,
        "tokens": model.corpus_total_words,
        "sentences": model.corpus_count,
        "distinct": distinct_from_log(),
        "kept": len(model.wv.index_to_key),
        "seconds": round(seconds, 3),
    }))
    return 0


if __name__ == "__main__":
    logging.basicConfig(stream=LOG, level=logging.INFO)
    sys.exit(main(sys.argv[1:]))

"""gensim side of the mostSimilar benchmark (run with /usr/bin/python3, which has gensim).

  gensim_most_similar.py FILE TOPN WORD [WORD …]

Loads the word2vec binary FILE, times the first most_similar (which also computes gensim's norm
cache, as our first query does) and then one most_similar per WORD, and prints JSON.
"""
import json
import sys
import time

from gensim.models import KeyedVectors

path, topn, words = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
start = time.perf_counter()
kv = KeyedVectors.load_word2vec_format(path, binary=True)
load = time.perf_counter() - start

start = time.perf_counter()
kv.most_similar(positive=[words[0]], topn=topn)
first = time.perf_counter() - start

times, results = [], []
for word in words:
    start = time.perf_counter()
    result = kv.most_similar(positive=[word], topn=topn)
    times.append(time.perf_counter() - start)
    results.append(result)

print(json.dumps({'loadSeconds': load, 'firstQuerySeconds': first, 'querySeconds': times, 'results': results}))

"""Evaluates word2vec-text vector files with gensim, identically for embedkit and the reference:
Google analogies (3CosAdd, restricted to the 30k most frequent words, gensim's
evaluate_word_analogies: questions with a word outside the 30k are skipped), WordSim-353 and
SimLex-999 Spearman rho (evaluate_word_pairs, OOV pairs skipped, lower-cased).
  /usr/bin/python3 bench/evaluate.py FILE... > results.json
"""
import json
import os
import sys
import logging

from gensim.models import KeyedVectors

logging.disable(logging.WARNING)
here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.normpath(os.path.join(here, '../../../../shared/data'))
analogy = os.path.join(shared, 'eval/google-analogy/questions-words.txt')
wordsim = os.path.join(shared, 'eval/wordsim353/faruqui/EN-WS-353-ALL.txt')
simlex = os.path.join(shared, 'eval/simlex999/faruqui/EN-SIMLEX-999.txt')
results = {}
for path in sys.argv[1:]:
    kv = KeyedVectors.load_word2vec_format(path, binary=False)
    score, sections = kv.evaluate_word_analogies(analogy, restrict_vocab=30000, case_insensitive=True)
    total = next(s for s in sections if s['section'] == 'Total accuracy')
    semantic = sum(len(s['correct']) for s in sections[:5]), sum(len(s['correct']) + len(s['incorrect']) for s in sections[:5])
    ws = kv.evaluate_word_pairs(wordsim, delimiter='\t', case_insensitive=True)
    sl = kv.evaluate_word_pairs(simlex, delimiter='\t', case_insensitive=True)
    results[os.path.basename(path)] = {
        'analogy': score,
        'analogyAnswered': len(total['correct']) + len(total['incorrect']),
        'semantic': semantic[0] / max(1, semantic[1]),
        'wordsim353': ws[1][0],
        'wordsim353Oov': ws[2],
        'simlex999': sl[1][0],
        'simlex999Oov': sl[2],
    }
    print(path, json.dumps(results[os.path.basename(path)]), file=sys.stderr)
print(json.dumps(results, indent=1))

# The shared evaluator of the benchmark: the same code scores both tools' vectors.
# Google analogy (3CosAdd, top 30k words, case-insensitive), WordSim-353 and SimLex-999 (Spearman).
# Usage: /usr/bin/python3 evaluate.py VECTORS.bin DATA_DIR
import json, os, sys, tempfile
from gensim.models import KeyedVectors

path, data = sys.argv[1], sys.argv[2]
kv = KeyedVectors.load_word2vec_format(path, binary=True)
analogy, _ = kv.evaluate_word_analogies(os.path.join(data, 'eval/google-analogy/questions-words.txt'), restrict_vocab=30000)

def pairs(src, cols):
    # Write a tab-separated copy with exactly (word1, word2, score) for evaluate_word_pairs.
    tmp = tempfile.NamedTemporaryFile('w', suffix='.tsv', delete=False)
    with open(src, encoding='utf-8') as f:
        for i, line in enumerate(f):
            parts = line.rstrip('\n').split('\t') if '\t' in line else line.split()
            try:
                a, b, s = parts[cols[0]], parts[cols[1]], float(parts[cols[2]])
            except (ValueError, IndexError):
                continue
            tmp.write(f'{a.lower()}\t{b.lower()}\t{s}\n')
    tmp.close()
    return tmp.name

ws = kv.evaluate_word_pairs(pairs(os.path.join(data, 'eval/wordsim353/faruqui/EN-WS-353-ALL.txt'), (0, 1, 2)), restrict_vocab=300000)
sl = kv.evaluate_word_pairs(pairs(os.path.join(data, 'eval/simlex999/faruqui/EN-SIMLEX-999.txt'), (0, 1, 2)), restrict_vocab=300000)
print(json.dumps({'analogy': analogy, 'wordsim353': ws[1].statistic if hasattr(ws[1], 'statistic') else ws[1][0],
                  'simlex999': sl[1].statistic if hasattr(sl[1], 'statistic') else sl[1][0], 'wordsimOov': ws[2], 'simlexOov': sl[2]}))

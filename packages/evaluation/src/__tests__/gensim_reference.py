"""Reference numbers from gensim for the agreement test (run with Debian's /usr/bin/python3).

usage: gensim_reference.py VECTORS ANALOGIES RESTRICT[,RESTRICT...] [PAIRS_FILE DELIMITER DUMMY4UNKNOWN]...
Prints one JSON object: analogy results per restriction (3CosAdd, gensim's own method), one
3CosMul run over the whole vocabulary (gensim's evaluate loop with most_similar_cosmul, which
ignores restrict_vocab), and evaluate_word_pairs results per pairs file.
"""
import json
import logging
import sys

from gensim.models import KeyedVectors


class OovCapture(logging.Handler):
    """evaluate_word_analogies only logs the share of questions with OOV words; keep it."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.ratio = None

    def emit(self, record):
        if record.msg.startswith('Quadruplets with out-of-vocabulary words'):
            self.ratio = record.args[0] if isinstance(record.args, tuple) else record.args


def analogies(kv, path, restrict):
    capture = OovCapture()
    logger = logging.getLogger('gensim.models.keyedvectors')
    logger.addHandler(capture)
    logger.setLevel(logging.INFO)
    try:
        score, sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict, case_insensitive=True)
    finally:
        logger.removeHandler(capture)
    return {
        'restrict': restrict,
        'score': score,
        'oovPercent': capture.ratio,
        'sections': [
            {'section': s['section'], 'correct': len(s['correct']), 'incorrect': len(s['incorrect'])}
            for s in sections
        ],
    }


def main():
    vectors, questions, restricts = sys.argv[1], sys.argv[2], sys.argv[3]
    kv = KeyedVectors.load_word2vec_format(vectors, binary=False)
    out = {'size': len(kv), 'analogies': [analogies(kv, questions, int(r)) for r in restricts.split(',')]}

    # 3CosMul: the same evaluation loop, with gensim's most_similar_cosmul as the scorer.
    plain = kv.most_similar
    kv.most_similar = lambda positive, negative, topn, restrict_vocab: kv.most_similar_cosmul(
        positive=positive, negative=negative, topn=topn)
    try:
        out['cosmul'] = analogies(kv, questions, len(kv))
    finally:
        kv.most_similar = plain

    out['pairs'] = []
    rest = sys.argv[4:]
    for i in range(0, len(rest), 3):
        path, delimiter, dummy = rest[i], rest[i + 1], rest[i + 2] == '1'
        pearson, spearman, oov = kv.evaluate_word_pairs(
            path, delimiter=delimiter, case_insensitive=True, dummy4unknown=dummy)
        out['pairs'].append({
            'path': path, 'dummy4unknown': dummy,
            'pearson': float(pearson[0]), 'spearman': float(spearman.correlation), 'oovPercent': oov,
        })
    print(json.dumps(out))


if __name__ == '__main__':
    main()

"""Hyperwords-style PPMI-SVD reference on the SAME counts as embedkit (written by ppmi-svd.mjs).

PPMI with context-distribution smoothing exactly as hyperwords' representations/explicit.py
(PositiveExplicit, cds = 0.75, neg = 1), SVD with scipy.sparse.linalg.svds (ARPACK) instead of
sparsesvd, vectors U * S^eig as hyperwords' SVDEmbedding. Run with Debian's python:
  /usr/bin/python3 bench/reference_ppmi_svd.py [/tmp/embedkit-cooc] [dim] [eig]
"""
import json
import os
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix, dok_matrix  # noqa: F401
from scipy.sparse.linalg import svds

out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/embedkit-cooc'
dim = int(sys.argv[2]) if len(sys.argv) > 2 else 100
eigs = [float(x) for x in (sys.argv[3] if len(sys.argv) > 3 else '0.5,0,1').split(',')]
d = os.path.join(out, 'counts')

w0, c0 = time.time(), time.process_time()
shape = json.load(open(os.path.join(d, 'shape.json')))
indptr = np.fromfile(os.path.join(d, 'indptr.f64'), dtype='<f8').astype(np.int64)
indices = np.fromfile(os.path.join(d, 'indices.i32'), dtype='<i4')
data = np.fromfile(os.path.join(d, 'data.f64'), dtype='<f8')
labels = open(os.path.join(d, 'labels.txt')).read().split('\n')[: shape['rows']]
counts = csr_matrix((data, indices, indptr), shape=(shape['rows'], shape['cols']))
w1, c1 = time.time(), time.process_time()

# Reference counting with numpy/scipy on the raw text, to time the whole pipeline and to check
# embedkit's counts: the kept words are embedkit's labels (top 30k, count >= 5); other tokens are
# removed before the windows are laid, windows stay inside a line, symmetric, unweighted.
count_wall = count_cpu = None
if os.environ.get('REFERENCE_COUNT', '1') == '1':
    window = int(os.environ.get('WINDOW', '5'))
    corpus_path = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared/data/enwiki/enwiki-text8like.txt'))
    cw0, cc0 = time.time(), time.process_time()
    index = {w: i for i, w in enumerate(labels)}
    ids, line_of = [], []
    for n, line in enumerate(open(corpus_path)):
        row = [index[t] for t in line.split() if t in index]
        ids.extend(row)
        line_of.extend([n] * len(row))
    ids = np.array(ids, dtype=np.int64)
    line_of = np.array(line_of, dtype=np.int64)
    size = len(labels)
    ref = csr_matrix((size, size), dtype=np.float64)
    for dist in range(1, window + 1):
        same = line_of[:-dist] == line_of[dist:]
        a, b = ids[:-dist][same], ids[dist:][same]
        ones = np.ones(len(a))
        ref = ref + csr_matrix((ones, (a, b)), shape=(size, size)) + csr_matrix((ones, (b, a)), shape=(size, size))
    count_wall, count_cpu = time.time() - cw0, time.process_time() - cc0
    diff = abs(ref - counts)
    print(f'reference count: wall {count_wall:.1f} s, cpu {count_cpu:.1f} s; {ref.nnz} pairs; '
          f'max |reference - embedkit| = {diff.max() if diff.nnz else 0.0}')
    del ref, diff, ids, line_of
w1, c1 = time.time(), time.process_time()


def multiply_by_rows(matrix, row_coefs):
    normalizer = dok_matrix((len(row_coefs), len(row_coefs)))
    normalizer.setdiag(row_coefs)
    return normalizer.tocsr().dot(matrix)


def multiply_by_columns(matrix, col_coefs):
    normalizer = dok_matrix((len(col_coefs), len(col_coefs)))
    normalizer.setdiag(col_coefs)
    return matrix.dot(normalizer.tocsr())


# hyperwords counts2pmi.calc_pmi
sum_w = np.array(counts.sum(axis=1))[:, 0]
sum_c = np.array(counts.sum(axis=0))[0, :]
sum_c = sum_c ** 0.75
sum_total = sum_c.sum()
sum_w = np.reciprocal(sum_w)
sum_c = np.reciprocal(sum_c)
pmi = csr_matrix(counts)
pmi = multiply_by_rows(pmi, sum_w)
pmi = multiply_by_columns(pmi, sum_c)
pmi = pmi * sum_total
pmi.data = np.log(pmi.data)
# hyperwords PositiveExplicit (neg = 1: no shift)
pmi.data[pmi.data < 0] = 0
pmi.eliminate_zeros()
w2, c2 = time.time(), time.process_time()
u, s, vt = svds(pmi, k=dim)
order = np.argsort(-s)
u, s = u[:, order], s[order]
w3, c3 = time.time(), time.process_time()
print(f'load {w1 - w0:.1f} s; ppmi {w2 - w1:.1f} s wall ({pmi.nnz} positive entries); svds {w3 - w2:.1f} s wall')
print(f'ppmi + svds: wall {w3 - w1:.1f} s, cpu {c3 - c1:.1f} s (threads: {os.environ.get("OPENBLAS_NUM_THREADS", "default")})')
if count_wall is not None:
    print(f'TOTAL count + ppmi + svds: wall {count_wall + w3 - w1:.1f} s, cpu {count_cpu + c3 - c1:.1f} s')
print('top singular values:', ' '.join(f'{x:.3f}' for x in s[:5]), '…', f'{s[-1]:.3f}')
json.dump([float(x) for x in s], open(os.path.join(out, 'reference-singular-values.json'), 'w'))
for eig in eigs:
    m = u * (s ** eig) if eig != 0 else u
    path = os.path.join(out, f'reference-ppmi-svd-eig{eig:g}.txt')
    with open(path, 'w') as f:
        f.write(f'{m.shape[0]} {m.shape[1]}\n')
        for word, row in zip(labels, m):
            f.write(word + ' ' + ' '.join(f'{x:.7g}' for x in row) + '\n')
    print('wrote', path)

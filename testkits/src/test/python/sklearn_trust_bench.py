"""Trust score with scikit-learn KD-trees, following alibi's TrustScore (fit: per-class KDTree after the
distance_knn filter; score: k-th neighbour distance per class, closest other class / predicted class).

Reads train.bin / test.bin written by TrustScoreBench (big-endian: rows, cols, float32 features, int32
labels), times fit + score, and prints `sklearn <seconds>`.
Usage: python3 sklearn_trust_bench.py DIR
"""
import os
import sys
import time

import numpy as np
from sklearn.neighbors import KDTree


def read(path):
    with open(path, "rb") as f:
        rows, cols = np.frombuffer(f.read(8), dtype=">i4")
        x = np.frombuffer(f.read(int(rows) * int(cols) * 4), dtype=">f4").reshape(rows, cols).astype(np.float32)
        y = np.frombuffer(f.read(int(rows) * 4), dtype=">i4").astype(np.int64)
    return x, y


def fit(x, y, classes, k_filter=10, alpha=0.0, leaf_size=40):
    trees = []
    for c in range(classes):
        xc = x[y == c]
        tree = KDTree(xc, leaf_size=leaf_size)
        knn_r = tree.query(xc, k=k_filter + 1)[0]  # alibi's distance_knn filter
        knn_avg = np.mean(knn_r, axis=1)
        cutoff = np.percentile(knn_avg, (1 - alpha) * 100)
        trees.append(KDTree(xc[knn_avg <= cutoff], leaf_size=leaf_size))
    return trees


def score(trees, x, y_pred, k=2):
    d = np.stack([t.query(x, k=k)[0][:, -1] for t in trees], axis=1)
    sorted_d = np.sort(d, axis=1)
    d_to_pred = d[range(d.shape[0]), y_pred]
    d_to_closest_not_pred = np.where(sorted_d[:, 0] != d_to_pred, sorted_d[:, 0], sorted_d[:, 1])
    return d_to_closest_not_pred / (d_to_pred + 1e-12)


directory = sys.argv[1]
x_train, y_train = read(os.path.join(directory, "train.bin"))
x_test, y_test = read(os.path.join(directory, "test.bin"))
start = time.perf_counter()
trees = fit(x_train, y_train, int(y_train.max()) + 1)
scores = score(trees, x_test, y_test)
print(f"first score {scores[0]:.4f}")
print(f"sklearn {time.perf_counter() - start:.2f}")

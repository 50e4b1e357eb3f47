"""Reference trust scores for TrustParityTests: alibi's TrustScore algorithm on scikit-learn's KDTree.

alibi is not packaged for Debian, so this script follows alibi 0.9's alibi/confidence/trustscore.py step by
step (fit: optional probability_knn filter over all points, per-class distance_knn filter with
dist_filter_type 'point' or 'mean', one KDTree per class; score: the k-th ('point') or mean ('mean')
distance to each class, the closest other class over the predicted one, eps 1e-12) with the same
scikit-learn calls, float64 throughout as scikit-learn computes.

Run from the repository root with Debian's python3-sklearn 1.2.1 / numpy 1.24:
    /usr/bin/python3 src/test/python/parity/trust_parity.py
Writes src/test/resources/parity/trust.json: per case the data recipes (seeded.py; Java regenerates the
float32 values bit for bit), the settings, the scores, the closest other class (-1 where two classes tie)
and the points each class keeps.

Grid: 2 to 5 classes; 1 to 784 features; 20 to 5,000 training and 10 to 500 scored rows; values at
scales 1e-3 to 1e4, far from the origin (1,000 +- 10, 5,000 +- 5,000: where |r|^2 - 2qr cancels) and on
integer grids (exact ties); no filter, distance_knn point and mean, probability_knn; k 1, 2, 5; point and
mean modes.
"""
import numpy as np
from sklearn.neighbors import KDTree, KNeighborsClassifier

import seeded

EPS = 1e-12


def alibi_fit(X, Y, classes, filter_type, alpha, k_filter, dist_filter_type):
    """Per-class training points after alibi's filters."""
    if filter_type == "probability_knn":
        clf = KNeighborsClassifier(n_neighbors=k_filter, leaf_size=40, metric="euclidean")
        clf.fit(X, Y)
        preds_max = np.max(clf.predict_proba(X), axis=1)
        cutoff = np.percentile(preds_max, alpha * 100)
        keep = np.where(preds_max >= cutoff)[0]
        X, Y = X[keep, :], Y[keep]
    kept = []
    for c in range(classes):
        Xc = X[np.where(Y == c)[0]]
        if filter_type == "distance_knn":
            r = KDTree(Xc, leaf_size=40, metric="euclidean").query(Xc, k=k_filter + 1)[0]
            r = r[:, -1] if dist_filter_type == "point" else np.mean(r[:, 1:], axis=1)
            Xc = Xc[np.where(r <= np.percentile(r, (1 - alpha) * 100))[0], :]
        kept.append(Xc)
    return kept


def alibi_score(kept, X, Y, k, dist_type):
    """Trust scores and the closest other class (-1 where the two nearest other classes tie)."""
    d = np.empty((X.shape[0], len(kept)))
    for c, Xc in enumerate(kept):
        r = KDTree(Xc, leaf_size=40, metric="euclidean").query(X, k=k)[0]
        d[:, c] = r[:, -1] if dist_type == "point" else np.mean(r, axis=1)
    sorted_d = np.sort(d, axis=1)
    d_to_pred = d[range(d.shape[0]), Y]
    d_to_closest_not_pred = np.where(sorted_d[:, 0] != d_to_pred, sorted_d[:, 0], sorted_d[:, 1])
    scores = d_to_closest_not_pred / (d_to_pred + EPS)
    closest = []
    for i in range(X.shape[0]):
        others = [c for c in range(len(kept)) if c != Y[i]]
        ties = [c for c in others if d[i, c] == d_to_closest_not_pred[i]]
        closest.append(ties[0] if len(ties) == 1 else -1)
    return scores, closest


def case(seed, n_train, n_test, d, classes, features, filter_type="none", alpha=0.0, k_filter=10,
         dist_filter_type="point", k=2, mode="point"):
    """One case: features(seed, n, d) -> recipe; labels and predictions uniform over the classes."""
    train = features(seed, n_train * d)
    test = features(seed + 1, n_test * d)
    labels = seeded.levels(seed + 2, n_train, classes, 1.0)
    predicted = seeded.levels(seed + 3, n_test, classes, 1.0)
    X = seeded.materialise(train).astype(np.float64).reshape(n_train, d)
    Xt = seeded.materialise(test).astype(np.float64).reshape(n_test, d)
    Y = seeded.materialise(labels).astype(np.int64)
    P = seeded.materialise(predicted).astype(np.int64)
    kept = alibi_fit(X, Y, classes, None if filter_type == "none" else filter_type, alpha, k_filter,
                     dist_filter_type)
    scores, closest = alibi_score(kept, Xt, P, k, mode)
    name = (f"train={n_train} test={n_test} d={d} classes={classes} {train['kind']}"
            f"[{train.get('low')}, +{train.get('width', train.get('step'))}] filter={filter_type}"
            f"({dist_filter_type if filter_type == 'distance_knn' else ''} alpha={alpha} k_filter={k_filter})"
            f" k={k} {mode}")
    return {"name": name, "features": d, "classes": classes, "train": train, "test": test, "labels": labels,
            "predicted": predicted, "filter": filter_type, "alpha": alpha, "kFilter": k_filter,
            "distFilterType": dist_filter_type, "k": k, "mode": mode,
            "scores": [float(s) for s in scores], "closest": closest,
            "kept": [int(len(x)) for x in kept]}


def uniform(low, width):
    return lambda seed, n: seeded.uniform(seed, n, low, width)


def grid(count, step, low=0.0):
    return lambda seed, n: seeded.levels(seed, n, count, step, low)


def main():
    cases = []
    seed = 7000
    settings = [
        # scales and offsets, the default fit (distance filter, alpha 0)
        (40, 15, 1, 2, uniform(0, 1), {}),
        (200, 50, 3, 3, uniform(0, 1e-3), {}),
        (200, 50, 3, 3, uniform(0, 1e4), {}),
        (500, 100, 8, 4, uniform(1000, 10), {}),
        (500, 100, 8, 4, uniform(5000, 5000), {}),
        (300, 40, 30, 5, uniform(-1e3, 2e3), {"k": 5, "mode": "mean"}),
        (120, 20, 784, 3, uniform(0, 1), {}),
        (120, 20, 784, 3, uniform(200, 55), {"k": 1}),
        (5000, 500, 16, 4, uniform(0, 1), {}),
        (2000, 300, 64, 5, uniform(100, 1e4), {"k": 5}),
        # integer grids: exact ties between points and between classes
        (300, 60, 2, 3, grid(5, 1.0), {}),
        (300, 60, 4, 2, grid(3, 1000.0), {"k": 5, "mode": "mean"}),
        (100, 30, 1, 2, grid(4, 0.25), {"k": 1}),
        # filters
        (400, 80, 5, 3, uniform(0, 1), {"filter_type": "distance_knn", "alpha": 0.1}),
        (400, 80, 5, 3, uniform(1000, 10), {"filter_type": "distance_knn", "alpha": 0.2, "k_filter": 5,
                                            "dist_filter_type": "mean"}),
        (600, 80, 6, 4, uniform(0, 1e4), {"filter_type": "distance_knn", "alpha": 0.05, "k_filter": 3}),
        (400, 80, 5, 3, uniform(0, 1), {"filter_type": "probability_knn", "alpha": 0.1}),
        (800, 100, 10, 5, uniform(500, 1e3), {"filter_type": "probability_knn", "alpha": 0.25, "k_filter": 7,
                                              "k": 5, "mode": "mean"}),
        (150, 30, 784, 2, uniform(0, 1), {"filter_type": "distance_knn", "alpha": 0.1}),
        (150, 30, 1, 2, uniform(0, 1), {"filter_type": "probability_knn", "alpha": 0.3, "k_filter": 4}),
        (300, 60, 2, 3, grid(7, 1.0), {"filter_type": "distance_knn", "alpha": 0.1, "k_filter": 4}),
        (20, 10, 2, 2, uniform(0, 1), {"k": 1}),
    ]
    for n_train, n_test, d, classes, features, options in settings:
        cases.append(case(seed, n_train, n_test, d, classes, features, **options))
        seed += 10
    seeded.write("trust", {"reference": "alibi 0.9 TrustScore algorithm on scikit-learn " + __import__("sklearn")
                           .__version__ + " KDTree / KNeighborsClassifier (float64)", "cases": cases})


if __name__ == "__main__":
    main()

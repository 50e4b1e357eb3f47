"""Reference principal components for PcaParityTests: scikit-learn 1.2's PCA with svd_solver="full".

scikit-learn centres the float64 data, takes its full SVD (LAPACK gesdd) and fixes signs with
svd_flip(U, Vt) (u_based_decision: in each column of U the entry of largest magnitude is positive, i.e. the
sample with the largest |projection| onto a component projects positively; ties go to the first sample).
PcaProjection follows that convention, so components compare without sign fixes.

Run from the repository root with Debian's python3-sklearn 1.2.1 / numpy 1.24:
    /usr/bin/python3 src/test/python/parity/pca_parity.py
Writes src/test/resources/parity/pca.json: per case the data (a seeded.py recipe that Java regenerates bit for
bit, or "digits": the document's digitsRows), k, the components, the explained variances (S^2 / (n - 1)),
which components are determined (eigenvalue gaps to both neighbours above 1e-6 of the largest: a component
inside a (near-)degenerate eigenspace, e.g. the null space of rank-deficient data, is any basis of it and
is not compared) and the projections of the first rows.

Grid: n 10 to 2,000, d 3 to 100, k 1 to d (k = d where n >= d); centred data (uniform around 0), data far from
the origin (1,000 +- 1), integer grids; rank-deficient data (n < d, k = n); and the first 400 images of UCI
optdigits (8x8, 0..16, constant border pixels: rank-deficient real data).
"""
import gzip
import os

import numpy as np
from sklearn.decomposition import PCA

import seeded

PROJECTED_ROWS = 10
GAP = 1e-6
DIGITS = "/work/shared/datasets/uci-optdigits-test.csv.gz"


def reference(X, k):
    pca = PCA(n_components=k, svd_solver="full").fit(X)
    variance = pca.explained_variance_
    # the gaps between all d eigenvalues (beyond k too): component i is determined when both neighbours are far
    full = np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2 / (X.shape[0] - 1)
    full = np.concatenate([full, np.zeros(max(0, X.shape[1] - full.size))])
    scale = full[0]
    determined = []
    for i in range(k):
        below = full[i] - full[i + 1] if i + 1 < full.size else full[i]
        above = full[i - 1] - full[i] if i > 0 else np.inf
        determined.append(bool(min(above, below) > GAP * scale))
    return {
        "components": [[short(v) for v in row] for row in pca.components_],
        "variance": [float(v) for v in variance],
        "determined": determined,
        "projected": [[short(v) for v in row] for row in pca.transform(X[:PROJECTED_ROWS])],
    }


def short(v):
    """12 significant digits: far below the 1e-6 the Java test asserts, and a third of the JSON."""
    return float(f"{v:.12g}")


def seeded_case(name, seed, n, d, k, recipe):
    values = seeded.materialise(recipe(seed, n * d))
    X = values.astype(np.float64).reshape(n, d)
    case = {"name": name + f" n={n} d={d} k={k}", "n": n, "features": d, "k": k, "data": recipe_of(recipe, seed, n * d)}
    case.update(reference(X, k))
    return case


def recipe_of(recipe, seed, size):
    r = recipe(seed, size)
    seeded.materialise(r)
    return r


def main():
    centred = lambda seed, size: seeded.uniform(seed, size, -0.5, 1.0)
    far = lambda seed, size: seeded.uniform(seed, size, 1000.0, 1.0)
    grid = lambda seed, size: seeded.levels(seed, size, 5, 1.0)
    cases = []
    seed = 900
    for n, d, ks in [(200, 3, [1, 2, 3]), (500, 10, [3, 10]), (2000, 64, [5]), (300, 100, [10])]:
        for kind, recipe in [("centred", centred), ("far from the origin", far), ("integer grid", grid)]:
            for k in ks:
                seed += 1
                cases.append(seeded_case(kind, seed, n, d, k, recipe))
    seed += 1
    cases.append(seeded_case("centred", seed, 2000, 64, 64, centred))
    for n, d in [(30, 64), (10, 20)]:
        seed += 1
        cases.append(seeded_case("rank-deficient (n < d)", seed, n, d, n, centred))
    with gzip.open(DIGITS, "rt") as source:
        rows = [[float(v) for v in line.split(",")[:64]] for line in source][:400]
    X = np.array(rows)
    for k in [2, 20, 64]:
        case = {"name": f"optdigits first 400 k={k}", "n": len(rows), "features": 64, "k": k, "data": "digits"}
        case.update(reference(X, k))
        cases.append(case)
    seeded.write("pca", {
        "reference": "scikit-learn PCA(svd_solver='full'), float64, svd_flip(u_based_decision=True)",
        "digits": "UCI Optical Recognition of Handwritten Digits (test part), first 400 images; CC BY 4.0"
                  " (E. Alpaydin, C. Kaynak)",
        "digitsRows": [[int(v) for v in row] for row in rows],
        "cases": cases,
    })


if __name__ == "__main__":
    main()

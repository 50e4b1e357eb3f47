"""Reference outputs for Chi2Drift: scipy.stats.chi2_contingency(correction=True) per feature.

Our test builds, per feature, a table with one row per value seen in either sample and the columns
(reference count, current count); scipy gets exactly that table. Run with /usr/bin/python3
(Debian scipy 1.10.1); writes src/test/resources/parity/chi2.json.
"""
import numpy as np
import scipy
from scipy.stats import chi2_contingency

import seeded


def reference(ref, cur):
    statistics, p_values = [], []
    for j in range(ref.shape[1]):
        values = np.unique(np.concatenate([ref[:, j], cur[:, j]]))
        table = np.array([[np.sum(ref[:, j] == v), np.sum(cur[:, j] == v)] for v in values])
        statistic, p, _, _ = chi2_contingency(table, correction=True)
        statistics.append(float(statistic))
        p_values.append(float(p))
    return statistics, p_values


def main():
    cases = []
    seed = 1000
    # (n_ref, n_cur, features, reference categories, current categories, current offset in steps)
    shapes = [
        (5, 5, 1, 2, 2, 0), (5, 50, 3, 2, 2, 0), (20, 20, 2, 2, 2, 1), (7, 9, 4, 2, 3, 0),
        (50, 60, 784, 2, 2, 0), (30, 30, 784, 3, 3, 1),
        (100, 37, 5, 3, 3, 0), (100, 37, 5, 3, 5, 0), (500, 500, 3, 10, 10, 0), (500, 480, 3, 10, 10, 1),
        (1000, 5000, 2, 100, 100, 0), (5000, 5000, 2, 100, 110, 3), (5000, 4999, 3, 2, 2, 0),
        (2000, 300, 4, 1, 1, 0), (2000, 300, 4, 1, 2, 0), (12, 5000, 2, 5, 5, 0),
    ]
    for n_ref, n_cur, d, c_ref, c_cur, shift in shapes:
        scales = [(1.0, 0.0), (1e-3, -0.5), (1e4, 3e4)]
        for step, low in scales[:1] if d > 100 else scales:  # wide cases once: the file stays small
            seed += 2
            ref_recipe = seeded.levels(seed, n_ref * d, c_ref, step, low)
            cur_recipe = seeded.levels(seed + 1, n_cur * d, c_cur, step, low + shift * step)
            ref = seeded.materialise(ref_recipe).reshape(n_ref, d)
            cur = seeded.materialise(cur_recipe).reshape(n_cur, d)
            statistics, p_values = reference(ref.astype(np.float64), cur.astype(np.float64))
            cases.append({
                "name": f"n={n_ref}/{n_cur} d={d} categories={c_ref}/{c_cur} shift={shift} step={step:g}",
                "features": d, "reference": ref_recipe, "current": cur_recipe,
                "statistics": statistics, "p_values": p_values,
            })
    seeded.write("chi2", {"reference": "scipy.stats.chi2_contingency(correction=True), scipy " + scipy.__version__,
                          "cases": cases})


if __name__ == "__main__":
    main()

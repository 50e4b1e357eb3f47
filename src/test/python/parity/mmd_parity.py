"""Reference outputs for MmdDrift's statistic: unbiased MMD^2 with a Gaussian kernel, in float64.

MmdDrift follows alibi-detect's default bandwidth, asserted as "alibi_ref_mmd2" below. Kept for
comparison, "mmd2" is the rule it used before: k(x, y) = exp(-|x - y|^2 / (2 s^2)),
s^2 = max(0.5 * median |x - y|^2, 1e-12), the median (mean of the two middle values for an even
count) over reference-current pairs; MMD^2 = sum_{i!=j} k(x_i, x_j) / (n(n-1))
+ sum_{i!=j} k(y_i, y_j) / (m(m-1)) - 2 sum k(x_i, y_j) / (nm). Distances are computed in float64
on data centred by the pooled mean. For information the file also holds alibi-detect's bandwidth
rule over the same pairs (sigma_median: the sorted element at index n*m // 2 - 1, not the mean of
the middle two) and the MMD^2 it gives ("alibi_mmd2"); alibi-detect's default
(configure_kernel_from_x_ref=True) takes the median over reference-reference pairs instead
("alibi_ref_mmd2"). Run with /usr/bin/python3; writes src/test/resources/parity/mmd.json.
"""
import numpy as np

import seeded


def squared_distances(z):
    z = z - z.mean(axis=0)
    norms = np.sum(z * z, axis=1)
    return np.maximum(norms[:, None] + norms[None, :] - 2 * z @ z.T, 0)


def mmd2(d2, n, sigma_squared):
    k = np.exp(-d2 / (2 * sigma_squared))
    np.fill_diagonal(k, 0)
    m = len(d2) - n
    return float(k[:n, :n].sum() / (n * (n - 1)) + k[n:, n:].sum() / (m * (m - 1)) - 2 * k[:n, n:].sum() / (n * m))


def main():
    cases = []
    seed = 13000
    # (n, m, features, kind, shift in widths)
    shapes = [(5, 5, 1, "uniform", 0.0), (5, 50, 2, "uniform", 0.5), (50, 5, 10, "levels", 0.0),
              (100, 100, 1, "levels", 0.0), (200, 37, 10, "uniform", 0.1), (300, 300, 784, "uniform", 0.05),
              (100, 120, 784, "constant", 0.0), (1000, 1000, 3, "uniform", 0.02), (2000, 500, 2, "levels", 0.0),
              (2500, 2500, 784, "uniform", 0.01)]
    for n, m, d, kind, shift in shapes:
        scales = [(1.0, 0.0), (1e-3, 0.0), (1e4, 0.0), (1.0, 1e3)]
        for scale, offset in scales[:2] if d * (n + m) > 1_000_000 else scales:
            seed += 2
            if kind == "uniform":
                ref_recipe = seeded.uniform(seed, n * d, offset * scale, scale)
                cur_recipe = seeded.uniform(seed + 1, m * d, (offset + shift) * scale, scale)
            else:
                count = 1 if kind == "constant" else 3
                ref_recipe = seeded.levels(seed, n * d, count, scale, offset * scale)
                cur_recipe = seeded.levels(seed + 1, m * d, count, scale, offset * scale)
            ref = seeded.materialise(ref_recipe).astype(np.float64).reshape(n, d)
            cur = seeded.materialise(cur_recipe).astype(np.float64).reshape(m, d)
            d2 = squared_distances(np.concatenate([ref, cur]))
            cross = np.sort(d2[:n, n:].ravel())
            expected = mmd2(d2, n, max(0.5 * float(np.median(cross)), 1e-12))
            alibi = mmd2(d2, n, 0.5 * cross[cross.size // 2 - 1])
            within = np.sort(d2[:n, :n].ravel())
            alibi_ref = mmd2(d2, n, 0.5 * within[n + (n * n - n) // 2 - 1])
            cases.append({"name": f"{kind} n={n}/{m} d={d} scale={scale:g} offset={offset:g} shift={shift:g}",
                          "features": d, "reference": ref_recipe, "current": cur_recipe, "mmd2": expected,
                          "alibi_mmd2": alibi, "alibi_ref_mmd2": alibi_ref})
            print(cases[-1]["name"], expected, alibi, alibi_ref)
    seeded.write("mmd", {"reference": "numpy float64, MmdDrift's median rule", "cases": cases})


if __name__ == "__main__":
    main()

"""Reference outputs for randomized smoothing's count-to-certificate step (dev.gauntlet.certify).

Cohen, Rosenfeld & Kolter (2019), as locuslab/smoothing's core.py computes it:
  CERTIFY: pABar = proportion_confint(nA, n, alpha=2 * alpha, method="beta")[0]  (statsmodels)
           abstain when pABar < 0.5, else radius = sigma * norm.ppf(pABar)
  PREDICT: abstain when binom_test(nA, nA + nB, p=0.5) > alpha  (two-sided; scipy's binomtest now)
statsmodels is not in Debian's scientific stack here, so its beta branch is reproduced line for line
(`statsmodels_beta_lower`: scipy.stats.beta.ppf(alpha_2, count, nobs - count + 1) with alpha_2 =
alpha / 2, and 0 at count 0) and checked against the bound's definition: the Clopper-Pearson lower
bound p solves P(Binomial(n, p) >= nA) = alpha, i.e. binom.sf(nA - 1, n, p) = alpha (and a hair
below p gives less), so the script fails if the two disagree.

Grid: n in {100, 1000, 10000, 100000}; every nA from 0 to n for n <= 1000; for the larger n the
edges 0, 1, 2, n - 2, n - 1, n, the abstention threshold (the smallest certifying nA) +- 3, the
counts near n where norm.ppf is steep, and seeded draws (seeded.draws); alpha in {0.001, 0.01, 0.05};
sigma in {0.12, 0.25, 0.5, 1.0}. PREDICT: nA + nB in {1, 2, 10, 100, 1000, 10000, 100000} with
ties, one-vote leads, the threshold of each alpha and seeded draws. Run with /usr/bin/python3
(Debian scipy 1.10.1); writes src/test/resources/parity/smoothing.json.
"""
import numpy as np
import scipy
from scipy.stats import beta, binom, binomtest, norm

import seeded

SIZES = [100, 1000, 10000, 100000]
ALPHAS = [0.001, 0.01, 0.05]
SIGMAS = [0.12, 0.25, 0.5, 1.0]


def statsmodels_beta_lower(count, nobs, alpha):
    """statsmodels.stats.proportion.proportion_confint(count, nobs, alpha, method="beta")[0]."""
    alpha_2 = 0.5 * alpha
    if count == 0:
        return 0.0
    return float(beta.ppf(alpha_2, count, nobs - count + 1))


def check_definition(n_a, n, alpha, p):
    """Fails unless p is the Clopper-Pearson lower bound: P(Bin(n, p) >= nA) = alpha."""
    if n_a == 0:
        assert p == 0.0
        return
    tail = binom.sf(n_a - 1, n, p)
    assert abs(tail - alpha) <= 1e-9 * alpha, (n_a, n, alpha, p, tail)
    assert binom.sf(n_a - 1, n, p * (1 - 1e-6)) < alpha, (n_a, n, alpha, p)


def threshold(n, alpha):
    """The smallest nA whose lower bound is at least 0.5 (bisection: the bound grows with nA)."""
    low, high = 0, n
    while low < high:
        mid = (low + high) // 2
        if statsmodels_beta_lower(mid, n, 2 * alpha) >= 0.5:
            high = mid
        else:
            low = mid + 1
    return low


def counts(n, alpha, salt):
    if n <= 1000:
        return list(range(n + 1))
    t = threshold(n, alpha)
    picks = {0, 1, 2, n // 2, n - 2, n - 1, n}
    picks.update(t + d for d in range(-3, 4))
    picks.update(n - k for k in [3, 5, 10, 20, 50, 100, 200, 500, 1000])
    draws = seeded.draws(31337 + salt, 60)
    picks.update(int(d % (n + 1)) for d in draws[:30])
    picks.update(t + int(d % (n - t + 1)) for d in draws[30:])
    return sorted(p for p in picks if 0 <= p <= n)


def certify_cases():
    cases = []
    for i, n in enumerate(SIZES):
        for j, alpha in enumerate(ALPHAS):
            n_as = counts(n, alpha, 10 * i + j)
            lowers, abstains, radii = [], [], {str(s): [] for s in SIGMAS}
            for n_a in n_as:
                p = statsmodels_beta_lower(n_a, n, 2 * alpha)
                check_definition(n_a, n, alpha, p)
                lowers.append(p)
                abstains.append(p < 0.5)
                for sigma in SIGMAS:
                    radii[str(sigma)].append(0.0 if p < 0.5 else float(sigma * norm.ppf(p)))
            cases.append({"name": f"certify n={n} alpha={alpha}", "kind": "certify", "n": n, "alpha": alpha,
                          "threshold": threshold(n, alpha), "nA": n_as, "pALower": lowers, "abstain": abstains,
                          "radius": radii})
    return cases


def predict_cases():
    cases = []
    totals = [1, 2, 3, 10, 100, 1000, 10000, 100000]
    draws = seeded.draws(4242, 40 * len(totals))
    for k, total in enumerate(totals):
        picks = {total, total - 1, (total + 1) // 2, total // 2 + 1}
        for alpha in ALPHAS:  # around the smallest lead the test accepts at each alpha
            low, high = (total + 1) // 2, total
            while low < high:
                mid = (low + high) // 2
                if binomtest(mid, total, 0.5).pvalue <= alpha:
                    high = mid
                else:
                    low = mid + 1
            picks.update(low + d for d in range(-2, 3))
        picks.update(int(d % (total + 1)) for d in draws[40 * k:40 * k + 40])
        pairs = sorted((a, total - a) for a in picks if total / 2 <= a <= total)
        p_values = [float(binomtest(a, a + b, 0.5).pvalue) for a, b in pairs]
        cases.append({"name": f"predict nA+nB={total}", "kind": "predict", "nA": [a for a, _ in pairs],
                      "nB": [b for _, b in pairs], "pValue": p_values,
                      "abstain": {str(alpha): [p > alpha for p in p_values] for alpha in ALPHAS}})
    return cases


def main():
    seeded.write("smoothing", {
        "reference": "locuslab/smoothing core.py: statsmodels proportion_confint(method='beta') as "
                     "scipy.stats.beta.ppf, norm.ppf, binomtest; scipy " + scipy.__version__
                     + ", numpy " + np.__version__,
        "sigmas": SIGMAS,
        "cases": certify_cases() + predict_cases()})


if __name__ == "__main__":
    main()

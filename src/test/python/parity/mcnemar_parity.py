"""Reference outputs for McNemar's test and binomial proportion intervals (dev.gauntlet.stats).

McNemar's exact test is the binomial test of b regressions among b + c discordant pairs at p = 1/2:
scipy.stats.binomtest(b, b + c, 0.5) two-sided and alternative='greater' (more regressions than
improvements). The mid-p values (Fagerland et al. 2013) are scipy's binom sums: one-sided
binomtest(greater) - pmf(b)/2, two-sided 2 cdf(min(b, c)) - pmf(min(b, c)), capped at 1. With no
discordant pair scipy refuses n = 0; McNemarTest documents every p-value as 1 ("documented").
The intervals are binomtest(k, n).proportion_ci(confidence_level, method='wilson' | 'exact').

Grid: b + c from 0 to 20 (every b), then n up to 5,000 with ties b = c, extremes 0 / n, near-ties,
and seeded draws (seeded.draws); levels 0.8, 0.9, 0.95, 0.99, 0.999. Run with /usr/bin/python3 (Debian
scipy 1.10.1); writes src/test/resources/parity/mcnemar.json.
"""
import scipy
from scipy.stats import binom, binomtest

import seeded


def tables():
    for n in range(0, 21):
        for b in range(0, n + 1):
            yield b, n - b
    sizes = [25, 30, 37, 50, 99, 100, 101, 200, 333, 500, 999, 1000, 1001, 2500, 4096, 4999, 5000]
    draws = seeded.draws(19019, 4 * len(sizes))
    for j, n in enumerate(sizes):
        picks = {0, 1, 2, n // 2, (n + 1) // 2, n // 2 - 1, n // 2 + 1, n - 2, n - 1, n, n // 3, n // 10}
        picks.update(int(draws[4 * j + r] % (n + 1)) for r in range(4))
        for b in sorted(p for p in picks if 0 <= p <= n):
            yield b, n - b


def main():
    cases = []
    for b, c in tables():
        n = b + c
        case = {"name": f"mcnemar b={b} c={c}", "kind": "mcnemar", "b": b, "c": c}
        if n == 0:
            case["documented"] = 1.0
        else:
            greater = binomtest(b, n, 0.5, alternative="greater").pvalue
            low = min(b, c)
            case["exact_two_sided"] = float(binomtest(b, n, 0.5).pvalue)
            case["exact_greater"] = float(greater)
            case["mid_p_greater"] = float(greater - 0.5 * binom.pmf(b, n, 0.5))
            case["mid_p_two_sided"] = float(min(1.0, 2 * binom.cdf(low, n, 0.5) - binom.pmf(low, n, 0.5)))
        cases.append(case)
    levels = [0.8, 0.9, 0.95, 0.99, 0.999]
    for j, (k, rest) in enumerate(t for t in tables() if sum(t) > 0):
        n = k + rest
        level = levels[j % len(levels)] if n > 20 or j % 3 else 0.95
        result = binomtest(k, n)
        wilson = result.proportion_ci(confidence_level=level, method="wilson")
        exact = result.proportion_ci(confidence_level=level, method="exact")
        cases.append({"name": f"interval k={k} n={n} level={level}", "kind": "interval", "k": k, "n": n,
                      "confidence": level, "wilson": [float(wilson.low), float(wilson.high)],
                      "exact": [float(exact.low), float(exact.high)]})
    seeded.write("mcnemar", {"reference": "scipy.stats.binomtest, binom; scipy " + scipy.__version__,
                             "cases": cases})


if __name__ == "__main__":
    main()

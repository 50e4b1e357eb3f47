"""Reference outputs for TCAV's Welch test: scipy.stats.ttest_ind(equal_var=False), two-sided.

TCAV compares the concept's scores (fractions of inputs) with random-vs-random scores, so the grid
holds fraction-valued samples with many ties besides continuous ones, sizes 2 to 5,000, unequal
sizes, one constant side and scales 1e-3 to 1e4. Where both samples are constant scipy returns
NaN; Tcav documents 1 (equal) and 0 (apart) instead, recorded here as "documented". Run with
/usr/bin/python3 (Debian scipy 1.10.1); writes src/test/resources/parity/welch.json.
"""
import warnings

import numpy as np
import scipy
from scipy.stats import ttest_ind

import seeded


def main():
    cases = []
    sizes = [(2, 2), (2, 7), (5, 5), (10, 10), (10, 500), (30, 31), (500, 500), (5000, 20), (5000, 5000)]
    kinds = [
        ("continuous", lambda s, n, scale: seeded.uniform(s, n, 0.0, scale),
         lambda s, n, scale: seeded.uniform(s, n, 0.1 * scale, scale)),
        ("fractions", lambda s, n, scale: seeded.levels(s, n, 11, 0.1 * scale, 0.0),
         lambda s, n, scale: seeded.levels(s, n, 9, 0.1 * scale, 0.1 * scale)),
        ("same distribution", lambda s, n, scale: seeded.uniform(s, n, -scale, 2 * scale),
         lambda s, n, scale: seeded.uniform(s, n, -scale, 2 * scale)),
        ("one side constant", lambda s, n, scale: seeded.levels(s, n, 1, scale, 0.5 * scale),
         lambda s, n, scale: seeded.levels(s, n, 3, 0.25 * scale, 0.25 * scale)),
        ("large offset", lambda s, n, scale: seeded.uniform(s, n, 1e3 * scale, 1e-2 * scale),
         lambda s, n, scale: seeded.uniform(s, n, 1e3 * scale, 1.2e-2 * scale)),
        ("both constant equal", lambda s, n, scale: seeded.levels(s, n, 1, scale, 0.0),
         lambda s, n, scale: seeded.levels(s, n, 1, scale, 0.0)),
        ("both constant apart", lambda s, n, scale: seeded.levels(s, n, 1, scale, 0.0),
         lambda s, n, scale: seeded.levels(s, n, 1, scale, scale)),
    ]
    for name, a_recipe, a, b_recipe, b in seeded.paired_grid(5000, sizes, kinds, [1e-3, 1.0, 1e4]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = ttest_ind(a, b, equal_var=False)
        case = {"name": name, "a": a_recipe, "b": b_recipe, "statistic": float(result.statistic),
                "p_value": float(result.pvalue)}
        if np.isnan(result.pvalue):
            # scipy gives NaN for two constant samples; Tcav.welchPValue documents 1 / 0
            case["documented"] = 1.0 if a[0] == b[0] else 0.0
        cases.append(case)
    seeded.write("welch", {"reference": "scipy.stats.ttest_ind(equal_var=False), scipy " + scipy.__version__,
                           "cases": cases})


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Reference values for Gauntlet's Kolmogorov-Smirnov p-values, computed by scipy.

Writes src/test/resources/parity/ks.json, which KsParityTests (src/test/java/dev/gauntlet/parity)
asserts case by case against dev.gauntlet.shift.internal.KolmogorovSmirnov and KsDrift:

* "kstwo": [n, d, sf] with sf = scipy.stats.kstwo.sf(d, n), the one-sample two-sided Kolmogorov
  distribution, on a grid of n from 1 to 100,000 and d from just below 1/(2n) to just below 1,
  including d where sf falls to 1e-300 and every switch point of scipy's _kolmogn (Simard and
  L'Ecuyer 2011).
* "ks2samp": two samples per case (float32 values, written as their shortest decimal so Java's
  Float.parseFloat reads back the very same numbers) and scipy.stats.ks_2samp's statistic and
  p-value for method='asymp', 'exact' and 'auto', with the method scipy really used (it falls back
  to 'asymp' with a RuntimeWarning where 'exact' cannot be computed).

Data are seeded numpy draws (default_rng), rounded to a few significant digits so the file stays
small; the KS statistic depends only on the order of the values, so rounding loses nothing.

Rerun from the repository root with Debian's scipy (the numbers committed come from scipy 1.10.1,
numpy 1.24.2):

    /usr/bin/python3 src/test/python/parity/ks_parity.py

then run the Java side:

    mvn -o -q test -Dtest=KsParityTests
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'resources', 'parity', 'ks.json')


# ---------------------------------------------------------------------------------------------
# the one-sample distribution alone

def kstwo_cases():
    ns = [1, 2, 3, 4, 5, 7, 10, 13, 20, 33, 44, 45, 50, 89, 100, 139, 140, 141, 200, 375, 500, 1000,
          2000, 4000, 5000, 10000, 20000, 50000, 99999, 100000]
    cases = []
    for n in ns:
        ds = set()
        # around the support's lower end 1/(2n) and the Ruben-Gambino region t = n*d <= 1
        for t in [0.25, 0.5, 0.5000001, 0.51, 0.6, 0.75, 0.9, 0.999, 1.0, 1.001, 1.5, 2.0, 3.0]:
            ds.add(t / n)
        # every switch of scipy's _kolmogn: n*d^2 (0.754693, 2.2, 4, 18, 370), n*d^1.5 (1.4), d = 0.5, t = n - 1
        for nxsq in [0.1, 0.3, 0.754693, 0.76, 1.0, 1.5, 2.1999, 2.2, 3.0, 3.9999, 4.0, 4.0001, 6.0, 10.0,
                     17.999, 18.0, 30.0, 100.0, 200.0, 369.99, 370.0]:
            ds.add(math.sqrt(nxsq / n))
        for c in [1.0, 1.4, 1.41]:
            ds.add((c / n) ** (2.0 / 3.0))
        for d in [0.499999, 0.5, 0.500001, 0.75, 0.9, 0.99, 0.999999, 1 - 1e-12, 1.0, 1.5, 0.0, -0.1]:
            ds.add(d)
        if n > 1:
            ds.update([(n - 1.0) / n, (n - 1.0) / n - 1e-9, (n - 1.0) / n + 1e-9])
        # the far tail, down to sf ~ 1e-300
        for p in [1e-3, 1e-6, 1e-10, 1e-20, 1e-50, 1e-100, 1e-150, 1e-200, 1e-250, 1e-300, 1e-305]:
            d = math.sqrt(-math.log(p / 2) / (2 * n))
            if d >= 1 - 1.0 / n:
                d = 1 - (p / 2) ** (1.0 / n)
            ds.add(d)
        # a log-spaced sweep
        for d in np.logspace(-4, 0, 41)[:-1]:
            ds.add(float(d))
        for d in sorted(ds):
            cases.append([n, d, float(stats.kstwo.sf(d, n))])
    return cases


# ---------------------------------------------------------------------------------------------
# two samples

def f32(values, digits):
    """Rounds to `digits` significant digits, then to float32 (what Gauntlet's Dataset stores)."""
    rounded = np.array([float('%.*g' % (digits, v)) for v in np.asarray(values, dtype=np.float64)])
    return rounded.astype(np.float32)


def text(values):
    """float32 values as JSON numbers: numpy's shortest repr, which Float.parseFloat reads back exactly."""
    return '[' + ','.join(np.format_float_positional(v, unique=True, trim='0')
                          if 1e-4 <= abs(float(v)) < 1e7 or v == 0
                          else np.format_float_scientific(v, unique=True, trim='0', exp_digits=1)
                          for v in values) + ']'


def ks(a, b, method):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        r = stats.ks_2samp(a.astype(np.float64), b.astype(np.float64), method=method)
    used = method
    if method == 'auto':
        used = 'exact' if max(len(a), len(b)) <= 10000 else 'asymp'
    if any('Switching to' in str(w.message) for w in caught):
        used = 'asymp'
    p = float(r.pvalue)
    return {'statistic': float(r.statistic), 'pvalue': None if math.isnan(p) else p, 'method': used}


def half_pairs(limit):
    """Unequal (n1, n2) whose n1*n2/(n1+n2) ends in .5, where rounding half up and half to even differ."""
    found = []
    for n1 in range(5, 400):
        for n2 in range(n1 + 1, 2000):
            if (2 * n1 * n2) % (n1 + n2) == 0 and ((2 * n1 * n2) // (n1 + n2)) % 2 == 1:
                found.append((n1, n2))
                break
        if len(found) == limit:
            break
    return found


def two_sample_cases():
    rng = np.random.default_rng(20240517)
    cases = []

    def add(name, a, b, digits, exact=True):
        a = f32(a, digits)
        b = f32(b, digits)
        case = {'name': name, 'n1': len(a), 'n2': len(b), 'a': a, 'b': b,
                'asymp': ks(a, b, 'asymp'), 'auto': ks(a, b, 'auto')}
        case['exact'] = ks(a, b, 'exact') if exact else None
        cases.append(case)

    sizes = [(5, 5), (5, 7), (8, 13), (20, 20), (30, 45), (50, 40), (89, 89), (100, 150), (200, 200),
             (250, 1000), (500, 300), (1000, 1000), (5000, 3000)]
    for n1, n2 in sizes:
        digits = 7 if n1 + n2 <= 500 else 5
        variants = ['null', 'shift', 'scale'] if n1 + n2 <= 2000 else ['null', 'shift']
        for v in variants:
            a = rng.standard_normal(n1)
            b = rng.standard_normal(n2)
            if v == 'shift':
                b = b + 3.0 / math.sqrt(min(n1, n2))  # p-values around 1e-2 .. 1e-4
            elif v == 'scale':
                b = b * 1.5
            add(f'normal {v} {n1}x{n2}', a, b, digits)
    # the examples: 89 vs 89 (n = 44.5), 1,000 vs 1,000 and 5,000 vs 3,000 with a small shift
    for n1, n2, shift in [(89, 89, 0.3), (89, 89, 0.6), (1000, 1000, 0.08), (5000, 3000, 0.04)]:
        add(f'issue {n1}x{n2} shift {shift}', rng.standard_normal(n1), rng.standard_normal(n2) + shift, 5)
    # n1*n2/(n1+n2) landing on .5
    for n1 in [7, 9, 21, 45]:
        add(f'half {n1}x{n1}', rng.standard_normal(n1), rng.standard_normal(n1) + 0.5, 7)
    for n1, n2 in half_pairs(4):
        add(f'half {n1}x{n2}', rng.standard_normal(n1), rng.standard_normal(n2) + 0.4, 7)
    # scales from 1e-3 to 1e4 (float32 keeps the order)
    for scale in [1e-3, 1e-1, 1e2, 1e4]:
        add(f'scale {scale:g} 120x80', scale * rng.standard_normal(120), scale * (rng.standard_normal(80) + 0.3), 7)
    # ties: rounded and discrete values
    add('ties rounded 0.1 300x200', np.round(rng.standard_normal(300), 1), np.round(rng.standard_normal(200) + 0.2, 1), 7)
    add('ties integers 0..4 150x150', rng.integers(0, 5, 150), rng.integers(0, 5, 150), 7)
    add('ties integers 0..4 shifted 400x250', rng.integers(0, 5, 400), rng.integers(1, 6, 250), 7)
    add('ties binary 1000x600', rng.integers(0, 2, 1000), (rng.random(600) < 0.6).astype(float), 7)
    # constant, identical, fully separated
    add('constant 40x60', np.full(40, 3.25), np.full(60, 3.25), 7)
    add('constant different 40x60', np.full(40, 3.25), np.full(60, 4.5), 7)
    same = rng.standard_normal(77)
    add('identical 77x77', same, same.copy(), 7)
    add('separated 30x30', rng.random(30), rng.random(30) + 2, 7)
    add('separated 25x40', rng.random(25), rng.random(40) + 2, 7)
    add('separated 300x200', rng.random(300), rng.random(200) + 2, 7)
    add('single 1x1', np.array([1.0]), np.array([2.0]), 7)
    add('single 1x9', np.array([0.5]), rng.random(9), 7)
    # 'auto' above scipy's MAX_AUTO_N = 10,000 runs 'asymp'
    add('auto asymp 10001x60', rng.standard_normal(10001), rng.standard_normal(60) + 0.4, 4)
    return cases


def main():
    kstwo = kstwo_cases()
    pairs = two_sample_cases()
    parts = ['{\n "scipy": %s,\n "numpy": %s,\n "kstwo": [\n' % (json.dumps(scipy.__version__), json.dumps(np.__version__))]
    parts.append(',\n'.join('  [%d, %r, %r]' % (n, d, sf) for n, d, sf in kstwo))
    parts.append('\n ],\n "ks2samp": [\n')
    rows = []
    for c in pairs:
        rows.append('  {"name": %s, "n1": %d, "n2": %d,\n   "asymp": %s, "exact": %s, "auto": %s,\n   "a": %s,\n   "b": %s}'
                    % (json.dumps(c['name']), c['n1'], c['n2'], json.dumps(c['asymp']), json.dumps(c['exact']),
                       json.dumps(c['auto']), text(c['a']), text(c['b'])))
    parts.append(',\n'.join(rows))
    parts.append('\n ]\n}\n')
    body = ''.join(parts)
    json.loads(body)  # well-formed
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        f.write(body)
    print(f'{len(kstwo)} kstwo cases, {len(pairs)} two-sample cases, {len(body):,} bytes -> {os.path.normpath(OUT)}',
          file=sys.stderr)


if __name__ == '__main__':
    main()

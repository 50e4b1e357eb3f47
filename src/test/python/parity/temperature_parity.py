"""Reference outputs for TemperatureScaling: the T minimising the validation NLL of softmax(z / T).

The NLL is convex in beta = 1 / T with derivative g(beta) = mean(E_softmax(beta z)[z] - z[label]),
so the optimum is the root of g, found by scipy.optimize.brentq to float64 precision (xtol 1e-300,
rtol 4 eps) and cross-checked by scipy.optimize.minimize_scalar on the NLL over log T. The optimum
is well defined when g(0) < 0 (labels better than chance) and some sample is misclassified
(otherwise the NLL keeps falling as T -> 0). Logits are float32: uniform(-scale, scale) with the
label's logit raised by margin * scale (one float32 addition, rebuilt exactly by Java), scales
1e-3 to 1e4. Run with /usr/bin/python3 (Debian scipy 1.10.1); writes
src/test/resources/parity/temperature.json.
"""
import numpy as np
import scipy
from scipy.optimize import brentq, minimize_scalar
from scipy.special import logsumexp, softmax

import seeded


def nll(z, labels, beta):
    scaled = beta * z
    return float(np.mean(logsumexp(scaled, axis=1) - scaled[np.arange(len(labels)), labels]))


def gradient(z, labels, beta):
    p = softmax(beta * z, axis=1)
    return float(np.mean(np.sum(p * z, axis=1) - z[np.arange(len(labels)), labels]))


def fit(z, labels):
    if gradient(z, labels, 0.0) >= 0:
        return None
    if np.all(np.argmax(z, axis=1) == labels):
        return None
    hi = 1.0 / np.max(np.abs(z))
    while gradient(z, labels, hi) < 0:
        hi *= 2
    beta = brentq(lambda b: gradient(z, labels, b), 0.0, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                  maxiter=1000)
    check = minimize_scalar(lambda log_t: nll(z, labels, np.exp(-log_t)), bracket=(np.log(0.5 / beta),
                            np.log(2 / beta)), tol=1e-12)
    assert abs(np.exp(check.x) * beta - 1) < 1e-5, (np.exp(check.x), 1 / beta)
    return 1.0 / beta


def main():
    cases = []
    seed = 9000
    # (n, classes, margin)
    shapes = [(5, 2, 0.5), (5, 3, 1.0), (20, 10, 0.3), (100, 2, 0.2), (100, 784, 0.5), (1000, 10, 0.4),
              (1000, 100, 1.5), (5000, 10, 0.6), (5000, 2, 0.05), (300, 5, 3.0)]
    for n, classes, margin in shapes:
        for scale in [1e-3, 0.1, 1.0, 10.0, 1e4]:
            seed += 2
            logit_recipe = seeded.uniform(seed, n * classes, -scale, 2 * scale)
            label_recipe = seeded.levels(seed + 1, n, classes, 1.0, 0.0)
            z = seeded.materialise(logit_recipe).reshape(n, classes)
            labels = seeded.materialise(label_recipe).astype(np.int64)
            z[np.arange(n), labels] += np.float32(margin * scale)
            t = fit(z.astype(np.float64), labels)
            case = {"name": f"n={n} classes={classes} margin={margin:g} scale={scale:g}", "classes": classes,
                    "margin": seeded.f32(margin * scale), "logits": logit_recipe, "labels": label_recipe,
                    "nll_at_1": nll(z.astype(np.float64), labels, 1.0)}
            if t is None:
                case["temperature"] = None
            else:
                case["temperature"] = t
                case["nll_at_t"] = nll(z.astype(np.float64), labels, 1 / t)
            cases.append(case)
            print(case["name"], "T =", t)
    seeded.write("temperature", {"reference": "scipy.optimize.brentq on the NLL's derivative in 1/T, scipy "
                                 + scipy.__version__, "cases": cases})


if __name__ == "__main__":
    main()

"""Reference outputs for Calibration: ECE, MCE, Brier and NLL.

ECE and MCE follow the definition Calibration's Javadoc cites (Guo et al. 2017, Naeini et al.
2015), in float64 numpy: equal-width bins B_m = ((m-1)/M, m/M], confidence = largest probability,
prediction = the first class holding it, ECE = sum |B_m|/n |acc(B_m) - conf(B_m)|, MCE = the
largest gap over non-empty bins. Brier is sklearn.metrics.brier_score_loss on the one-hot targets
and probabilities flattened, times the number of classes (the multi-class Brier score sums over
classes). NLL is -mean(log p[label]); sklearn.metrics.log_loss agrees where rows sum to 1 (it
renormalises rows and clips at float64 eps, which the "zero true-class probability" group shows).

Probabilities are float32 k / sum(k) of seeded integer weights k >= 1 (one float division each,
so Java rebuilds them exactly); "informative" cases add a bonus to the label's weight so accuracy
is not chance. Run with /usr/bin/python3 (Debian sklearn 1.2.1); writes
src/test/resources/parity/calibration.json.
"""
import numpy as np
import sklearn
from sklearn.metrics import brier_score_loss, log_loss

import seeded


def probabilities(weights, labels, bonus):
    k = weights.copy()
    k[np.arange(len(labels)), labels] += np.float32(bonus)
    return k / k.sum(axis=1, dtype=np.float32, keepdims=True)


def reference(p32, labels, bins):
    p = p32.astype(np.float64)
    n, classes = p.shape
    predicted = np.argmax(p32, axis=1)
    confidence = p[np.arange(n), predicted]
    edges = np.arange(bins + 1) / bins
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, bins - 1)
    correct = (predicted == labels).astype(np.float64)
    ece, mce = 0.0, 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            gap = abs(correct[members].mean() - confidence[members].mean())
            ece += members.sum() / n * gap
            mce = max(mce, gap)
    onehot = np.eye(classes)[labels]
    brier = classes * brier_score_loss(onehot.ravel(), p.ravel())
    with np.errstate(divide="ignore"):
        nll = float(-np.mean(np.log(p[np.arange(n), labels])))
    sklearn_nll = log_loss(labels, p, labels=np.arange(classes))
    return {"ece": ece, "mce": mce, "brier": float(brier), "nll": nll, "sklearn_log_loss": float(sklearn_nll)}


def main():
    cases = []
    seed = 7000
    # (n, classes, weight range, label bonus, group)
    shapes = [
        (5, 2, 3, 0, "grid"), (5, 3, 100, 50, "grid"), (20, 2, 2, 1, "grid"), (50, 10, 1000, 2000, "grid"),
        (100, 4, 3, 2, "grid"), (300, 784, 5, 1000, "grid"), (1000, 10, 1, 0, "grid"),
        (1000, 2, 100000, 30000, "grid"), (5000, 10, 50, 200, "grid"), (4999, 100, 7, 20, "grid"),
        (200, 5, 4, 0, "zero true-class probability"),
    ]
    for n, classes, weight_range, bonus, group in shapes:
        for bins in [1, 15, 100] if group == "grid" else [15]:
            seed += 2
            low = 0.0 if group != "grid" else 1.0
            weight_recipe = seeded.levels(seed, n * classes, weight_range, 1.0, low)
            label_recipe = seeded.levels(seed + 1, n, classes, 1.0, 0.0)
            weights = seeded.materialise(weight_recipe).reshape(n, classes)
            labels = seeded.materialise(label_recipe).astype(np.int64)
            if group != "grid":
                weights[:, 0] = np.float32(1)  # rows never sum to zero
                labels = np.where(labels == 0, 1, labels)  # some labels then hold weight 0
            p = probabilities(weights, labels, bonus)
            case = {"name": f"{group} n={n} classes={classes} weights<{weight_range + low:g} bonus={bonus}"
                            f" bins={bins}", "group": group, "classes": classes, "bins": bins, "bonus": bonus,
                    "weights": weight_recipe, "labels": label_recipe}
            case.update(reference(p, labels, bins))
            cases.append(case)
            if group == "grid":
                gap = abs(case["sklearn_log_loss"] - case["nll"]) / case["nll"]
                print(f"{case['name']}: sklearn log_loss vs -mean(log p): {gap:.2e} relative")
    seeded.write("calibration", {"reference": "numpy (Guo et al. 2017 bins), sklearn.metrics.brier_score_loss,"
                                 " log_loss; scikit-learn " + sklearn.__version__, "cases": cases})


if __name__ == "__main__":
    main()

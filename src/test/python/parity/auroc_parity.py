"""Reference outputs for Auroc: sklearn.metrics.roc_auc_score on the same scores.

Positives are labelled 1, negatives 0; scores are float32 values widened to float64, as the Java
test passes them. Run with /usr/bin/python3 (Debian sklearn 1.2.1); writes
src/test/resources/parity/auroc.json.
"""
import sklearn
from sklearn.metrics import roc_auc_score
import numpy as np

import seeded


def main():
    cases = []
    sizes = [(1, 1), (1, 4), (5, 5), (3, 50), (50, 3), (100, 100), (37, 1000), (1000, 4000), (5000, 5000),
             (2500, 10)]
    # (name, positive recipe, negative recipe) as functions of seed, n and scale
    kinds = [
        ("continuous", lambda s, n, scale: seeded.uniform(s, n, 0.2 * scale, scale),
         lambda s, n, scale: seeded.uniform(s, n, 0.0, scale)),
        ("ties", lambda s, n, scale: seeded.levels(s, n, 5, scale, 0.0),
         lambda s, n, scale: seeded.levels(s, n, 4, scale, 0.0)),
        ("all tied", lambda s, n, scale: seeded.levels(s, n, 1, scale, scale),
         lambda s, n, scale: seeded.levels(s, n, 1, scale, scale)),
        ("separated", lambda s, n, scale: seeded.uniform(s, n, 2 * scale, scale),
         lambda s, n, scale: seeded.uniform(s, n, -scale, scale)),
        ("near-equal large offset", lambda s, n, scale: seeded.levels(s, n, 3, scale * 1e-3, 1e3 * scale),
         lambda s, n, scale: seeded.levels(s, n, 3, scale * 1e-3, 1e3 * scale)),
    ]
    for name, pos_recipe, pos, neg_recipe, neg in seeded.paired_grid(3000, sizes, kinds, [1e-3, 1.0, 1e4]):
        y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
        auroc = float(roc_auc_score(y, np.concatenate([pos, neg])))
        cases.append({"name": name, "positives": pos_recipe, "negatives": neg_recipe, "auroc": auroc})
    seeded.write("auroc", {"reference": "sklearn.metrics.roc_auc_score, scikit-learn " + sklearn.__version__,
                           "cases": cases})


if __name__ == "__main__":
    main()

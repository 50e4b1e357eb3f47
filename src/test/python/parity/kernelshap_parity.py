"""Reference outputs for KernelSHAP on a linear model: the closed form phi_j = w_j (x_j - mean_bg_j).

For f(x) = w.x + b with absent features drawn from a background set (the interventional
expectation, as shap.KernelExplainer), the Shapley values are exactly w_j (x_j - mean_j) over the
background; shap is not installed, and needs not be. Weights, inputs and background values are
small integers times powers of two (scales 2^-10 ~ 1e-3 to 2^13 ~ 1e4), so every logit the
float32 model computes is exact and any deviation is the explainer's own. Up to 12 players every
coalition is enumerated; above, the sampled coalitions still give the exact answer for an additive
model (zero residual), so 13, 50 and 784 features are in the grid too. Run with /usr/bin/python3;
writes src/test/resources/parity/kernelshap.json.
"""
import numpy as np

import seeded


def main():
    cases = []
    seed = 11000
    # (features, background rows, explained samples, weight exponent, value exponent)
    shapes = [(2, 1, 3, 0, 0), (2, 5, 3, -5, -5), (3, 10, 4, 0, -10), (5, 100, 3, 3, 10), (8, 7, 2, -10, 0),
              (12, 20, 2, 0, 0), (12, 3, 2, 13, -3), (13, 10, 2, 0, -2), (50, 8, 2, -4, 4), (784, 3, 2, 0, -8)]
    for d, rows, samples, w_exp, v_exp in shapes:
        seed += 4
        w_step, v_step = 2.0 ** w_exp, 2.0 ** v_exp
        weight_recipe = seeded.levels(seed, d, 17, w_step, -8 * w_step)
        background_recipe = seeded.levels(seed + 1, rows * d, 129, v_step, -64 * v_step)
        sample_recipe = seeded.levels(seed + 2, samples * d, 129, v_step, -64 * v_step)
        bias = seeded.f32(-37 * w_step * v_step)
        w = seeded.materialise(weight_recipe).astype(np.float64)
        background = seeded.materialise(background_recipe).astype(np.float64).reshape(rows, d)
        x = seeded.materialise(sample_recipe).astype(np.float64).reshape(samples, d)
        phi = w * (x - background.mean(axis=0))
        cases.append({"name": f"features={d} background={rows} weights~2^{w_exp} values~2^{v_exp}",
                      "features": d, "bias": bias, "weights": weight_recipe, "background": background_recipe,
                      "samples": sample_recipe, "shap": phi.tolist()})
    seeded.write("kernelshap", {"reference": "closed form w_j (x_j - mean_background_j) in float64 numpy",
                                "cases": cases})


if __name__ == "__main__":
    main()

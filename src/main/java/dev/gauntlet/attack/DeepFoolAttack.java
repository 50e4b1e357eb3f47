package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016): a minimal-perturbation attack. At each iteration it
 * linearises the classifier around the current point, steps to the nearest linearised decision
 * boundary — {@code r = (|f_l| + 1e-4)/‖w_l‖² · w_l} in L2, {@code (|f_l| + 1e-4)/‖w_l‖₁ · sign(w_l)}
 * in L∞, where {@code f_k = z_k − z_y}, {@code w_k = ∇z_k − ∇z_y} and l minimises
 * {@code |f_k|/‖w_k‖} — and stops for each sample once it is misclassified. The total
 * perturbation is scaled by {@code 1 + overshoot} [0.02] to cross the boundary, and each iterate
 * is clipped to the data's bounds, so the linearisation sees the point that will be returned.
 *
 * <p>Its per-sample perturbation norms estimate each sample's distance to the decision boundary
 * (the minimal ε). Unbounded by default; {@link #linf(double)} / {@link #l2(double)} cap it.
 * Each iteration costs one gradient per class.
 */
public final class DeepFoolAttack extends BallAttack {

    private static final long serialVersionUID = 1L;

    private final int maxIterations;
    private final double overshoot;

    DeepFoolAttack(Norm norm, double epsilon, int maxIterations, double overshoot) {
        super(norm, checkCap(epsilon));
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(overshoot >= 0 && overshoot < 1)) {
            throw new IllegalArgumentException("overshoot must be in [0, 1), got " + overshoot);
        }
        this.maxIterations = maxIterations;
        this.overshoot = overshoot;
    }

    /**
     * Returns the L∞ variant, with its perturbations capped at ε (infinity for no cap).
     *
     * @param cap ε
     * @return the attack
     */
    public DeepFoolAttack linf(double cap) {
        return new DeepFoolAttack(Norm.LINF, cap, maxIterations, overshoot);
    }

    /**
     * Returns the L2 variant, with its perturbations capped at ε (infinity for no cap).
     *
     * @param cap ε
     * @return the attack
     */
    public DeepFoolAttack l2(double cap) {
        return new DeepFoolAttack(Norm.L2, cap, maxIterations, overshoot);
    }

    /**
     * Returns the attack with another iteration limit.
     *
     * @param count at least 1
     * @return the attack
     */
    public DeepFoolAttack maxIterations(int count) {
        return new DeepFoolAttack(norm, epsilon, count, overshoot);
    }

    /**
     * Returns the attack with another overshoot.
     *
     * @param factor in [0, 1)
     * @return the attack
     */
    public DeepFoolAttack overshoot(double factor) {
        return new DeepFoolAttack(norm, epsilon, maxIterations, factor);
    }

    @Override
    public String name() {
        return "deepfool-" + norm.label() + "(" + (Double.isInfinite(epsilon) ? "" : "eps=" + Attacks.format(epsilon)
                + ", ") + "max-iterations=" + maxIterations + ", overshoot=" + Attacks.format(overshoot) + ")";
    }

    @Override
    public DeepFoolAttack withEpsilon(double newEpsilon) {
        return new DeepFoolAttack(norm, newEpsilon, maxIterations, overshoot);
    }

    @Override
    public NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds,
            SampleSeeds seeds) {
        NDManager scope = inputs.getManager();
        int n = Math.toIntExact(inputs.getShape().get(0));
        int d = Math.toIntExact(inputs.size() / n);
        int classes = classifier.numClasses();
        int[] label = labels.toType(DataType.INT32, false).toIntArray();
        float[] origin = inputs.toFloatArray();
        float[] total = new float[n * d];
        float[] current = origin.clone();
        boolean[] done = new boolean[n];
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            try (NDManager step = scope.newSubManager()) {
                NDArray x = step.create(current, inputs.getShape());
                float[] logits = classifier.logits(x).toFloatArray();
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    done[i] |= RobustnessEvaluator.argMax(logits, i * classes, classes) != label[i];
                    any |= !done[i];
                }
                if (!any) {
                    break;
                }
                float[][] gradients = new float[classes][];
                for (int k = 0; k < classes; k++) {
                    NDArray target = step.full(labels.getShape(), k, DataType.INT32);
                    gradients[k] = Perturbations.gradient(classifier, x, target, GradientLoss.classLogit(), name())
                            .toFloatArray();
                }
                for (int i = 0; i < n; i++) {
                    if (!done[i]) {
                        stepTowardsBoundary(i, d, classes, label[i], logits, gradients, total);
                    }
                }
                for (int i = 0; i < n * d; i++) {
                    double moved = origin[i] + (1 + overshoot) * total[i];
                    current[i] = (float) Math.max(bounds.lower(), Math.min(bounds.upper(), moved));
                }
            }
        }
        NDArray adversarial = scope.create(current, inputs.getShape());
        if (Double.isFinite(epsilon)) {
            return Perturbations.project(adversarial, inputs, epsilon, norm, bounds);
        }
        return Perturbations.clip(adversarial, bounds);
    }

    private void stepTowardsBoundary(int i, int d, int classes, int y, float[] logits, float[][] gradients,
            float[] total) {
        double best = Double.POSITIVE_INFINITY;
        int closest = -1;
        double closestF = 0;
        double closestNorm = 0;
        for (int k = 0; k < classes; k++) {
            if (k == y) {
                continue;
            }
            double f = logits[i * classes + k] - logits[i * classes + y];
            double size = 0;
            for (int j = 0; j < d; j++) {
                double w = gradients[k][i * d + j] - gradients[y][i * d + j];
                size += norm == Norm.L2 ? w * w : Math.abs(w);
            }
            size = norm == Norm.L2 ? Math.sqrt(size) : size;
            double distance = Math.abs(f) / (size + 1e-12);
            if (distance < best) {
                best = distance;
                closest = k;
                closestF = f;
                closestNorm = size;
            }
        }
        double scale = norm == Norm.L2 ? (Math.abs(closestF) + 1e-4) / (closestNorm * closestNorm + 1e-12)
                : (Math.abs(closestF) + 1e-4) / (closestNorm + 1e-12);
        for (int j = 0; j < d; j++) {
            double w = gradients[closest][i * d + j] - gradients[y][i * d + j];
            total[i * d + j] += (float) (norm == Norm.L2 ? scale * w : scale * Math.signum(w));
        }
    }

    @Override
    public String toString() {
        return name();
    }
}

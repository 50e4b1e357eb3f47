package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.UnsupportedCapabilityException;

/**
 * Integrated Gradients (Sundararajan et al. 2017): {@code (x − x′) ⊙ ∫₀¹ ∂z_c/∂x(x′ + α(x − x′)) dα},
 * the integral by Gauss–Legendre quadrature over {@code steps} nodes (captum's default method),
 * the baseline {@code x′} a constant (default 0). Completeness — the attributions sum to
 * {@code z_c(x) − z_c(x′)} — holds up to quadrature error: see {@link #completenessDeltas}.
 */
public final class IntegratedGradients implements Explainer {

    private final int steps;
    private final float baseline;
    private final double[] nodes;
    private final double[] weights;

    IntegratedGradients(int steps, double baseline) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!Double.isFinite(baseline)) {
            throw new IllegalArgumentException("baseline must be finite, got " + baseline);
        }
        this.steps = steps;
        this.baseline = (float) baseline;
        double[][] rule = gaussLegendre(steps);
        this.nodes = rule[0];
        this.weights = rule[1];
    }

    /**
     * Returns this method with another constant baseline.
     *
     * @param value the baseline's value for every feature (e.g. 0 for black images)
     * @return a copy
     */
    public IntegratedGradients baseline(double value) {
        return new IntegratedGradients(steps, value);
    }

    @Override
    public String name() {
        return "integrated-gradients(steps=" + steps + ", baseline=" + baseline + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        UnsupportedCapabilityException.requireInputGradients(classifier, name());
        NDArray difference = inputs.sub(baseline);
        NDArray integral = null;
        for (int k = 0; k < steps; k++) {
            NDArray point = difference.mul((float) nodes[k]).add(baseline);
            NDArray gradient = classifier.inputGradient(point, classes, GradientLoss.classLogit())
                    .mul((float) weights[k]);
            integral = integral == null ? gradient : integral.add(gradient);
            point.close();
        }
        return integral.mul(difference);
    }

    /**
     * Computes each sample's completeness delta {@code Σ attributions − (z_c(x) − z_c(x′))}.
     *
     * @param classifier the model
     * @param inputs the samples
     * @param classes the explained classes
     * @param attributions this method's attributions of them
     * @return one delta per sample
     */
    public double[] completenessDeltas(Classifier classifier, NDArray inputs, NDArray classes, NDArray attributions) {
        int n = Math.toIntExact(inputs.getShape().get(0));
        NDArray oneHot = classes.oneHot(classifier.numClasses());
        float[] atInput = classifier.logits(inputs).mul(oneHot).sum(new int[] {1}).toFloatArray();
        float[] atBaseline = classifier.logits(inputs.zerosLike().add(baseline)).mul(oneHot).sum(new int[] {1})
                .toFloatArray();
        float[] sums = attributions.reshape(n, -1).sum(new int[] {1}).toFloatArray();
        double[] deltas = new double[n];
        for (int i = 0; i < n; i++) {
            deltas[i] = sums[i] - ((double) atInput[i] - atBaseline[i]);
        }
        return deltas;
    }

    /** Nodes and weights of the n-point Gauss–Legendre rule mapped to [0, 1] (Newton on P_n). */
    static double[][] gaussLegendre(int n) {
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p0 = 1;
                double p1 = 0;
                for (int j = 1; j <= n; j++) {
                    double p2 = p1;
                    p1 = p0;
                    p0 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j;
                }
                derivative = n * (z * p0 - p1) / (z * z - 1);
                double previous = z;
                z = previous - p0 / derivative;
                if (Math.abs(z - previous) < 1e-15) {
                    break;
                }
            }
            x[i] = (1 - z) / 2;
            w[i] = 1 / ((1 - z * z) * derivative * derivative);
        }
        return new double[][] {x, w};
    }
}

package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.SplittableRandom;

/**
 * The Square attack (Andriushchenko et al. 2020), L∞: a black-box attack that needs only the
 * model's outputs, so models without gradients can be tested, and a check that a white-box
 * attack's weakness is not gradient masking.
 *
 * <p>It starts from vertical stripes of ±ε and then, for each query, proposes to set a random
 * square window (all channels) to a fresh ±ε per channel; the proposal is kept when it lowers
 * the margin {@code z_y − max_{k≠y} z_k}. The window covers a fraction p of the image, starting at
 * p_init [0.8] and halved on the published schedule (iterations 10, 50, 200, 500, 1000, 2000,
 * 4000, 6000, 8000 of 10,000, scaled to the query budget). Samples stop once fooled. Inputs of
 * shape {@code (C, H, W)}; flat feature vectors are treated as one-row images.
 */
public final class SquareAttack extends BallAttack {

    private static final long serialVersionUID = 1L;

    private static final int[] SCHEDULE = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};

    private final int queries;
    private final double pInit;

    SquareAttack(double epsilon, int queries, double pInit) {
        super(Norm.LINF, Attacks.checkEpsilon(epsilon));
        if (queries < 1) {
            throw new IllegalArgumentException("queries must be >= 1, got " + queries);
        }
        if (!(pInit > 0 && pInit <= 1)) {
            throw new IllegalArgumentException("pInit must be in (0, 1], got " + pInit);
        }
        this.queries = queries;
        this.pInit = pInit;
    }

    /**
     * Returns the attack with an L∞ budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public SquareAttack linf(double newEpsilon) {
        return new SquareAttack(newEpsilon, queries, pInit);
    }

    /**
     * Returns the attack with another query budget per sample.
     *
     * @param count at least 1
     * @return the attack
     */
    public SquareAttack queries(int count) {
        return new SquareAttack(epsilon, count, pInit);
    }

    /**
     * Returns the attack with another initial window fraction.
     *
     * @param fraction in (0, 1]
     * @return the attack
     */
    public SquareAttack pInit(double fraction) {
        return new SquareAttack(epsilon, queries, fraction);
    }

    @Override
    public String name() {
        return "square-linf(eps=" + Attacks.format(epsilon) + ", queries=" + queries + ", p-init="
                + Attacks.format(pInit) + ")";
    }

    @Override
    public SquareAttack withEpsilon(double newEpsilon) {
        return new SquareAttack(newEpsilon, queries, pInit);
    }

    @Override
    public NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds,
            SampleSeeds seeds) {
        if (epsilon == 0) {
            return inputs.duplicate();
        }
        NDManager scope = inputs.getManager();
        Shape shape = inputs.getShape();
        int n = Math.toIntExact(shape.get(0));
        long[] dims = shape.slice(1).getShape();
        int channels = dims.length == 3 ? (int) dims[0] : 1;
        int height = dims.length >= 2 ? (int) dims[dims.length - 2] : 1;
        int width = (int) dims[dims.length - 1];
        int d = channels * height * width;
        int[] label = labels.toType(DataType.INT32, false).toIntArray();
        float[] origin = inputs.toFloatArray();
        float[] best = new float[n * d];
        SplittableRandom[] randoms = seeds.generators();
        for (int i = 0; i < n; i++) {
            SplittableRandom random = randoms[i];
            for (int c = 0; c < channels; c++) {
                for (int col = 0; col < width; col++) {
                    float sign = random.nextBoolean() ? 1 : -1;
                    for (int row = 0; row < height; row++) {
                        int at = i * d + (c * height + row) * width + col;
                        best[at] = clip(origin[at] + sign * (float) epsilon, bounds);
                    }
                }
            }
        }
        int classes = classifier.numClasses();
        double[] margin = margins(classifier, scope, best, shape, label, classes);
        float[] candidate = best.clone();
        for (int query = 1; query < queries; query++) {
            int side = windowSide(query, height, width);
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if (margin[i] < 0) {
                    continue;
                }
                any = true;
                SplittableRandom random = randoms[i];
                int top = height == 1 ? 0 : random.nextInt(height - Math.min(side, height) + 1);
                int left = random.nextInt(width - Math.min(side, width) + 1);
                for (int c = 0; c < channels; c++) {
                    float sign = random.nextBoolean() ? 1 : -1;
                    for (int row = top; row < Math.min(height, top + side); row++) {
                        for (int col = left; col < Math.min(width, left + side); col++) {
                            int at = i * d + (c * height + row) * width + col;
                            candidate[at] = clip(origin[at] + sign * (float) epsilon, bounds);
                        }
                    }
                }
            }
            if (!any) {
                break;
            }
            double[] proposed = margins(classifier, scope, candidate, shape, label, classes);
            for (int i = 0; i < n; i++) {
                int from = i * d;
                if (margin[i] >= 0 && proposed[i] < margin[i]) {
                    margin[i] = proposed[i];
                    System.arraycopy(candidate, from, best, from, d);
                } else {
                    System.arraycopy(best, from, candidate, from, d);
                }
            }
        }
        return scope.create(best, shape);
    }

    private int windowSide(int query, int height, int width) {
        int scaled = Math.max(1, queries);
        double p = pInit;
        for (int boundary : SCHEDULE) {
            if (query > (int) ((long) boundary * scaled / 10_000)) {
                p /= 2;
            }
        }
        int area = height * width;
        return Math.max(1, (int) Math.round(Math.sqrt(p * area)));
    }

    private float clip(float value, ValueBounds bounds) {
        return (float) Math.max(bounds.lower(), Math.min(bounds.upper(), value));
    }

    /** z_y − max_{k≠y} z_k per sample: negative once the sample is misclassified. */
    private static double[] margins(Classifier classifier, NDManager scope, float[] values, Shape shape, int[] label,
            int classes) {
        float[] logits;
        try (NDManager step = scope.newSubManager()) {
            logits = classifier.logits(step.create(values, shape)).toFloatArray();
        }
        double[] margin = new double[label.length];
        for (int i = 0; i < label.length; i++) {
            double other = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if (k != label[i]) {
                    other = Math.max(other, logits[i * classes + k]);
                }
            }
            margin[i] = logits[i * classes + label[i]] - other;
        }
        return margin;
    }

    @Override
    public String toString() {
        return name();
    }
}

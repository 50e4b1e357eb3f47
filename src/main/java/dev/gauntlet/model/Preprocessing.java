package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Locale;

/**
 * Input preprocessing that a model expects but that is not part of its file:
 * {@code (x · scale − mean[c]) / std[c]} per channel {@code c} (dimension 1 of the batch: an
 * image's channel, or a tabular row's feature). Declared
 * on the classifier, it is applied inside it, so attacks, value bounds and ε stay in the raw input
 * units of the data (e.g. [0, 1] pixels), as IBM ART's and Foolbox's {@code preprocessing=(mean, std)}
 * do. Gradients flow through it.
 *
 * @param scale multiplies the raw input first, e.g. 1 or 1/255
 * @param mean per-channel means subtracted after scaling (one value applies to every channel)
 * @param std per-channel standard deviations divided by, each positive
 */
public record Preprocessing(double scale, double[] mean, double[] std) {

    private static final Preprocessing NONE = new Preprocessing(1, new double[] {0}, new double[] {1});

    /**
     * Validates and copies the values.
     *
     * @throws IllegalArgumentException if a value is not finite, a std is not positive, or the
     *     arrays are empty or of different lengths
     */
    public Preprocessing {
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("preprocessing scale must be a finite non-zero number, got " + scale);
        }
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("preprocessing needs as many means as standard deviations (one per"
                    + " channel, or one for all), got " + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !Double.isFinite(std[c]) || std[c] <= 0) {
                throw new IllegalArgumentException("preprocessing channel " + c + " has mean " + mean[c] + " and std "
                        + std[c] + "; both must be finite and the std positive");
            }
        }
    }

    /**
     * Returns the identity: the model takes the data as it is.
     *
     * @return no preprocessing
     */
    public static Preprocessing none() {
        return NONE;
    }

    /**
     * Returns per-channel normalisation {@code (x − mean[c]) / std[c]}.
     *
     * @param mean one mean per channel, or one for all
     * @param std one standard deviation per channel, or one for all
     * @return the preprocessing
     */
    public static Preprocessing normalize(double[] mean, double[] std) {
        return new Preprocessing(1, mean, std);
    }

    /**
     * Returns this preprocessing with the raw input multiplied by {@code factor} first, e.g. 1/255
     * for a model trained on [0, 1] pixels evaluated on data in [0, 255].
     *
     * @param factor the scale
     * @return a new preprocessing
     */
    public Preprocessing withScale(double factor) {
        return new Preprocessing(factor, mean, std);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Tells whether this is the identity.
     *
     * @return true if inputs pass unchanged
     */
    public boolean isIdentity() {
        return equals(NONE);
    }

    /**
     * Checks that the values fit a model's input shape: one per channel (dimension 0 of a sample), or one.
     *
     * @param sampleShape the model's per-sample input shape
     * @throws IllegalArgumentException if the channel count differs
     */
    void checkFits(Shape sampleShape) {
        if (mean.length > 1 && (sampleShape.dimension() < 1 || sampleShape.get(0) != mean.length)) {
            throw new IllegalArgumentException("preprocessing has " + mean.length + " channel values but the model's"
                    + " input shape is " + sampleShape + " (channels, or features, first); give one value per channel"
                    + " or one for all");
        }
    }

    /**
     * Applies the preprocessing to a batch; the identity returns the batch itself.
     *
     * @param inputs a batch {@code (n, channels, ...)}
     * @return the model's inputs, in the same manager
     */
    NDArray apply(NDArray inputs) {
        if (isIdentity()) {
            return inputs;
        }
        Shape shape = inputs.getShape();
        long[] broadcast = new long[shape.dimension()];
        Arrays.fill(broadcast, 1);
        if (mean.length > 1) {
            broadcast[1] = mean.length;
        }
        float[] means = new float[mean.length];
        float[] stds = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            means[c] = (float) mean[c];
            stds[c] = (float) std[c];
        }
        // the operations, in float32, of the usual (x - mean) / std, so a model that normalises inside
        // (torchvision's Normalize, a traced (x - m) / s) sees bit for bit the same inputs
        NDArray scaled = scale == 1 ? inputs : inputs.mul((float) scale);
        return scaled.sub(inputs.getManager().create(means, new Shape(broadcast)))
                .div(inputs.getManager().create(stds, new Shape(broadcast)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Preprocessing p && scale == p.scale && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(scale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return isIdentity() ? "none" : String.format(Locale.ROOT, "scale %s, mean %s, std %s", scale,
                Arrays.toString(mean), Arrays.toString(std));
    }
}

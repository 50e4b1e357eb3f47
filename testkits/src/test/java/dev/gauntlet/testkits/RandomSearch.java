package dev.gauntlet.testkits;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.SplittableRandom;

/**
 * A gradient-free, seeded random search inside an L∞ ball cut to the data's bounds: per sample,
 * {@code draws} points, half at the ball's vertices ({@code x ± ε} per feature, the signs drawn
 * uniformly; the extreme points where a linear model is worst) and half uniform in the ball, and
 * keeps the one with the smallest classification margin {@code z_label − max_{c≠label} z_c}. A
 * test helper that checks certified bounds with no attack machinery of the library.
 */
final class RandomSearch {

    private static final int BATCH = 500;

    private RandomSearch() {}

    /**
     * The worst point found per sample.
     *
     * @param inputs the worst input per sample, flattened
     * @param margins its margin, below 0 where the search changed the prediction
     */
    record Result(float[][] inputs, double[] margins) {}

    /**
     * Searches every sample's ball.
     *
     * @param classifier the model
     * @param data the labelled samples
     * @param epsilon the L∞ radius
     * @param draws points per sample
     * @param seed the search's seed; sample {@code i} uses {@code seed + i}
     * @return the worst point per sample
     */
    static Result search(Classifier classifier, Dataset data, double epsilon, int draws, long seed) {
        ValueBounds bounds = data.bounds();
        int width = data.featureCount();
        float[][] worst = new float[data.size()][];
        double[] margins = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            float[] x = data.features(i);
            SplittableRandom random = new SplittableRandom(seed + i);
            margins[i] = Double.POSITIVE_INFINITY;
            for (int start = 0; start < draws; start += BATCH) {
                int size = Math.min(BATCH, draws - start);
                float[] points = new float[size * width];
                for (int k = 0; k < size; k++) {
                    boolean vertex = (start + k) % 2 == 0;
                    for (int j = 0; j < width; j++) {
                        double step = vertex ? (random.nextBoolean() ? epsilon : -epsilon)
                                : epsilon * (2 * random.nextDouble() - 1);
                        double value = Math.min(Math.max(x[j] + step, bounds.lower()), bounds.upper());
                        points[k * width + j] = clampToBall((float) value, x[j], epsilon);
                    }
                }
                float[] logits;
                try (NDManager scope = classifier.newScope()) {
                    logits = classifier.logits(scope.create(points, new Shape(size).addAll(classifier.inputShape())))
                            .toFloatArray();
                }
                int classes = classifier.numClasses();
                for (int k = 0; k < size; k++) {
                    double margin = margin(logits, k * classes, classes, data.label(i));
                    if (margin < margins[i]) {
                        margins[i] = margin;
                        worst[i] = java.util.Arrays.copyOfRange(points, k * width, (k + 1) * width);
                    }
                }
            }
        }
        return new Result(worst, margins);
    }

    /** {@code z_label − max_{c≠label} z_c} of one row of logits starting at {@code offset}. */
    static double margin(float[] logits, int offset, int classes, int label) {
        double other = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            if (c != label) {
                other = Math.max(other, logits[offset + c]);
            }
        }
        return logits[offset + label] - other;
    }

    /** Rounds toward x when float32 rounding of {@code x ± ε} left the ball. */
    private static float clampToBall(float value, float x, double epsilon) {
        float v = value;
        while (Math.abs((double) v - x) > epsilon) {
            v = Math.nextAfter(v, x);
        }
        return v;
    }
}

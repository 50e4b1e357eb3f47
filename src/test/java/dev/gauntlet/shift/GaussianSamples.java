package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;

import java.util.Random;

/** Seeded Gaussian samples for the drift detectors' tests: independent standard normal features, shifted. */
final class GaussianSamples {

    private GaussianSamples() {}

    /**
     * Returns {@code n} rows of {@code features} values drawn from N(shift, 1), labelled 0 of 2 classes.
     *
     * @param n the number of rows
     * @param features the number of features
     * @param shift the mean of every feature
     * @param seed the seed of the draws
     * @return the dataset
     */
    static Dataset gaussian(int n, int features, double shift, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][features];
        for (float[] row : rows) {
            for (int j = 0; j < features; j++) {
                row[j] = (float) (random.nextGaussian() + shift);
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[n]).setNumClasses(2).build();
    }
}

package dev.gauntlet.explain;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Attributions of a batch of samples, one flat row per sample in the samples' layout: what an
 * {@link Explainer} returns.
 *
 * @param method the explainer's name
 * @param sampleShape the shape of one sample
 * @param classes the explained class of each sample
 * @param attributions one row per sample
 */
public record ExplanationBatch(String method, long[] sampleShape, int[] classes, float[][] attributions) {

    /** @return the number of explained samples */
    public int size() {
        return attributions.length;
    }

    /**
     * Returns one sample's attribution.
     *
     * @param sample the index
     * @return a copy of its row
     */
    public float[] attribution(int sample) {
        return attributions[sample].clone();
    }

    /** @return the mean absolute attribution of each feature over the samples */
    public double[] meanAbsolute() {
        double[] mean = new double[attributions[0].length];
        for (float[] row : attributions) {
            for (int j = 0; j < row.length; j++) {
                mean[j] += Math.abs(row[j]) / attributions.length;
            }
        }
        return mean;
    }

    /**
     * Returns the features with the largest mean absolute attribution.
     *
     * @param k how many
     * @return feature indices, most important first
     */
    public int[] topFeatures(int k) {
        double[] mean = meanAbsolute();
        return IntStream.range(0, mean.length).boxed().sorted(Comparator.comparingDouble(j -> -mean[j]))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "ExplanationBatch[" + method + ", " + size() + " samples of shape " + Arrays.toString(sampleShape) + "]";
    }
}

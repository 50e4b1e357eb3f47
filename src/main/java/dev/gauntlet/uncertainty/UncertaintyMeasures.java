package dev.gauntlet.uncertainty;

import java.util.Arrays;

/**
 * Uncertainty of a predictive distribution sampled T times (MC-dropout passes or ensemble
 * members), in nats (natural logarithm), per sample:
 * <ul>
 *   <li>predictive entropy {@code H[mean_t p_t]} — total uncertainty;
 *   <li>expected entropy {@code mean_t H[p_t]} — aleatoric;
 *   <li>mutual information (BALD, Houlsby et al. 2011) {@code H[mean_t p_t] − mean_t H[p_t]} — epistemic;
 *   <li>variation ratio {@code 1 − (count of the modal predicted class)/T}.
 * </ul>
 *
 * @param predictiveEntropy per sample
 * @param expectedEntropy per sample
 * @param mutualInformation per sample
 * @param variationRatio per sample
 * @param meanProbabilities the averaged distribution, one row per sample
 */
public record UncertaintyMeasures(double[] predictiveEntropy, double[] expectedEntropy, double[] mutualInformation,
        double[] variationRatio, float[][] meanProbabilities) {

    /**
     * Computes the measures from sampled distributions.
     *
     * @param samples {@code samples[t][i][k]}: pass t's probability of class k for sample i
     * @return the measures
     */
    public static UncertaintyMeasures of(float[][][] samples) {
        int passes = samples.length;
        if (passes == 0) {
            throw new IllegalArgumentException("samples must hold at least one pass");
        }
        int n = samples[0].length;
        int classes = samples[0][0].length;
        double[] predictive = new double[n];
        double[] expected = new double[n];
        double[] mutual = new double[n];
        double[] variation = new double[n];
        float[][] mean = new float[n][classes];
        for (int i = 0; i < n; i++) {
            double[] average = new double[classes];
            int[] votes = new int[classes];
            double entropySum = 0;
            for (float[][] pass : samples) {
                float[] p = pass[i];
                entropySum += entropy(p);
                int predicted = 0;
                for (int k = 0; k < classes; k++) {
                    average[k] += p[k] / passes;
                    predicted = p[k] > p[predicted] ? k : predicted;
                }
                votes[predicted]++;
            }
            for (int k = 0; k < classes; k++) {
                mean[i][k] = (float) average[k];
            }
            predictive[i] = entropy(average);
            expected[i] = entropySum / passes;
            mutual[i] = Math.max(0, predictive[i] - expected[i]);
            variation[i] = 1 - (double) Arrays.stream(votes).max().orElse(0) / passes;
        }
        return new UncertaintyMeasures(predictive, expected, mutual, variation, mean);
    }

    private static double entropy(float[] p) {
        double h = 0;
        for (float v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }
}

package dev.gauntlet.uncertainty;

import java.util.Arrays;

/**
 * The area under the ROC curve of a score separating positives from negatives: the probability
 * that a random positive scores higher than a random negative, ties counting half
 * (Mann–Whitney U / (n₊·n₋), with average ranks for ties).
 */
public final class Auroc {

    private Auroc() {}

    /**
     * Computes the AUROC.
     *
     * @param positives scores of the positive samples (e.g. out-of-distribution, or wrong predictions)
     * @param negatives scores of the negative samples
     * @return the AUROC in [0, 1]; 0.5 is chance
     */
    public static double of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("AUROC needs at least one positive and one negative, got "
                    + positives.length + " and " + negatives.length);
        }
        int n = positives.length + negatives.length;
        double[][] all = new double[n][];
        for (int i = 0; i < positives.length; i++) {
            all[i] = new double[] {positives[i], 1};
        }
        for (int i = 0; i < negatives.length; i++) {
            all[positives.length + i] = new double[] {negatives[i], 0};
        }
        for (double[] entry : all) {
            if (Double.isNaN(entry[0])) {
                throw new IllegalArgumentException("scores must not be NaN");
            }
        }
        Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
        double positiveRankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && all[j][0] == all[i][0]) {
                j++;
            }
            double averageRank = (i + 1 + j) / 2.0;
            for (int t = i; t < j; t++) {
                positiveRankSum += all[t][1] * averageRank;
            }
            i = j;
        }
        double u = positiveRankSum - positives.length * (positives.length + 1) / 2.0;
        return u / ((double) positives.length * negatives.length);
    }
}

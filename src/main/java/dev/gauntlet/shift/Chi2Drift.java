package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Per-feature chi-squared drift test for categorical features, as alibi-detect's
 * {@code ChiSquareDrift}: for each feature, a contingency table of category counts (reference vs
 * current, categories = the values seen in either), tested as scipy's {@code chi2_contingency}
 * does — with Yates' continuity correction when the table has one degree of freedom — then
 * Bonferroni (threshold {@code p_val / n_features}). Default {@code p_val} 0.05.
 */
public final class Chi2Drift implements DriftDetector {

    private final double pVal;

    private Chi2Drift(double pVal) {
        if (!(pVal > 0 && pVal < 1)) {
            throw new IllegalArgumentException("pVal must be in (0, 1), got " + pVal);
        }
        this.pVal = pVal;
    }

    /**
     * Returns the test with p_val 0.05.
     *
     * @return the test
     */
    public static Chi2Drift chi2() {
        return new Chi2Drift(0.05);
    }

    /**
     * Returns the test at another significance level.
     *
     * @param level in (0, 1)
     * @return the test
     */
    public Chi2Drift pVal(double level) {
        return new Chi2Drift(level);
    }

    @Override
    public String name() {
        return "chi2(p_val=" + pVal + ", bonferroni)";
    }

    @Override
    public DriftResult test(Dataset reference, Dataset current, long seed) {
        if (reference.featureCount() != current.featureCount()) {
            throw new InvalidDataException("reference '" + reference.name() + "' has " + reference.featureCount()
                    + " features but current '" + current.name() + "' has " + current.featureCount());
        }
        int d = reference.featureCount();
        List<FeatureTest> features = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            TreeMap<Float, long[]> table = new TreeMap<>();
            for (int i = 0; i < reference.size(); i++) {
                table.computeIfAbsent(reference.features(i)[j], k -> new long[2])[0]++;
            }
            for (int i = 0; i < current.size(); i++) {
                table.computeIfAbsent(current.features(i)[j], k -> new long[2])[1]++;
            }
            double[] result = contingency(table.values().toArray(new long[0][]));
            features.add(new FeatureTest(j, result[0], result[1]));
        }
        double threshold = pVal / d;
        double minP = features.stream().mapToDouble(FeatureTest::pValue).min().orElse(1);
        double maxStatistic = features.stream().mapToDouble(FeatureTest::statistic).max().orElse(0);
        return new DriftResult(name(), maxStatistic, minP, threshold, minP < threshold, features);
    }

    /**
     * The chi-squared statistic and p-value of a categories × 2 contingency table, as scipy's
     * {@code chi2_contingency} (Yates' correction at one degree of freedom).
     *
     * @param counts one row {reference count, current count} per category
     * @return {statistic, p-value}
     */
    static double[] contingency(long[][] counts) {
        int rows = counts.length;
        if (rows < 2) {
            return new double[] {0, 1};
        }
        double[] rowTotals = new double[rows];
        double[] columnTotals = new double[2];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 2; c++) {
                rowTotals[r] += counts[r][c];
                columnTotals[c] += counts[r][c];
                total += counts[r][c];
            }
        }
        int dof = rows - 1;
        double statistic = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 2; c++) {
                double expected = rowTotals[r] * columnTotals[c] / total;
                double difference = counts[r][c] - expected;
                if (dof == 1) {
                    difference = Math.signum(difference) * Math.max(0, Math.abs(difference) - Math.min(0.5,
                            Math.abs(difference)));
                }
                statistic += difference * difference / expected;
            }
        }
        double p = 1 - new ChiSquaredDistribution(dof).cumulativeProbability(statistic);
        return new double[] {statistic, Math.max(0, p)};
    }

    @Override
    public String toString() {
        return name();
    }
}

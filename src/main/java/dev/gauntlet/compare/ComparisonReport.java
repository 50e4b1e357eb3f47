package dev.gauntlet.compare;

import dev.gauntlet.report.Fields;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Candidate versus baseline on one metric (accuracy, or robust accuracy under an attack), overall and
 * per class, with where they disagree.
 *
 * @param metric the metric, e.g. {@code accuracy} or {@code robust accuracy under PGD...}
 * @param dataset the dataset's name
 * @param overall the paired comparison on every sample
 * @param perClass one paired comparison per class (recall), classes without samples left out, with
 *     Holm-adjusted p-values over the classes
 * @param regressionConfusion {@code [true class][candidate's prediction]}: how the regressions (baseline
 *     right, candidate wrong) went wrong
 * @param regressions up to {@link ModelComparison#EXAMPLES} regressions, in dataset order
 * @param improvements up to {@link ModelComparison#EXAMPLES} improvements, in dataset order
 */
public record ComparisonReport(String metric, String dataset, PairedComparison overall,
        List<PairedComparison> perClass, int[][] regressionConfusion, List<Flip> regressions, List<Flip> improvements) {

    /** Copies the parts. */
    public ComparisonReport {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(overall, "overall");
        perClass = List.copyOf(perClass);
        regressionConfusion = Arrays.stream(regressionConfusion).map(int[]::clone).toArray(int[][]::new);
        regressions = List.copyOf(regressions);
        improvements = List.copyOf(improvements);
    }

    @Override
    public int[][] regressionConfusion() {
        return Arrays.stream(regressionConfusion).map(int[]::clone).toArray(int[][]::new);
    }

    /**
     * Returns the class whose recall fell most (the lowest candidate − baseline), ties to the smaller p.
     *
     * @return the worst class, or empty without classes
     */
    public Optional<PairedComparison> worstClass() {
        return perClass.stream().min(Comparator.comparingDouble((PairedComparison p) -> p.difference().estimate())
                .thenComparingDouble(p -> p.test().midPOneSided()));
    }

    /**
     * Returns the regressions per true class (the confusion's row sums).
     *
     * @return one count per class
     */
    public int[] regressionsByClass() {
        int[] counts = new int[regressionConfusion.length];
        for (int c = 0; c < counts.length; c++) {
            for (int v : regressionConfusion[c]) {
                counts[c] += v;
            }
        }
        return counts;
    }

    /**
     * Returns the report as an ordered map, for JSON evidence.
     *
     * @return every number of the report
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "metric", metric,
                "dataset", dataset,
                "overall", overall.toMap(),
                "perClass", perClass.stream().map(PairedComparison::toMap).toList(),
                "regressionsByClass", regressionsByClass(),
                "regressionConfusion (true x candidate prediction)", regressionConfusion());
    }
}

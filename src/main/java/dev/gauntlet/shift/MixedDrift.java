package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.ValueBounds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Per-column drift test of tabular data with numeric and categorical columns: the two-sample
 * Kolmogorov–Smirnov test ({@link KsDrift}) on numeric columns, the chi-squared test of the
 * category counts ({@link Chi2Drift}, Yates-corrected at one degree of freedom) on categorical
 * ones, and one multiple-testing correction across all columns — Bonferroni (the default, as
 * alibi-detect's {@code TabularDrift}) or Benjamini–Hochberg ({@link #fdr()}).
 *
 * <pre>{@code
 * assertThatData(train).comparedTo(production)
 *         .showsNoDrift(MixedDrift.mixed().featureNames(header).categorical("sex", "smoker").fdr());
 * }</pre>
 *
 * <p>Which test runs on a column is chosen from the data unless declared: a column is
 * categorical when every value in both samples is an integer and it has at most
 * {@link #maxCategories(int) maxCategories} distinct values (10 by default, so an ordinal scale
 * such as pixel intensities 0..16 stays numeric), and no more than one per
 * {@value #ROWS_PER_CATEGORY} pooled rows (so the contingency table's cells are not nearly
 * empty); every other column is numeric. {@link #categorical(String...)} and
 * {@link #numeric(String...)} (by name, with {@link #featureNames(List)}) or their index forms
 * override the choice; a declared categorical column with non-integer values is still tested on
 * its exact values. alibi-detect's {@code TabularDrift} asks for the categorical columns instead
 * of guessing; the choice here is a convenience that {@link #choose(Dataset, Dataset)} and
 * {@link #run(Dataset, Dataset)} report, so a test never hides which test ran where.
 *
 * <p>The result's statistic is that of the column with the smallest p-value (KS and chi-squared
 * statistics are on different scales, so no maximum is taken); its test name lists the columns of
 * each test.
 */
public final class MixedDrift implements DriftDetector {

    /** The default largest number of distinct values of a column chosen as categorical. */
    public static final int DEFAULT_MAX_CATEGORIES = 10;
    /** At least this many pooled rows per distinct value for a column chosen as categorical. */
    public static final int ROWS_PER_CATEGORY = 5;

    /** The test run on one column. */
    public enum Kind {
        /** Two-sample Kolmogorov–Smirnov, for numeric columns. */
        KS,
        /** Chi-squared test of the category counts, for categorical columns. */
        CHI2;

        /**
         * Returns the lower-case name used in JSON and messages.
         *
         * @return {@code ks} or {@code chi2}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One column's outcome.
     *
     * @param feature the column index
     * @param name the column name, or {@code null} without {@link #featureNames(List)}
     * @param kind the test run on it
     * @param declared whether the test was declared rather than chosen from the data
     * @param statistic the test statistic (KS: largest CDF gap; chi-squared: the statistic)
     * @param pValue the uncorrected p-value
     * @param drifted whether it is below the corrected threshold
     */
    public record Column(int feature, String name, Kind kind, boolean declared, double statistic, double pValue,
            boolean drifted) {

        /**
         * Returns the column as an ordered map for JSON.
         *
         * @return the values
         */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("feature", feature);
            if (name != null) {
                map.put("name", name);
            }
            map.put("test", kind.label());
            map.put("chosen", declared ? "declared" : "from the data");
            map.put("statistic", statistic);
            map.put("pValue", pValue);
            map.put("drift", drifted);
            return map;
        }
    }

    /**
     * A result with the test of each column.
     *
     * @param result the overall result, as {@link #test(Dataset, Dataset, long)} returns it
     * @param columns one entry per column, in column order
     */
    public record Outcome(DriftResult result, List<Column> columns) {

        /** Copies the columns. */
        public Outcome {
            Objects.requireNonNull(result, "result");
            columns = List.copyOf(columns);
        }

        /**
         * Returns the result and the columns as an ordered map for JSON.
         *
         * @return the values
         */
        public Map<String, Object> toMap() {
            Map<String, Object> map = result.toMap();
            map.put("columns", columns.stream().map(Column::toMap).toList());
            if (columns.stream().allMatch(c -> c.name() != null)) {
                map.put("driftedFeatureNames", columns.stream().filter(Column::drifted).map(Column::name).toList());
            }
            return map;
        }
    }

    private final double pVal;
    private final KsDrift.Correction correction;
    private final int maxCategories;
    private final List<String> names;
    private final Set<Object> categorical;
    private final Set<Object> numeric;

    private MixedDrift(double pVal, KsDrift.Correction correction, int maxCategories, List<String> names,
            Set<Object> categorical, Set<Object> numeric) {
        if (!(pVal > 0 && pVal < 1)) {
            throw new IllegalArgumentException("pVal must be in (0, 1), got " + pVal);
        }
        if (maxCategories < 2) {
            throw new IllegalArgumentException("maxCategories must be >= 2, got " + maxCategories);
        }
        Set<Object> both = new HashSet<>(categorical);
        both.retainAll(numeric);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("column(s) " + both + " are declared both categorical and numeric;"
                    + " declare each column once");
        }
        this.pVal = pVal;
        this.correction = correction;
        this.maxCategories = maxCategories;
        this.names = names;
        this.categorical = Set.copyOf(categorical);
        this.numeric = Set.copyOf(numeric);
    }

    /**
     * Returns the test with p_val 0.05, Bonferroni, categorical columns chosen from the data.
     *
     * @return the test
     */
    public static MixedDrift mixed() {
        return new MixedDrift(0.05, KsDrift.Correction.BONFERRONI, DEFAULT_MAX_CATEGORIES, null, Set.of(),
                Set.of());
    }

    /**
     * Returns the test at another significance level.
     *
     * @param level p_val, in (0, 1)
     * @return the test
     */
    public MixedDrift pVal(double level) {
        return new MixedDrift(level, correction, maxCategories, names, categorical, numeric);
    }

    /**
     * Returns the test with the Benjamini–Hochberg false discovery rate across all columns.
     *
     * @return the test
     */
    public MixedDrift fdr() {
        return new MixedDrift(pVal, KsDrift.Correction.FDR, maxCategories, names, categorical, numeric);
    }

    /**
     * Returns the test with the Bonferroni correction across all columns (the default).
     *
     * @return the test
     */
    public MixedDrift bonferroni() {
        return new MixedDrift(pVal, KsDrift.Correction.BONFERRONI, maxCategories, names, categorical,
                numeric);
    }

    /**
     * Returns the test with another bound on the distinct values of a column chosen as categorical.
     *
     * @param count at least 2; {@value #DEFAULT_MAX_CATEGORIES} by default
     * @return the test
     */
    public MixedDrift maxCategories(int count) {
        return new MixedDrift(pVal, correction, count, names, categorical, numeric);
    }

    /**
     * Names the columns, for declarations by name and for the result.
     *
     * @param columnNames one unique name per column, in column order
     * @return the test
     */
    public MixedDrift featureNames(List<String> columnNames) {
        List<String> copy = List.copyOf(columnNames);
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("feature names must be unique, got " + copy);
        }
        return new MixedDrift(pVal, correction, maxCategories, copy, categorical, numeric);
    }

    /**
     * Declares columns categorical by name (needs {@link #featureNames(List)}).
     *
     * @param columns column names
     * @return the test
     */
    public MixedDrift categorical(String... columns) {
        return new MixedDrift(pVal, correction, maxCategories, names, union(categorical, columns), numeric);
    }

    /**
     * Declares columns categorical by 0-based index.
     *
     * @param columns column indices
     * @return the test
     */
    public MixedDrift categorical(int... columns) {
        return new MixedDrift(pVal, correction, maxCategories, names,
                union(categorical, Arrays.stream(columns).boxed().toArray()), numeric);
    }

    /**
     * Declares columns numeric by name (needs {@link #featureNames(List)}), e.g. a count with few values.
     *
     * @param columns column names
     * @return the test
     */
    public MixedDrift numeric(String... columns) {
        return new MixedDrift(pVal, correction, maxCategories, names, categorical, union(numeric, columns));
    }

    /**
     * Declares columns numeric by 0-based index.
     *
     * @param columns column indices
     * @return the test
     */
    public MixedDrift numeric(int... columns) {
        return new MixedDrift(pVal, correction, maxCategories, names, categorical,
                union(numeric, Arrays.stream(columns).boxed().toArray()));
    }

    /**
     * Returns the column names given, or {@code null}.
     *
     * @return the names
     */
    public List<String> featureNames() {
        return names;
    }

    private static Set<Object> union(Set<Object> set, Object[] more) {
        Set<Object> union = new LinkedHashSet<>(set);
        union.addAll(Arrays.asList(more));
        return union;
    }

    @Override
    public String name() {
        return "mixed(p_val=" + pVal + ", " + correction.name().toLowerCase(Locale.ROOT) + ", ks numeric, chi2"
                + " categorical" + (categorical.isEmpty() ? "" : " " + categorical)
                + (numeric.isEmpty() ? "" : ", numeric " + numeric) + ")";
    }

    @Override
    public DriftResult test(Dataset reference, Dataset current, long seed) {
        return run(reference, current).result();
    }

    /**
     * Returns whether a column would be chosen as categorical: all values integers, at most
     * {@code maxCategories} distinct values and at least {@value #ROWS_PER_CATEGORY} pooled rows per
     * distinct value.
     *
     * @param reference the reference column
     * @param current the current column
     * @param maxCategories the largest number of distinct values
     * @return true for a categorical column
     */
    public static boolean looksCategorical(double[] reference, double[] current, int maxCategories) {
        Set<Double> distinct = new HashSet<>();
        int bound = (int) Math.min(maxCategories, (reference.length + (long) current.length) / ROWS_PER_CATEGORY);
        for (double[] values : new double[][] {reference, current}) {
            for (double v : values) {
                if (v != Math.rint(v) || distinct.add(v) && distinct.size() > bound) {
                    return false;
                }
            }
        }
        return distinct.size() >= 1;
    }

    /**
     * Chooses the test of every column, as {@link #run(Dataset, Dataset)} will.
     *
     * @param reference the reference sample
     * @param current the current sample
     * @return one kind per column
     * @throws InvalidDataException if the samples differ in features or a declaration names no column
     */
    public Kind[] choose(Dataset reference, Dataset current) {
        int d = checkShapes(reference, current);
        Set<Integer> declaredCategorical = indices(categorical, d);
        Set<Integer> declaredNumeric = indices(numeric, d);
        Kind[] kinds = new Kind[d];
        for (int j = 0; j < d; j++) {
            if (declaredCategorical.contains(j)) {
                kinds[j] = Kind.CHI2;
            } else if (declaredNumeric.contains(j)) {
                kinds[j] = Kind.KS;
            } else {
                kinds[j] = looksCategorical(column(reference, j), column(current, j), maxCategories) ? Kind.CHI2
                        : Kind.KS;
            }
        }
        return kinds;
    }

    /**
     * Runs the test and reports which test ran on which column.
     *
     * @param reference the reference sample
     * @param current the current sample
     * @return the result and the columns
     */
    public Outcome run(Dataset reference, Dataset current) {
        Kind[] kinds = choose(reference, current);
        int d = kinds.length;
        double[] statistics = new double[d];
        double[] pValues = new double[d];
        for (Kind kind : Kind.values()) {
            int[] columns = IntStream.range(0, d).filter(j -> kinds[j] == kind).toArray();
            if (columns.length == 0) {
                continue;
            }
            Dataset ref = select(reference, columns);
            Dataset cur = select(current, columns);
            DriftResult part = kind == Kind.KS ? KsDrift.ks().pVal(pVal).test(ref, cur)
                    : Chi2Drift.chi2().pVal(pVal).test(ref, cur, 0);
            for (FeatureTest f : part.features()) {
                statistics[columns[f.feature()]] = f.statistic();
                pValues[columns[f.feature()]] = f.pValue();
            }
        }
        double threshold = threshold(pValues);
        List<FeatureTest> features = new ArrayList<>();
        List<Column> described = new ArrayList<>();
        Set<Integer> declaredCategorical = indices(categorical, d);
        Set<Integer> declaredNumeric = indices(numeric, d);
        for (int j = 0; j < d; j++) {
            features.add(new FeatureTest(j, statistics[j], pValues[j]));
            described.add(new Column(j, names == null ? null : names.get(j), kinds[j],
                    declaredCategorical.contains(j) || declaredNumeric.contains(j), statistics[j], pValues[j],
                    pValues[j] < threshold));
        }
        FeatureTest smallest = features.stream().min(Comparator.comparingDouble(FeatureTest::pValue)).orElseThrow();
        boolean drift = smallest.pValue() < threshold;
        DriftResult result = new DriftResult(name() + ": " + describe(described), smallest.statistic(),
                smallest.pValue(), threshold, drift, features);
        return new Outcome(result, described);
    }

    /** The corrected threshold: Bonferroni's p_val / d, or the largest Benjamini–Hochberg line passed. */
    private double threshold(double[] p) {
        int d = p.length;
        if (correction == KsDrift.Correction.BONFERRONI) {
            return pVal / d;
        }
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double threshold = 0;
        for (int i = 0; i < d; i++) {
            double line = (i + 1) * pVal / d;
            if (sorted[i] < line) {
                threshold = Math.max(threshold, line);
            }
        }
        return threshold > 0 ? threshold : pVal / d;
    }

    private static String describe(List<Column> columns) {
        StringBuilder text = new StringBuilder();
        for (Kind kind : Kind.values()) {
            List<String> which = columns.stream().filter(c -> c.kind() == kind)
                    .map(c -> c.name() != null ? c.name() : Integer.toString(c.feature())).toList();
            if (!which.isEmpty()) {
                text.append(text.length() == 0 ? "" : ", ").append(kind.label()).append(" on ").append(which);
            }
        }
        return text.toString();
    }

    private int checkShapes(Dataset reference, Dataset current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        if (reference.featureCount() != current.featureCount()) {
            throw new InvalidDataException("reference '" + reference.name() + "' has " + reference.featureCount()
                    + " features but current '" + current.name() + "' has " + current.featureCount());
        }
        int d = reference.featureCount();
        if (names != null && names.size() != d) {
            throw new InvalidDataException("featureNames gives " + names.size() + " names but reference '"
                    + reference.name() + "' has " + d + " features; name every column once, in order");
        }
        return d;
    }

    private Set<Integer> indices(Set<Object> declared, int d) {
        Set<Integer> indices = new HashSet<>();
        for (Object column : declared) {
            if (column instanceof Integer index) {
                if (index < 0 || index >= d) {
                    throw new InvalidDataException("declared column " + index + " is outside the " + d
                            + " features (0.." + (d - 1) + ")");
                }
                indices.add(index);
            } else if (names == null) {
                throw new InvalidDataException("column '" + column + "' is declared by name but the test has no"
                        + " feature names; call featureNames(...) with the columns' names, or declare it by index");
            } else {
                int index = names.indexOf((String) column);
                if (index < 0) {
                    throw new InvalidDataException("declared column '" + column + "' is not among the features "
                            + names + "; check its spelling");
                }
                indices.add(index);
            }
        }
        return indices;
    }

    private static double[] column(Dataset data, int feature) {
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.features(i)[feature];
        }
        return values;
    }

    private static Dataset select(Dataset data, int[] columns) {
        float[][] rows = new float[data.size()][columns.length];
        for (int i = 0; i < rows.length; i++) {
            float[] row = data.features(i);
            for (int c = 0; c < columns.length; c++) {
                rows[i][c] = row[columns[c]];
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName(data.name()).build();
    }

    @Override
    public String toString() {
        return name();
    }
}

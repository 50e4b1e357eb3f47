package dev.gauntlet.cli;

import dev.gauntlet.cli.CsvTable.Label;
import dev.gauntlet.data.CsvRecords;
import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.data.Standardizer;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.report.Json;
import dev.gauntlet.shift.Chi2Drift;
import dev.gauntlet.shift.DriftResult;
import dev.gauntlet.shift.DriftDetector;
import dev.gauntlet.shift.Drifts;
import dev.gauntlet.shift.FeatureTest;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.MixedDrift;
import dev.gauntlet.shift.MmdDrift;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.trust.TrustScoreBatch;
import dev.gauntlet.uncertainty.Calibration;
import dev.gauntlet.uncertainty.CalibrationReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Metric commands on plain CSV files, printing JSON: drift, calibration and trust scores; each
 * can gate a pipeline.
 *
 * <p>Exit status, the same for every command: 0 the check passed, 1 it failed (drift detected,
 * ECE above {@code --max-ece}, mean trust below {@code --min-mean-trust} or too many low-trust
 * predictions), 2 bad usage or bad input. Calibration and trust gate only when given a threshold;
 * without one they report and exit 0 (there is no threshold that suits every model). The JSON is
 * printed whatever the verdict, with {@code passed} and the thresholds used; a failed check also
 * says why on standard error. Every input error names the option, the file, the line and column,
 * and the fix (see {@link CsvTable}); header lines are declared with {@code --header}, never
 * guessed, the separator with {@code --separator}, and inputs too large to finish in reasonable
 * time or memory are refused with the option that lets them through ({@code --sample},
 * {@code --max-pairs}).
 */
final class MetricCommands {

    /** Exit status of a check that failed. */
    static final int FAILED = 1;
    /** The most classes {@code trust} accepts; per-class arrays stay small. */
    static final int MAX_CLASSES = 100_000;
    /** The default limit on training × scored rows of {@code trust}: about a second per 64 features. */
    static final long DEFAULT_MAX_PAIRS = 100_000_000L;

    private static final String HEADER_HELP = "line 1 of every input holds column names (default: no header; a"
            + " first line that is not all numbers is then an error, never skipped)";

    private MetricCommands() {}

    /** A metric command: its result goes to standard output as JSON, the reason it failed to standard error. */
    abstract static class JsonCommand implements Callable<Integer> {
        private final PrintStream stdout;
        private final PrintStream stderr;

        JsonCommand(PrintStream stdout, PrintStream stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /**
         * Prints the result, and the failure when there is one.
         *
         * @param json the result, its {@code passed} field included
         * @param failure why the check failed, or {@code null} when it passed
         * @return the exit status: 0 passed, {@link #FAILED} failed
         */
        final int print(Map<String, Object> json, String failure) {
            stdout.println(Json.write(json));
            if (failure != null) {
                stderr.println(failure);
                return FAILED;
            }
            return 0;
        }
    }

    /** How every input file is split: the header line and the separator, both declared. */
    static final class CsvOptions {
        @Option(names = "--header", negatable = true, defaultValue = "false", description = HEADER_HELP)
        boolean header;
        @Option(names = "--separator", defaultValue = ",", paramLabel = "C",
                description = "the cell separator: one character, or tab (default '${DEFAULT-VALUE}'; never"
                        + " guessed). Cells that hold it are quoted (RFC 4180)")
        String separator;

        char separator() {
            String s = separator;
            if (s.equals("tab") || s.equals("\\t") || s.equals("\t")) {
                return '\t';
            }
            if (s.length() != 1) {
                throw new IllegalArgumentException("--separator must be one character (or tab), got '" + s
                        + "'; e.g. --separator ';'");
            }
            CsvRecords.checkSeparator(s.charAt(0));
            return s.charAt(0);
        }

        CsvTable read(String option, Path file, Label label) {
            return CsvTable.read(option, file, header, label, separator());
        }
    }

    /**
     * {@code gauntlet drift --reference A.csv --current B.csv [--test ks|mmd|chi2|mixed] [--header]}.
     */
    @Command(name = "drift", mixinStandardHelpOptions = true, showDefaultValues = false,
            description = {"Test two CSV files of feature rows for drift; prints JSON.",
                "With --header, columns are matched by name (reordered when permuted; a missing or extra column is an"
                    + " error) and results name them; without, by position.",
                "Exit status: 0 no drift, 1 drift detected, 2 bad usage or input."})
    static final class Drift extends JsonCommand {
        @Option(names = "--reference", required = true, description = "reference rows (CSV, numbers)")
        Path reference;
        @Option(names = "--current", required = true, description = "current rows (CSV, numbers)")
        Path current;
        @Option(names = "--test", defaultValue = "ks",
                description = "ks (per feature), mmd (multivariate), chi2 (per categorical feature) or mixed (ks on"
                        + " numeric, chi2 on categorical columns, one correction across all); default ${DEFAULT-VALUE}")
        String test;
        @Option(names = "--p-val", defaultValue = "0.05", paramLabel = "P",
                description = "significance level before correction (default ${DEFAULT-VALUE})")
        double pVal;
        @Option(names = "--correction", paramLabel = "fdr|bonferroni",
                description = "multiple-testing correction across features of ks and mixed (default: fdr); chi2"
                        + " always uses bonferroni")
        String correction;
        @Option(names = "--categorical", split = ",", paramLabel = "COLUMN",
                description = "mixed: columns tested by chi2, by header name or 1-based column number (default:"
                        + " chosen from the data: integers with at most --max-categories values)")
        List<String> categoricalColumns = new ArrayList<>();
        @Option(names = "--numeric", split = ",", paramLabel = "COLUMN",
                description = "mixed: columns tested by ks whatever their values, by name or 1-based number")
        List<String> numericColumns = new ArrayList<>();
        @Option(names = "--max-categories", defaultValue = "" + MixedDrift.DEFAULT_MAX_CATEGORIES,
                paramLabel = "N", description = "a categorical column has integer values, at most N distinct ones"
                        + " and at least " + MixedDrift.ROWS_PER_CATEGORY + " rows per value; chi2 refuses"
                        + " other columns (default ${DEFAULT-VALUE})")
        int maxCategories;
        @Option(names = "--standardize", defaultValue = "false",
                description = "mmd: standardise every feature by the reference's mean and standard deviation"
                        + " first (default ${DEFAULT-VALUE}: raw features, where the largest scale dominates)")
        boolean standardize;
        @Option(names = "--permutations", defaultValue = "100", paramLabel = "N",
                description = "mmd: permutations of the p-value (default ${DEFAULT-VALUE})")
        int permutations;
        @Option(names = "--seed", defaultValue = "0",
                description = "seed of permutation tests and of --sample (default ${DEFAULT-VALUE})")
        long seed;
        @Mixin
        CsvOptions csv = new CsvOptions();
        @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
                description = "draw at most N rows of each file (seeded by --seed; default 0: all rows). mmd pools"
                        + " at most " + MmdDrift.DEFAULT_MAX_SAMPLES + " rows in all: use it for larger files")
        int sample;

        Drift(PrintStream stdout, PrintStream stderr) {
            super(stdout, stderr);
        }

        @Override
        public Integer call() {
            checkOptions();
            CsvTable a = csv.read("--reference", reference, Label.NONE);
            CsvTable b = csv.read("--current", current, Label.NONE);
            float[][] bRows = aligned(a, b);
            Random random = new Random(seed);
            float[][] aRows = sampled(a.rows(), sample, random);
            bRows = sampled(bRows, sample, random);
            if (test.equals("mmd") && (long) aRows.length + bRows.length > MmdDrift.DEFAULT_MAX_SAMPLES) {
                int each = MmdDrift.DEFAULT_MAX_SAMPLES / 2;
                throw new InvalidDataException("--test mmd pools at most " + MmdDrift.DEFAULT_MAX_SAMPLES
                        + " rows (its kernel matrix grows with the square), but --reference " + reference + " gives "
                        + aRows.length + " and --current " + current + " " + bRows.length + "; pass --sample " + each
                        + " to draw " + each + " rows of each (seeded by --seed), or use --test ks");
            }
            Dataset ref = dataset(aRows, reference);
            Dataset cur = dataset(bRows, current);
            List<String> names = a.names();
            Map<String, Object> json;
            DriftResult result;
            DriftDetector drift = Drifts.Named.of(test).orElseThrow().at(pVal, "bonferroni".equals(correction)
                    ? KsDrift.Correction.BONFERRONI : KsDrift.Correction.FDR);
            if (drift instanceof MixedDrift mixed) {
                if (names != null) {
                    mixed = mixed.featureNames(names);
                }
                mixed = mixed.maxCategories(maxCategories).categorical(columns("--categorical", categoricalColumns, a))
                        .numeric(columns("--numeric", numericColumns, a));
                MixedDrift.Outcome outcome = mixed.run(ref, cur);
                result = outcome.result();
                json = outcome.toMap();
            } else if (drift instanceof MmdDrift mmd) {
                mmd = mmd.permutations(permutations);
                result = (standardize ? mmd.standardized() : mmd).test(ref, cur, seed);
                json = result.toMap();
                json.put("standardization", standardization(ref, names));
            } else {
                if (drift instanceof Chi2Drift) {
                    checkCategorical(a, aRows, bRows);
                }
                result = drift.test(ref, cur, seed);
                json = result.toMap();
                json.put("columns", columns(result, names, test));
            }
            json.put("referenceRows", aRows.length);
            json.put("currentRows", bRows.length);
            json.put("passed", !result.drift());
            if (names != null) {
                json.put("features", names);
                json.put("driftedFeatureNames", Arrays.stream(result.driftedFeatures()).mapToObj(names::get)
                        .toList());
            }
            int[] drifted = result.driftedFeatures();
            return print(json, !result.drift() ? null : String.format(Locale.ROOT, "gauntlet drift: drift detected by"
                    + " %s (p-value %.3g < threshold %.3g)%s", test, result.pValue(), result.threshold(),
                    drifted.length == 0 ? "" : " in " + (names == null ? "feature(s) " + Arrays.toString(drifted)
                            : Arrays.stream(drifted).mapToObj(names::get).toList())));
        }

        /**
         * What mmd scaled the features by, for the JSON: the reference's means and standard
         * deviations and the constant columns (centred, not scaled), or that it used raw features.
         */
        private Map<String, Object> standardization(Dataset ref, List<String> names) {
            Map<String, Object> used = new LinkedHashMap<>();
            if (!standardize) {
                used.put("by", "none");
                used.put("note", "raw features: the largest-scale feature dominates the kernel; pass --standardize"
                        + " when features are on different scales");
                return used;
            }
            Standardizer byReference = Standardizer.fit(ref);
            List<Object> constant = new ArrayList<>();
            for (int j = 0; j < ref.featureCount(); j++) {
                float first = ref.features(0)[j];
                int feature = j;
                boolean same = IntStream.range(0, ref.size())
                        .allMatch(i -> ref.features(i)[feature] == first);
                if (same) {
                    constant.add(names == null ? (Object) j : names.get(j));
                }
            }
            used.put("by", "reference mean and standard deviation");
            used.put("means", byReference.means());
            used.put("sds", byReference.stds());
            used.put("constantColumns", constant);
            used.put("constantColumnsReason", "standard deviation 0 in the reference: centred, not scaled");
            return used;
        }

        private void checkOptions() {
            if (Drifts.Named.of(test).isEmpty()) {
                throw new IllegalArgumentException("--test must be " + Drifts.Named.labels() + ", got " + test);
            }
            if (!(pVal > 0 && pVal < 1)) {
                throw new IllegalArgumentException("--p-val must be in (0, 1), got " + pVal + "; 0.05 is usual");
            }
            if (correction != null && !List.of("fdr", "bonferroni").contains(correction)) {
                throw new IllegalArgumentException("--correction must be fdr or bonferroni, got " + correction);
            }
            if ("fdr".equals(correction) && test.equals("chi2")) {
                throw new IllegalArgumentException("--test chi2 corrects by bonferroni only; for fdr use --test"
                        + " mixed with --categorical naming the columns");
            }
            if (correction != null && test.equals("mmd")) {
                throw new IllegalArgumentException("--correction applies to per-feature tests (ks, chi2, mixed);"
                        + " mmd tests all features at once");
            }
            if (standardize && !test.equals("mmd")) {
                throw new IllegalArgumentException("--standardize applies to --test mmd only; " + test + " tests"
                        + " each feature on its own, where scale does not matter");
            }
            if ((!categoricalColumns.isEmpty() || !numericColumns.isEmpty()) && !test.equals("mixed")) {
                throw new IllegalArgumentException("--categorical and --numeric apply to --test mixed only");
            }
            if (maxCategories < 2) {
                throw new IllegalArgumentException("--max-categories must be >= 2, got " + maxCategories);
            }
            if (permutations < 1 || permutations > 100_000) {
                throw new IllegalArgumentException("--permutations must be in 1..100000, got " + permutations);
            }
            if (sample < 0) {
                throw new IllegalArgumentException("--sample must be >= 1 rows (or 0 for all), got " + sample);
            }
            csv.separator();
        }

        /**
         * Refuses chi-squared on a column that is not categorical: a non-integer value (named by
         * line) or more distinct values than --max-categories allows.
         */
        private void checkCategorical(CsvTable a, float[][] aRows, float[][] bRows) {
            for (int j = 0; j < aRows[0].length; j++) {
                double[] x = column(aRows, j);
                double[] y = column(bRows, j);
                if (MixedDrift.looksCategorical(x, y, maxCategories)) {
                    continue;
                }
                String name = "column " + (j + 1) + (a.names() == null ? "" : " ('" + a.names().get(j) + "')");
                String fix = "; use --test ks for numeric columns or --test mixed to test each column with its own"
                        + " test";
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != Math.rint(x[i])) {
                        throw new InvalidDataException(String.format(Locale.ROOT, "--test chi2 tests categories, but"
                                + " %s holds %s%s (is it numeric?)%s", name, x[i], sample > 0 ? " in --reference "
                                + reference : " at --reference " + reference + " line " + a.lines()[i], fix));
                    }
                }
                for (double v : y) {
                    if (v != Math.rint(v)) {
                        throw new InvalidDataException("--test chi2 tests categories, but " + name + " of --current "
                                + current + " holds " + v + " (is it numeric?)" + fix);
                    }
                }
                long distinct = DoubleStream.concat(Arrays.stream(x), Arrays.stream(y)).distinct()
                        .count();
                throw new InvalidDataException("--test chi2 tests categories, but " + name + " has " + distinct
                        + " distinct values in " + (x.length + y.length) + " rows, more than --max-categories "
                        + maxCategories + " or one per " + MixedDrift.ROWS_PER_CATEGORY + " rows" + fix
                        + ", or raise --max-categories if the column really holds that many categories");
            }
        }
    }

    /** {@code gauntlet calibration --probabilities P.csv --labels L.csv [--bins 15] [--max-ece E]}. */
    @Command(name = "calibration", mixinStandardHelpOptions = true,
            description = {"Calibration of predicted probabilities against labels; prints JSON.",
                "Exit status: 0 measured (and ECE at most --max-ece, if given), 1 ECE above --max-ece, 2 bad usage"
                    + " or input."})
    static final class CalibrationCommand extends JsonCommand {
        @Option(names = "--probabilities", required = true,
                description = "one row of class probabilities per sample, each in [0, 1], summing to 1")
        Path probabilities;
        @Option(names = "--labels", required = true,
                description = "one integer label per line, in 0..classes-1 (classes: the probability columns)")
        Path labels;
        @Option(names = "--bins", defaultValue = "15",
                description = "equal-width confidence bins, 1.." + Calibration.MAX_BINS + " (default ${DEFAULT-VALUE})")
        int bins;
        @Option(names = "--max-ece", paramLabel = "E",
                description = "fail (exit 1) when the expected calibration error is above E, in [0, 1] (default:"
                        + " none, report only)")
        Double maxEce;
        @Mixin
        CsvOptions csv = new CsvOptions();

        CalibrationCommand(PrintStream stdout, PrintStream stderr) {
            super(stdout, stderr);
        }

        @Override
        public Integer call() {
            if (bins < 1 || bins > Calibration.MAX_BINS) {
                throw new IllegalArgumentException("--bins must be in 1.." + Calibration.MAX_BINS + ", got " + bins
                        + "; 15 (Guo et al. 2017) is the usual choice");
            }
            if (maxEce != null && !(maxEce >= 0 && maxEce <= 1)) {
                throw new IllegalArgumentException("--max-ece must be in [0, 1], got " + maxEce);
            }
            csv.separator();
            CsvTable p = csv.read("--probabilities", probabilities, Label.NONE);
            int classes = p.rows()[0].length;
            if (classes < 2) {
                throw new DataFormatException("--probabilities " + probabilities + " has 1 column; give one"
                        + " probability per class, at least 2");
            }
            checkProbabilities(p);
            CsvTable y = csv.read("--labels", labels, Label.ONLY);
            if (y.labels().length != p.rows().length) {
                throw new InvalidDataException("--probabilities " + probabilities + " has " + p.rows().length
                        + " rows but --labels " + labels + " has " + y.labels().length + " labels; give one label per"
                        + " probability row, in the same order");
            }
            y.checkLabels(classes, "--probabilities " + probabilities + " has " + classes
                    + " columns, one per class; label classes 0.." + (classes - 1));
            CalibrationReport report = Calibration.of(p.rows(), y.labels(), bins);
            Map<String, Object> json = report.toMap();
            if (Double.isInfinite(report.negativeLogLikelihood())) {
                json.put("nllReason", "infinite: some row gives its true class probability 0");
            }
            if (report.bins().stream().anyMatch(b -> b.count() == 0)) {
                json.put("binAccuracyReason", "null for empty bins: no prediction has a confidence in that bin");
                json.put("binConfidenceReason", "null for empty bins: no prediction has a confidence in that bin");
            }
            double ece = report.expectedCalibrationError();
            boolean passed = maxEce == null || ece <= maxEce;
            json.put("maxEce", maxEce);
            if (maxEce == null) {
                json.put("maxEceReason", "no --max-ece given: report only");
            }
            json.put("passed", passed);
            return print(json, passed ? null : String.format(Locale.ROOT,
                    "gauntlet calibration: ECE %.4g is above --max-ece %s", ece, maxEce));
        }

        private static void checkProbabilities(CsvTable p) {
            for (int i = 0; i < p.rows().length; i++) {
                double sum = 0;
                float[] row = p.rows()[i];
                for (int c = 0; c < row.length; c++) {
                    if (!(row[c] >= 0 && row[c] <= 1)) {
                        throw new InvalidDataException("--probabilities " + p.file() + " line " + p.lines()[i]
                                + ", column " + (c + 1) + " is " + row[c] + ", outside [0, 1]; pass softmax"
                                + " probabilities, not logits");
                    }
                    sum += row[c];
                }
                if (Math.abs(sum - 1) > 1e-3) {
                    throw new InvalidDataException(String.format(Locale.ROOT, "--probabilities %s line %d sums to"
                            + " %.6g, not 1 (tolerance 0.001); pass one full probability row per sample", p.file(),
                            p.lines()[i], sum));
                }
            }
        }
    }

    /** {@code gauntlet trust --train T.csv --test S.csv --classes N} (last column: label / predicted class). */
    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = {"Trust scores (alibi defaults) of predictions; the last CSV column is the training label"
                    + " and, in --test, the predicted class. Prints JSON.",
                "A score is the distance to the closest other class over the distance to the predicted class:"
                    + " below " + "1 another class's training data is closer (low trust).",
                "Every --test row is compared with every --train row: more than --max-pairs comparisons is refused;"
                    + " --sample draws fewer training rows.",
                "Exit status: 0 scored (and within --min-mean-trust / --max-low-trust-fraction, if given), 1 outside"
                    + " them, 2 bad usage or input."})
    static final class Trust extends JsonCommand {
        @Option(names = "--train", required = true, description = "training rows, label in the last column")
        Path train;
        @Option(names = "--test", required = true, description = "rows to score, predicted class in the last column")
        Path test;
        @Option(names = "--classes", required = true, description = "number of classes, 2.." + MAX_CLASSES)
        int classes;
        @Option(names = "--k", defaultValue = "2",
                description = "neighbour used for distances (alibi: ${DEFAULT-VALUE})")
        int k;
        @Option(names = "--min-mean-trust", paramLabel = "M",
                description = "fail (exit 1) when the mean trust score is below M (default: none, report only)")
        Double minMeanTrust;
        @Option(names = "--max-low-trust-fraction", paramLabel = "F",
                description = "fail (exit 1) when more than the fraction F, in [0, 1], of predictions score below 1"
                        + " (default: none, report only)")
        Double maxLowTrustFraction;
        @Mixin
        CsvOptions csv = new CsvOptions();
        @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
                description = "draw at most N training rows (seeded by --seed; default 0: all rows)")
        int sample;
        @Option(names = "--seed", defaultValue = "0", description = "seed of --sample (default ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--max-pairs", defaultValue = "" + DEFAULT_MAX_PAIRS, paramLabel = "P",
                description = "refuse more than P training x scored row pairs (default ${DEFAULT-VALUE})")
        long maxPairs;

        Trust(PrintStream stdout, PrintStream stderr) {
            super(stdout, stderr);
        }

        @Override
        public Integer call() {
            if (classes < 2 || classes > MAX_CLASSES) {
                throw new IllegalArgumentException("--classes must be in 2.." + MAX_CLASSES + ", got " + classes
                        + "; pass the number of classes the labels use");
            }
            if (k < 1) {
                throw new IllegalArgumentException("--k must be >= 1, got " + k);
            }
            if (sample < 0 || maxPairs < 1) {
                throw new IllegalArgumentException("--sample must be >= 0 and --max-pairs >= 1, got " + sample
                        + " and " + maxPairs);
            }
            if (minMeanTrust != null && !(minMeanTrust >= 0 && Double.isFinite(minMeanTrust))) {
                throw new IllegalArgumentException("--min-mean-trust must be a number >= 0, got " + minMeanTrust
                        + "; 1 means the predicted class is on average as close as any other");
            }
            if (maxLowTrustFraction != null && !(maxLowTrustFraction >= 0 && maxLowTrustFraction <= 1)) {
                throw new IllegalArgumentException("--max-low-trust-fraction must be in [0, 1], got "
                        + maxLowTrustFraction);
            }
            csv.separator();
            CsvTable training = csv.read("--train", train, Label.LAST);
            CsvTable scored = csv.read("--test", test, Label.LAST);
            String fix = "raise --classes (got " + classes + ") or map the classes to 0.." + (classes - 1);
            training.checkLabels(classes, fix);
            scored.checkLabels(classes, fix);
            float[][] scoredRows = aligned(training, scored);
            int[] picked = picks(training.rows().length, sample, new Random(seed));
            float[][] trainRows = picked == null ? training.rows() : pick(training.rows(), picked);
            int[] trainLabels = picked == null ? training.labels()
                    : Arrays.stream(picked).map(i -> training.labels()[i]).toArray();
            long pairs = (long) trainRows.length * scoredRows.length;
            if (pairs > maxPairs) {
                throw new InvalidDataException(String.format(Locale.ROOT, "trust compares every --test row with every"
                        + " --train row: %d x %d = %.3g pairs, above --max-pairs %d; pass --sample N to draw N training"
                        + " rows (seeded by --seed), score --test %s in parts, or raise --max-pairs", trainRows.length,
                        scoredRows.length, (double) pairs, maxPairs, test));
            }
            int[] perClass = new int[classes];
            for (int label : trainLabels) {
                perClass[label]++;
            }
            for (int c = 0; c < classes; c++) {
                if (perClass[c] < k) {
                    throw new InvalidDataException("--train " + train + " holds " + perClass[c] + " rows of class " + c
                            + (picked == null ? "" : " after --sample " + sample) + ", fewer than --k " + k
                            + "; every class 0.." + (classes - 1) + " needs k training rows: check --classes or add"
                            + " data of that class");
                }
            }
            Dataset data = Dataset.builder().setFeatures(trainRows).setLabels(trainLabels).setNumClasses(classes)
                    .optBounds(ValueBounds.unbounded()).optName(train.getFileName().toString()).build();
            TrustScoreBatch scores = TrustScore.fit(data).score(scoredRows, scored.labels(), k, TrustScore.Mode.POINT);
            double mean = scores.mean();
            double lowFraction = scores.lowTrustFraction();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scores", scores.scores());
            json.put("closestOtherClass", scores.closestOtherClass());
            json.put("meanScore", mean);
            json.put("lowTrustFraction", lowFraction);
            json.put("lowTrustBelow", TrustScoreBatch.LOW_TRUST);
            json.put("trainRows", trainRows.length);
            List<String> failures = new ArrayList<>();
            if (minMeanTrust != null && !(mean >= minMeanTrust)) {
                failures.add(String.format(Locale.ROOT, "mean trust %.4g is below --min-mean-trust %s", mean,
                        minMeanTrust));
            }
            if (maxLowTrustFraction != null && lowFraction > maxLowTrustFraction) {
                long low = Math.round(lowFraction * scores.scores().length);
                failures.add(String.format(Locale.ROOT, "%d of %d predictions (%.3g) score below 1, more than"
                        + " --max-low-trust-fraction %s", low, scores.scores().length, lowFraction,
                        maxLowTrustFraction));
            }
            json.put("minMeanTrust", minMeanTrust);
            json.put("maxLowTrustFraction", maxLowTrustFraction);
            if (minMeanTrust == null && maxLowTrustFraction == null) {
                json.put("gate", "none: no --min-mean-trust or --max-low-trust-fraction given, report only");
            }
            json.put("passed", failures.isEmpty());
            return print(json, failures.isEmpty() ? null : "gauntlet trust: " + String.join("; ", failures));
        }
    }

    /**
     * Returns {@code other}'s feature rows in {@code base}'s column order: by name when both have a
     * header, by position otherwise; columns missing on either side are an error.
     */
    static float[][] aligned(CsvTable base, CsvTable other) {
        int width = base.rows()[0].length;
        int otherWidth = other.rows()[0].length;
        String baseName = base.option() + " " + base.file();
        String otherName = other.option() + " " + other.file();
        if (base.names() == null) {
            if (width != otherWidth) {
                throw new DataFormatException(baseName + " has " + width + " feature columns but " + otherName + " has "
                        + otherWidth + "; pass files with the same columns (with --header, columns are matched by"
                        + " name)");
            }
            return other.rows();
        }
        Map<String, Integer> position = new HashMap<>();
        for (int c = 0; c < otherWidth; c++) {
            position.put(other.names().get(c), c);
        }
        List<String> missing = base.names().stream().filter(n -> !position.containsKey(n)).toList();
        List<String> extra = other.names().stream().filter(n -> !base.names().contains(n)).toList();
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new DataFormatException(otherName + " line 1: the header "
                    + (missing.isEmpty() ? "" : "lacks column(s) " + missing + (extra.isEmpty() ? "" : " and "))
                    + (extra.isEmpty() ? "" : "has column(s) " + extra + " not")
                    + " in " + baseName + "; both files need the same named columns (in any order)");
        }
        int[] order = base.names().stream().mapToInt(position::get).toArray();
        if (Arrays.equals(order, IntStream.range(0, width).toArray())) {
            return other.rows();
        }
        float[][] rows = new float[other.rows().length][width];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < width; c++) {
                rows[i][c] = other.rows()[i][order[c]];
            }
        }
        return rows;
    }

    /** Sorted indices of {@code count} distinct rows drawn from {@code size}, or null to keep all. */
    private static int[] picks(int size, int count, Random random) {
        if (count <= 0 || count >= size) {
            return null;
        }
        int[] picked = Arrays.copyOf(Permutations.of(size, random), count);
        Arrays.sort(picked);
        return picked;
    }

    private static float[][] pick(float[][] rows, int[] indices) {
        return Arrays.stream(indices).mapToObj(i -> rows[i]).toArray(float[][]::new);
    }

    private static float[][] sampled(float[][] rows, int count, Random random) {
        int[] picked = picks(rows.length, count, random);
        return picked == null ? rows : pick(rows, picked);
    }

    private static Dataset dataset(float[][] rows, Path file) {
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName(file.getFileName().toString()).build();
    }

    /** Per-feature results of a ks or chi2 run, each naming its column when the header does. */
    private static List<Map<String, Object>> columns(DriftResult result, List<String> names, String test) {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (FeatureTest f : result.features()) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("feature", f.feature());
            if (names != null) {
                column.put("name", names.get(f.feature()));
            }
            column.put("test", test);
            column.put("statistic", f.statistic());
            column.put("pValue", f.pValue());
            column.put("drift", f.pValue() < result.threshold());
            columns.add(column);
        }
        return columns;
    }

    /** Resolves --categorical / --numeric entries: header names, or 1-based column numbers. */
    private static int[] columns(String option, List<String> entries, CsvTable table) {
        int width = table.rows()[0].length;
        int[] indices = new int[entries.size()];
        for (int i = 0; i < indices.length; i++) {
            String entry = entries.get(i).strip();
            int index = table.names() == null ? -1 : table.names().indexOf(entry);
            if (index < 0) {
                try {
                    index = Integer.parseInt(entry) - 1;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(option + " " + entry + " is not " + (table.names() == null
                            ? "a column number (1.." + width + "); pass --header to name columns"
                            : "a column of " + table.option() + " " + table.file() + " " + table.names()
                                    + " nor a column number"));
                }
                if (index < 0 || index >= width) {
                    throw new IllegalArgumentException(option + " " + entry + " is outside the columns 1.." + width
                            + " of " + table.option() + " " + table.file());
                }
            }
            indices[i] = index;
        }
        return indices;
    }

    private static double[] column(float[][] rows, int feature) {
        double[] values = new double[rows.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows[i][feature];
        }
        return values;
    }

    /**
     * Reads a headerless numeric CSV file as the commands do without {@code --header}.
     *
     * @param file the file
     * @return its rows
     */
    static float[][] matrix(Path file) {
        return CsvTable.read("file", file, false, Label.NONE, ',').rows();
    }

    /** Feature rows of a headerless file as a dataset (labels unused by drift tests). */
    static Dataset rows(Path file) {
        return dataset(matrix(file), file);
    }
}

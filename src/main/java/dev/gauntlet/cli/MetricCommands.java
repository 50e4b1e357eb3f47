package dev.gauntlet.cli;

import dev.gauntlet.cli.CsvTable.Label;
import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.shift.DriftResult;
import dev.gauntlet.report.internal.Json;
import dev.gauntlet.shift.Chi2DriftTest;
import dev.gauntlet.shift.DriftTest;
import dev.gauntlet.shift.KsDriftTest;
import dev.gauntlet.shift.MmdDriftTest;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.trust.TrustScores;
import dev.gauntlet.uncertainty.Calibration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

/**
 * Metric commands on plain CSV files, printing JSON: drift, calibration and trust scores.
 *
 * <p>Exit status: 0 the check passed (or there is nothing to fail: calibration, trust), 1 it
 * failed (drift detected), 2 bad usage or bad input. Every input error names the option, the
 * file, the line and column, and the fix (see {@link CsvTable}); header lines are declared with
 * {@code --header}, never guessed, and inputs too large to finish in reasonable time or memory are
 * refused with the option that lets them through ({@code --sample}, {@code --max-pairs}).
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

    /** {@code gauntlet drift --reference A.csv --current B.csv [--test ks|mmd|chi2] [--header] [--sample N]}. */
    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = {"Test two CSV files of feature rows for drift; prints JSON.",
                "With --header, columns are matched by name (reordered when permuted; a missing or extra column is an"
                    + " error); without, by position.",
                "Exit status: 0 no drift, 1 drift detected, 2 bad usage or input."})
    static final class Drift implements Callable<Integer> {
        @Option(names = "--reference", required = true, description = "reference rows (CSV, numbers)")
        Path reference;
        @Option(names = "--current", required = true, description = "current rows (CSV, numbers)")
        Path current;
        @Option(names = "--test", defaultValue = "ks", description = "ks (per feature, FDR), mmd or chi2")
        String test;
        @Option(names = "--seed", defaultValue = "0", description = "seed of permutation tests and of --sample")
        long seed;
        @Option(names = "--header", negatable = true, defaultValue = "false", description = HEADER_HELP)
        boolean header;
        @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
                description = "draw at most N rows of each file (seeded by --seed; default 0: all rows). mmd pools"
                        + " at most " + MmdDriftTest.DEFAULT_MAX_SAMPLES + " rows in all: use it for larger files")
        int sample;
        private final PrintStream stdout;

        Drift(PrintStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public Integer call() {
            DriftTest drift = switch (test) {
                case "ks" -> KsDriftTest.ks().fdr();
                case "mmd" -> MmdDriftTest.mmd();
                case "chi2" -> Chi2DriftTest.chi2();
                default -> throw new IllegalArgumentException("--test must be ks, mmd or chi2, got " + test);
            };
            if (sample < 0) {
                throw new IllegalArgumentException("--sample must be >= 1 rows (or 0 for all), got " + sample);
            }
            CsvTable a = CsvTable.read("--reference", reference, header, Label.NONE);
            CsvTable b = CsvTable.read("--current", current, header, Label.NONE);
            float[][] bRows = aligned(a, b);
            Random random = new Random(seed);
            float[][] aRows = sampled(a.rows(), sample, random);
            bRows = sampled(bRows, sample, random);
            if (test.equals("mmd") && (long) aRows.length + bRows.length > MmdDriftTest.DEFAULT_MAX_SAMPLES) {
                int each = MmdDriftTest.DEFAULT_MAX_SAMPLES / 2;
                throw new InvalidDataException("--test mmd pools at most " + MmdDriftTest.DEFAULT_MAX_SAMPLES
                        + " rows (its kernel matrix grows with the square), but --reference " + reference + " gives "
                        + aRows.length + " and --current " + current + " " + bRows.length + "; pass --sample " + each
                        + " to draw " + each + " rows of each (seeded by --seed), or use --test ks");
            }
            DriftResult result = drift.test(dataset(aRows, reference), dataset(bRows, current), seed);
            Map<String, Object> json = result.toMap();
            json.put("referenceRows", aRows.length);
            json.put("currentRows", bRows.length);
            if (a.names() != null) {
                json.put("features", a.names());
                json.put("driftedFeatureNames", Arrays.stream(result.driftedFeatures()).mapToObj(a.names()::get)
                        .toList());
            }
            stdout.println(Json.write(json));
            return result.drift() ? FAILED : 0;
        }
    }

    /** {@code gauntlet calibration --probabilities P.csv --labels L.csv [--bins 15] [--header]}. */
    @Command(name = "calibration", mixinStandardHelpOptions = true,
            description = {"Calibration of predicted probabilities against labels; prints JSON.",
                "Exit status: 0 measured, 2 bad usage or input."})
    static final class CalibrationCommand implements Callable<Integer> {
        @Option(names = "--probabilities", required = true,
                description = "one row of class probabilities per sample, each in [0, 1], summing to 1")
        Path probabilities;
        @Option(names = "--labels", required = true,
                description = "one integer label per line, in 0..classes-1 (classes: the probability columns)")
        Path labels;
        @Option(names = "--bins", defaultValue = "15",
                description = "equal-width confidence bins, 1.." + Calibration.MAX_BINS + " (default 15)")
        int bins;
        @Option(names = "--header", negatable = true, defaultValue = "false", description = HEADER_HELP)
        boolean header;
        private final PrintStream stdout;

        CalibrationCommand(PrintStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public Integer call() {
            if (bins < 1 || bins > Calibration.MAX_BINS) {
                throw new IllegalArgumentException("--bins must be in 1.." + Calibration.MAX_BINS + ", got " + bins
                        + "; 15 (Guo et al. 2017) is the usual choice");
            }
            CsvTable p = CsvTable.read("--probabilities", probabilities, header, Label.NONE);
            int classes = p.rows()[0].length;
            if (classes < 2) {
                throw new DataFormatException("--probabilities " + probabilities + " has 1 column; give one"
                        + " probability per class, at least 2");
            }
            checkProbabilities(p);
            CsvTable y = CsvTable.read("--labels", labels, header, Label.ONLY);
            if (y.labels().length != p.rows().length) {
                throw new InvalidDataException("--probabilities " + probabilities + " has " + p.rows().length
                        + " rows but --labels " + labels + " has " + y.labels().length + " labels; give one label per"
                        + " probability row, in the same order");
            }
            y.checkLabels(classes, "--probabilities " + probabilities + " has " + classes
                    + " columns, one per class; label classes 0.." + (classes - 1));
            stdout.println(Json.write(Calibration.of(p.rows(), y.labels(), bins).toMap()));
            return 0;
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
                "Every --test row is compared with every --train row: more than --max-pairs comparisons is refused;"
                    + " --sample draws fewer training rows.",
                "Exit status: 0 scored, 2 bad usage or input."})
    static final class Trust implements Callable<Integer> {
        @Option(names = "--train", required = true, description = "training rows, label in the last column")
        Path train;
        @Option(names = "--test", required = true, description = "rows to score, predicted class in the last column")
        Path test;
        @Option(names = "--classes", required = true, description = "number of classes, 2.." + MAX_CLASSES)
        int classes;
        @Option(names = "--k", defaultValue = "2", description = "neighbour used for distances (alibi: 2)")
        int k;
        @Option(names = "--header", negatable = true, defaultValue = "false", description = HEADER_HELP)
        boolean header;
        @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
                description = "draw at most N training rows (seeded by --seed; default 0: all rows)")
        int sample;
        @Option(names = "--seed", defaultValue = "0", description = "seed of --sample")
        long seed;
        @Option(names = "--max-pairs", defaultValue = "" + DEFAULT_MAX_PAIRS, paramLabel = "P",
                description = "refuse more than P training x scored row pairs (default " + DEFAULT_MAX_PAIRS + ")")
        long maxPairs;
        private final PrintStream stdout;

        Trust(PrintStream stdout) {
            this.stdout = stdout;
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
            CsvTable training = CsvTable.read("--train", train, header, Label.LAST);
            CsvTable scored = CsvTable.read("--test", test, header, Label.LAST);
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
            TrustScores scores = TrustScore.fit(data).score(scoredRows, scored.labels(), k, TrustScore.Mode.POINT);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scores", scores.scores());
            json.put("closestOtherClass", scores.closestOtherClass());
            json.put("meanScore", Arrays.stream(scores.scores()).average().orElse(Double.NaN));
            json.put("trainRows", trainRows.length);
            stdout.println(Json.write(json));
            return 0;
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
        if (Arrays.equals(order, java.util.stream.IntStream.range(0, width).toArray())) {
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

    /**
     * Reads a headerless numeric CSV file as the commands do without {@code --header}.
     *
     * @param file the file
     * @return its rows
     */
    static float[][] matrix(Path file) {
        return CsvTable.read("file", file, false, Label.NONE).rows();
    }

    /** Feature rows of a headerless file as a dataset (labels unused by drift tests). */
    static Dataset rows(Path file) {
        return dataset(matrix(file), file);
    }
}

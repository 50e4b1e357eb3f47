package dev.gauntlet.cli;

import dev.gauntlet.data.CsvReader;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
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

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Metric commands on plain CSV files, printing JSON: drift, calibration and trust scores. */
final class MetricCommands {

    private MetricCommands() {}

    /** {@code gauntlet drift --reference A.csv --current B.csv [--test ks|mmd|chi2]}. */
    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = "Test two CSV files of feature rows for drift; prints JSON.")
    static final class Drift implements Callable<Integer> {
        @Option(names = "--reference", required = true, description = "reference rows (CSV, numbers)")
        Path reference;
        @Option(names = "--current", required = true, description = "current rows (CSV, numbers)")
        Path current;
        @Option(names = "--test", defaultValue = "ks", description = "ks (per feature, FDR), mmd or chi2")
        String test;
        @Option(names = "--seed", defaultValue = "0", description = "seed of permutation tests")
        long seed;
        private final PrintStream stdout;

        Drift(PrintStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public Integer call() throws IOException {
            DriftTest drift = switch (test) {
                case "ks" -> KsDriftTest.ks().fdr();
                case "mmd" -> MmdDriftTest.mmd();
                case "chi2" -> Chi2DriftTest.chi2();
                default -> throw new IllegalArgumentException("--test must be ks, mmd or chi2, got " + test);
            };
            stdout.println(Json.write(drift.test(rows(reference), rows(current), seed).toMap()));
            return 0;
        }
    }

    /** {@code gauntlet calibration --probabilities P.csv --labels L.csv [--bins 15]}. */
    @Command(name = "calibration", mixinStandardHelpOptions = true,
            description = "Calibration of predicted probabilities against labels; prints JSON.")
    static final class CalibrationCommand implements Callable<Integer> {
        @Option(names = "--probabilities", required = true, description = "one row of class probabilities per sample")
        Path probabilities;
        @Option(names = "--labels", required = true, description = "one integer label per line")
        Path labels;
        @Option(names = "--bins", defaultValue = "15", description = "equal-width confidence bins")
        int bins;
        private final PrintStream stdout;

        CalibrationCommand(PrintStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public Integer call() throws IOException {
            float[][] p = matrix(probabilities);
            List<String> lines = Files.readAllLines(labels).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .toList();
            int[] y = lines.stream().mapToInt(l -> (int) Double.parseDouble(l)).toArray();
            if (y.length != p.length) {
                throw new IllegalArgumentException(p.length + " probability rows but " + y.length + " labels");
            }
            stdout.println(Json.write(Calibration.of(p, y, bins).toMap()));
            return 0;
        }
    }

    /** {@code gauntlet trust --train T.csv --test S.csv --classes N} (last column: label / predicted class). */
    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Trust scores (alibi defaults) of predictions; the last CSV column is the training label"
                    + " and, in --test, the predicted class. Prints JSON.")
    static final class Trust implements Callable<Integer> {
        @Option(names = "--train", required = true, description = "training rows, label in the last column")
        Path train;
        @Option(names = "--test", required = true, description = "rows to score, predicted class in the last column")
        Path test;
        @Option(names = "--classes", required = true, description = "number of classes")
        int classes;
        @Option(names = "--k", defaultValue = "2", description = "neighbour used for distances (alibi: 2)")
        int k;
        private final PrintStream stdout;

        Trust(PrintStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public Integer call() {
            CsvReader reader = CsvReader.builder().setNumClasses(classes).build();
            Dataset training = reader.read(train, "train");
            Dataset scored = reader.read(test, "test");
            TrustScores scores = TrustScore.fit(training).score(rowsOf(scored), scored.labels(), k,
                    TrustScore.Mode.POINT);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scores", scores.scores());
            json.put("closestOtherClass", scores.closestOtherClass());
            json.put("meanScore", java.util.Arrays.stream(scores.scores()).average().orElse(Double.NaN));
            stdout.println(Json.write(json));
            return 0;
        }
    }

    private static float[][] rowsOf(Dataset data) {
        float[][] rows = new float[data.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.features(i);
        }
        return rows;
    }

    /** Numbers only; a first line that is not numeric is taken as a header and skipped. */
    static float[][] matrix(Path file) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",");
            float[] row = new float[cells.length];
            try {
                for (int j = 0; j < cells.length; j++) {
                    row[j] = Float.parseFloat(cells[j].strip());
                }
            } catch (NumberFormatException e) {
                if (n == 0) {
                    continue;
                }
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": not a number: " + e.getMessage());
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + " has " + row.length + " columns, the"
                        + " first row " + rows.get(0).length);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no rows");
        }
        return rows.toArray(new float[0][]);
    }

    /** Feature rows as a dataset (labels unused by drift tests). */
    static Dataset rows(Path file) throws IOException {
        float[][] rows = matrix(file);
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName(file.getFileName().toString()).build();
    }
}

package dev.gauntlet.testkits.bench;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.PcaProjection;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.trust.TrustScore;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trust score fit + score on Fashion-MNIST raw pixels (60,000 × 784 training images, 10,000 test
 * images scored against their labels as predictions), alibi's defaults, against a scikit-learn
 * KDTree baseline that follows alibi's algorithm ({@code src/test/python/sklearn_trust_bench.py},
 * Debian's {@code python3-sklearn}), measured in one run on the same data.
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.TrustScoreBench [-Dexec.args="TRAIN TEST [no-baseline]"]}
 * (the baseline at full size takes well over ten minutes: KD-trees degrade to brute force in 784
 * dimensions). Also prints the DJL engine's float32 matrix-product rate before and after (the anchor
 * against which a loaded machine's times compare) and the PCA fit alone.
 */
public final class TrustScoreBench {

    private TrustScoreBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args optionally the training and test sizes (defaults 60,000 and 10,000)
     * @throws Exception if the baseline cannot be run
     */
    public static void main(String[] args) throws Exception {
        int trainSize = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int testSize = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Dataset train = ReferenceData.fashionMnist().train().head(trainSize);
        Dataset test = ReferenceData.fashionMnist().test().head(testSize);
        System.out.printf("trust score fit + score, Fashion-MNIST %,d x 784 train, %,d test, k 2, distance_knn alpha 0:%n",
                trainSize, testSize);
        double peak = BenchTable.djlPeak();
        System.out.printf("  anchor: DJL float32 1024^2 matrix product %.1f GFLOP/s -> roofline of the raw-pixel"
                + " distance products %.1f s%n", peak, 2.0 * trainSize * testSize * 784 / (peak * 1e9));
        long start = System.nanoTime();
        PcaProjection.fit(rows(train), 50);
        System.out.printf("  PCA-50 fit alone (%,d x 784):                                %6.1f s%n", trainSize,
                (System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        double[] scores = TrustScore.fit(train).score(test, test.labels()).scores();
        System.out.printf("  Gauntlet, raw pixels (batched matrix products, DJL engine): %6.1f s  (first score %.4f)%n",
                (System.nanoTime() - start) / 1e9, scores[0]);
        start = System.nanoTime();
        double[] projected = TrustScore.fit(train, TrustScore.Filter.DISTANCE_KNN, 10, 0, 50)
                .score(test, test.labels()).scores();
        System.out.printf("  Gauntlet, 50 principal components:                          %6.1f s  (first score %.4f)%n",
                (System.nanoTime() - start) / 1e9, projected[0]);
        System.out.printf("  anchor again: DJL float32 1024^2 matrix product %.1f GFLOP/s%n", BenchTable.djlPeak());
        if (args.length > 2 && args[2].equals("no-baseline")) {
            return;
        }
        start = System.nanoTime();
        TrustScore.fit(train).score(test, test.labels());
        double gauntlet = (System.nanoTime() - start) / 1e9;
        double baseline = sklearn(train, test);
        if (Double.isNaN(baseline)) {
            System.out.println("  scikit-learn KDTree baseline: not measured (apt-get install python3-sklearn)");
        } else {
            System.out.printf("  scikit-learn KDTree, raw pixels (alibi's algorithm):        %6.1f s  -> Gauntlet %.1fx"
                    + " faster (raw pixels, second run %.1f s)%n", baseline, baseline / gauntlet, gauntlet);
        }
    }

    private static float[][] rows(Dataset data) {
        float[][] rows = new float[data.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.features(i);
        }
        return rows;
    }

    /** Fit + score seconds of the scikit-learn baseline on the same data; NaN when it is missing. */
    static double sklearn(Dataset train, Dataset test) throws IOException, InterruptedException {
        Path script = Path.of("src/test/python/sklearn_trust_bench.py");
        if (!Files.exists(script)) {
            script = Path.of("testkits/src/test/python/sklearn_trust_bench.py");
        }
        Path dir = Files.createTempDirectory("trust-bench");
        write(train, dir.resolve("train.bin"));
        write(test, dir.resolve("test.bin"));
        Process process = new ProcessBuilder(AttackBench.python(), script.toString(), dir.toString()).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("sklearn ")) {
                    result = line.substring(8).trim();
                } else if (line.startsWith("first score")) {
                    System.out.println("  scikit-learn baseline " + line);
                }
            }
        }
        return process.waitFor() == 0 && result != null ? Double.parseDouble(result) : Double.NaN;
    }

    /** rows, cols (int32 big-endian), then float32 features and int32 labels, big-endian. */
    private static void write(Dataset data, Path file) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 20))) {
            out.writeInt(data.size());
            out.writeInt(data.featureCount());
            for (int i = 0; i < data.size(); i++) {
                for (float v : data.features(i)) {
                    out.writeFloat(v);
                }
            }
            for (int label : data.labels()) {
                out.writeInt(label);
            }
        }
    }
}

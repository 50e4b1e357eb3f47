package dev.gauntlet.testkits.bench;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.PgdAttack;
import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Soak: 10,000 PGD batches (digits MLP, batch 64, PGD-5 L∞) after 2,000 warm-up batches, printing
 * the JVM's resident memory every 1,000 batches and the growth after warm-up (target ≤ 5%).
 *
 * <p>Run it in a JVM with a fixed heap and capped direct memory, so resident memory measures
 * native memory (see README, Benchmarks):
 * {@code mvn -B -q -f testkits/pom.xml test-compile exec:exec -Dexec.executable=java
 * -Dexec.args="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=16m -classpath %classpath
 * dev.gauntlet.testkits.bench.PgdSoakBench"}
 */
public final class PgdSoakBench {

    private PgdSoakBench() {}

    /**
     * Runs the soak.
     *
     * @param args optionally the number of measured batches (default 10,000)
     * @throws IOException if /proc/self/status cannot be read
     */
    public static void main(String[] args) throws IOException {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Dataset test = ReferenceModel.DIGITS_MLP.data().test();
        List<Batch> all = test.batches(64);
        PgdAttack pgd = Attacks.pgd().linf(0.1).steps(5);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP)) {
            List<Long> warmUp = new ArrayList<>();
            List<Long> series = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 2_000 + batches; i++) {
                Batch batch = all.get(i % all.size());
                try (NDManager scope = mlp.newScope()) {
                    pgd.generate(mlp, batch.features(scope), batch.labels(scope), test.bounds(), i);
                }
                if ((i + 1) % 1_000 == 0) {
                    (i < 2_000 ? warmUp : series).add(residentKiB());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long before = warmUp.get(warmUp.size() - 1);
            long after = series.get(series.size() - 1);
            System.out.printf("PGD-5 soak, digits MLP, batch 64: %,d batches in %.0f s%n", 2_000 + batches, seconds);
            System.out.printf("resident KiB during warm-up %s, then every 1,000 batches %s%n", warmUp, series);
            System.out.printf("growth after warm-up: %.2f%%%n", 100.0 * (after - before) / before);
        }
    }

    private static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}

package dev.gauntlet.testkits.bench;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.PgdAttack;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * First-run against steady PGD-10 speed on the Fashion-MNIST reference CNN, batch 256, in a fresh
 * JVM: the first run of Gauntlet's {@code PgdAttack} and of the detached raw DJL loop, then the
 * median of {@code ROUNDS} further runs of each, interleaved, in image-gradient-steps per second,
 * with the native page faults (minor faults of the process) of each first run and of a steady one.
 * By default the classifier is warmed up first ({@link DjlClassifier#warmUp(int)}); pass {@code cold}
 * to see the first run without it, or {@code primed} to also run the attack and the raw loop once on
 * one sample after the warm-up, which separates the first execution of their code from the first
 * run at batch 256 (measured: priming at one sample did not lift the first batch-256 run, so what is
 * left after the warm-up goes with the batch shape). Run each mode in its own JVM: only the JVM's
 * first run shows it.
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.FirstRunBench [-Dexec.args="ROUNDS [cold|primed]"]}
 */
public final class FirstRunBench {

    private FirstRunBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args optionally the steady rounds (default 10) and {@code cold} or {@code primed}
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String mode = args.length > 1 ? args[1] : "warm";
        boolean cold = mode.equals("cold");
        int batch = AttackBench.BATCH;
        Dataset test = ReferenceData.fashionMnist().test().head(batch);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            double warmUp = cold ? Double.NaN : AttackBench.time(() -> cnn.warmUp(batch), 1);
            PgdAttack pgd = Attacks.pgd().linf(AttackBench.EPSILON).steps(AttackBench.STEPS);
            Runnable gauntlet = () -> AttackBench.gauntlet(cnn, test, pgd, batch);
            Runnable raw = () -> AttackBench.raw(cnn, test, batch, true);
            if (mode.equals("primed")) {
                AttackBench.gauntlet(cnn, test, pgd, 1);
                AttackBench.raw(cnn, test, 1, true);
            }
            long faults = minorFaults();
            double firstGauntlet = AttackBench.time(gauntlet, 1);
            long gauntletFaults = minorFaults() - faults;
            double firstRaw = AttackBench.time(raw, 1);
            double[][] steady = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                steady[0][r] = AttackBench.time(gauntlet, 1);
                steady[1][r] = AttackBench.time(raw, 1);
            }
            faults = minorFaults();
            AttackBench.time(gauntlet, 1);
            long steadyFaults = minorFaults() - faults;
            double work = (double) AttackBench.STEPS * batch;
            System.out.printf("PGD-10 L-inf, Fashion CNN, batch %d, %s, %d threads, %s; warm-up %.2f s%n", batch,
                    cnn.computeTarget(), Runtime.getRuntime().availableProcessors(), cold ? "cold (no warm-up)"
                    : "after DjlClassifier.warmUp" + (mode.equals("primed") ? " and a one-sample run of each" : ""),
                    warmUp);
            print("Gauntlet PgdAttack", work / firstGauntlet, work / median(steady[0]));
            print("raw DJL loop, detached weights", work / firstRaw, work / median(steady[1]));
            System.out.printf("  page faults: Gauntlet's first run %,d, a steady run %,d%n", gauntletFaults,
                    steadyFaults);
        }
    }

    private static void print(String name, double first, double steady) {
        System.out.printf("  %-32s first run %6.0f, steady (median) %6.0f image-gradient-steps/s, first / steady"
                + " = %.2f%n", name, first, steady, first / steady);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The process's minor page faults so far (Linux), or -1 where /proc is missing. */
    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

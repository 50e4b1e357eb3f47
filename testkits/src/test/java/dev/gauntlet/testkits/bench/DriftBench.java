package dev.gauntlet.testkits.bench;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.shift.DriftResult;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.MmdDrift;
import dev.gauntlet.testkits.data.ReferenceData;

/**
 * Drift-test speed on Fashion-MNIST pixels: MMD with 100 permutations on 1,000 vs 1,000 samples
 * of 784 features, and KS on 10,000 vs 10,000 samples of 784 features (best of 3 runs each).
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.DriftBench}
 */
public final class DriftBench {

    private DriftBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Dataset train = ReferenceData.fashionMnist().train();
        Dataset test = ReferenceData.fashionMnist().test();
        Dataset a = train.head(1000);
        Dataset b = test.head(1000);
        Dataset bigA = train.head(10_000);
        double mmd = Double.POSITIVE_INFINITY;
        double ks = Double.POSITIVE_INFINITY;
        DriftResult last = null;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            last = MmdDrift.mmd().test(a, b, round);
            mmd = Math.min(mmd, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            KsDrift.ks().test(bigA, test);
            ks = Math.min(ks, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("MMD, 100 permutations, 1,000 vs 1,000 x 784: %.2f s (best of 3; p %.2f)%n", mmd, last.pValue());
        System.out.printf("KS, 10,000 vs 10,000 x 784:                  %.2f s (best of 3)%n", ks);
    }
}

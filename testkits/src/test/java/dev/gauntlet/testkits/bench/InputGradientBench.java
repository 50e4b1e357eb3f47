package dev.gauntlet.testkits.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

/**
 * Measures {@link DjlClassifier#inputGradient} against the textbook DJL recipe in the same run:
 * the recipe differentiates through parameters that carry gradient buffers, so every backward
 * pass also computes weight gradients an attack never uses.
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.InputGradientBench}
 */
public final class InputGradientBench {

    private static final int BATCH = 256;
    private static final int ROUNDS = 40;

    private InputGradientBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Dataset test = ReferenceModel.FASHION_CNN.data().test();
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            for (Pair<String, Parameter> p : cnn.model().getBlock().getParameters()) {
                p.getValue().getArray().setRequiresGradient(true); // as after training with a Trainer
            }
            for (int warm = 0; warm < 2; warm++) {
                time(cnn, test, true, 5);
                time(cnn, test, false, 5);
            }
            double recipe = time(cnn, test, false, ROUNDS);
            double gauntlet = time(cnn, test, true, ROUNDS);
            System.out.printf("input gradient, fashion-cnn, batch %d, %d rounds (%s):%n", BATCH, ROUNDS,
                    cnn.computeTarget());
            System.out.printf("  DJL recipe (weight gradients too): %7.1f ms/batch%n", recipe);
            System.out.printf("  Classifier.inputGradient:          %7.1f ms/batch  (%.2fx the recipe's speed)%n",
                    gauntlet, recipe / gauntlet);
        }
    }

    private static double time(DjlClassifier cnn, Dataset test, boolean detached, int rounds) {
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            int from = (r * BATCH) % (test.size() - BATCH);
            try (NDManager scope = cnn.newScope()) {
                NDArray x = test.features(scope, from, from + BATCH);
                NDArray y = test.labels(scope, from, from + BATCH);
                NDArray gradient = detached ? cnn.inputGradient(x, y) : recipe(cnn, scope, x, y);
                gradient.toFloatArray();
            }
        }
        return (System.nanoTime() - start) / 1e6 / rounds;
    }

    private static NDArray recipe(DjlClassifier cnn, NDManager scope, NDArray x, NDArray y) {
        NDArray in = x.duplicate();
        in.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = cnn.model().getBlock()
                    .forward(new ParameterStore(scope, false), new NDList(in), false).singletonOrThrow();
            collector.backward(GradientLoss.crossEntropy().perSample(logits, y).sum());
        }
        return in.getGradient();
    }
}

package dev.gauntlet.testkits.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.PgdAttack;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PGD L∞ speed on the Fashion-MNIST reference CNN, batch 256, in image-gradient-steps per second
 * (steps × images / s), measured in one run for: Gauntlet's {@code PgdAttack}; a raw DJL loop
 * written here as a user would (the textbook recipe: parameters keep their gradient buffers); and
 * a hand-written PyTorch loop of the same architecture ({@code src/test/python/pytorch_pgd_bench.py},
 * run when {@code python3} with {@code torch} is installed, e.g. Debian's {@code python3-torch}).
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.AttackBench [-Dexec.args="ROUNDS"]}
 */
public final class AttackBench {

    private static final int BATCH = 256;
    private static final int STEPS = 10;
    private static final double EPSILON = 0.1;

    private AttackBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args optionally the number of timed rounds (default 10)
     * @throws Exception if the PyTorch process fails to start
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Dataset test = ReferenceData.fashionMnist().test().head(BATCH);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            PgdAttack pgd = Attacks.pgd().linf(EPSILON).steps(STEPS);
            time(() -> gauntlet(cnn, test, pgd), 2);
            time(() -> raw(cnn, test), 2);
            double gauntlet = 0;
            double raw = 0;
            for (int r = 0; r < 3; r++) { // interleaved, so drift in machine load hits both alike
                gauntlet += time(() -> gauntlet(cnn, test, pgd), rounds);
                raw += time(() -> raw(cnn, test), rounds);
            }
            double gauntletRate = 3.0 * rounds * STEPS * BATCH / gauntlet;
            double rawRate = 3.0 * rounds * STEPS * BATCH / raw;
            double torchRate = pytorch(rounds);
            System.out.printf("PGD L-inf eps %.1f, %d steps, Fashion-MNIST CNN, batch %d, %s, %d threads:%n", EPSILON,
                    STEPS, BATCH, cnn.computeTarget(), Runtime.getRuntime().availableProcessors());
            System.out.printf("  %-32s %9.0f image-gradient-steps/s%n", "Gauntlet PgdAttack", gauntletRate);
            System.out.printf("  %-32s %9.0f image-gradient-steps/s   Gauntlet / raw = %.2f%n", "raw DJL loop",
                    rawRate, gauntletRate / rawRate);
            if (Double.isNaN(torchRate)) {
                System.out.println("  PyTorch loop: not measured (python3 with torch not found; apt-get install python3-torch)");
            } else {
                System.out.printf("  %-32s %9.0f image-gradient-steps/s   Gauntlet / PyTorch = %.2f%n",
                        "PyTorch loop (same architecture)", torchRate, gauntletRate / torchRate);
            }
        }
    }

    private static void gauntlet(DjlClassifier cnn, Dataset test, PgdAttack pgd) {
        try (NDManager scope = cnn.newScope()) {
            pgd.generate(cnn, test.features(scope, 0, BATCH), test.labels(scope, 0, BATCH), test.bounds(), 1)
                    .toFloatArray();
        }
    }

    /** The loop a user would write from DJL's documentation. */
    private static void raw(DjlClassifier cnn, Dataset test) {
        float alpha = (float) (2.5 * EPSILON / STEPS);
        try (NDManager scope = cnn.newScope()) {
            NDArray x0 = test.features(scope, 0, BATCH);
            NDArray y = test.labels(scope, 0, BATCH);
            NDArray x = x0.add(scope.randomUniform((float) -EPSILON, (float) EPSILON, x0.getShape())).clip(0, 1);
            for (int step = 0; step < STEPS; step++) {
                NDArray variable = x.duplicate();
                variable.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = cnn.model().getBlock()
                            .forward(new ParameterStore(scope, false), new NDList(variable), false).singletonOrThrow();
                    collector.backward(GradientLoss.crossEntropy().perSample(logits, y).sum());
                }
                x = variable.add(variable.getGradient().sign().mul(alpha))
                        .maximum(x0.sub(EPSILON)).minimum(x0.add(EPSILON)).clip(0, 1);
            }
            x.toFloatArray();
        }
    }

    private static double time(Runnable body, int rounds) {
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            body.run();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double pytorch(int rounds) throws IOException, InterruptedException {
        Path script = Path.of("src/test/python/pytorch_pgd_bench.py");
        if (!Files.exists(script)) {
            script = Path.of("testkits/src/test/python/pytorch_pgd_bench.py");
        }
        // Debian's python3-torch lives in the system interpreter, which a pyenv python3 on the PATH may shadow
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process process = new ProcessBuilder(python, script.toString(),
                String.valueOf(Runtime.getRuntime().availableProcessors()), String.valueOf(rounds))
                .redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("pytorch ")) {
                    result = line.substring(8).trim();
                }
            }
        }
        return process.waitFor() == 0 && result != null ? Double.parseDouble(result) : Double.NaN;
    }
}

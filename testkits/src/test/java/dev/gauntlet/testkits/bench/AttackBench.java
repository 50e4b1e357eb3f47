package dev.gauntlet.testkits.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.PgdAttack;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.ComputeTarget;
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
 * written here as a user would (the textbook recipe: parameters keep their gradient buffers); the
 * same loop with the parameters detached (input-only gradients, the work Gauntlet does: the true
 * framework overhead); and a hand-written PyTorch loop of the same architecture ({@code src/test/python/pytorch_pgd_bench.py},
 * run when {@code python3} with {@code torch} is installed, e.g. Debian's {@code python3-torch}).
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.AttackBench [-Dexec.args="ROUNDS"]}
 */
public final class AttackBench {

    static final int BATCH = 256;
    static final int STEPS = 10;
    static final double EPSILON = 0.1;

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
            double[] seconds = interleaved(rounds, () -> gauntlet(cnn, test, pgd, BATCH),
                    () -> raw(cnn, test, BATCH, false), () -> raw(cnn, test, BATCH, true));
            double gauntletRate = 3.0 * rounds * STEPS * BATCH / seconds[0];
            double rawRate = 3.0 * rounds * STEPS * BATCH / seconds[1];
            double detachedRate = 3.0 * rounds * STEPS * BATCH / seconds[2];
            double torchRate = pytorch("cnn", BATCH, rounds);
            System.out.printf("PGD L-inf eps %.1f, %d steps, Fashion-MNIST CNN, batch %d, %s, %d threads:%n", EPSILON,
                    STEPS, BATCH, cnn.computeTarget(), Runtime.getRuntime().availableProcessors());
            System.out.printf("  %-32s %9.0f image-gradient-steps/s%n", "Gauntlet PgdAttack", gauntletRate);
            System.out.printf("  %-32s %9.0f image-gradient-steps/s   Gauntlet / raw = %.2f%n", "raw DJL loop",
                    rawRate, gauntletRate / rawRate);
            System.out.printf("  %-32s %9.0f image-gradient-steps/s   Gauntlet / detached = %.2f%n",
                    "raw DJL loop, detached weights", detachedRate, gauntletRate / detachedRate);
            if (Double.isNaN(torchRate)) {
                System.out.println("  PyTorch loop: not measured (python3 with torch not found; apt-get install python3-torch)");
            } else {
                System.out.printf("  %-32s %9.0f image-gradient-steps/s   Gauntlet / PyTorch = %.2f%n",
                        "PyTorch loop (same architecture)", torchRate, gauntletRate / torchRate);
            }
        }
    }

    /**
     * Runs the bodies twice each to warm up, then {@code rounds} times each, three times over,
     * interleaved so that drift in machine load hits all alike.
     *
     * @return each body's total seconds over the 3 × {@code rounds} timed runs
     */
    static double[] interleaved(int rounds, Runnable... bodies) {
        for (Runnable body : bodies) {
            time(body, 2);
        }
        double[] seconds = new double[bodies.length];
        for (int r = 0; r < 3; r++) {
            for (int b = 0; b < bodies.length; b++) {
                seconds[b] += time(bodies[b], rounds);
            }
        }
        return seconds;
    }

    /** One PGD-10 run of Gauntlet's attack on the first {@code batch} samples. */
    static void gauntlet(DjlClassifier model, Dataset data, PgdAttack pgd, int batch) {
        try (NDManager scope = model.newScope()) {
            pgd.generate(model, data.features(scope, 0, batch), data.labels(scope, 0, batch), data.bounds(), 1)
                    .toFloatArray();
        }
    }

    /**
     * The PGD-10 loop a user would write from DJL's documentation, on the first {@code batch}
     * samples; {@code detached}: the parameters enter the graph cut off (input-only gradients).
     */
    static void raw(DjlClassifier model, Dataset data, int batch, boolean detached) {
        float alpha = (float) (2.5 * EPSILON / STEPS);
        try (NDManager scope = model.newScope()) {
            NDArray x0 = data.features(scope, 0, batch);
            NDArray y = data.labels(scope, 0, batch);
            NDArray x = x0.add(scope.randomUniform((float) -EPSILON, (float) EPSILON, x0.getShape())).clip(0, 1);
            for (int step = 0; step < STEPS; step++) {
                NDArray variable = x.duplicate();
                variable.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.model().getBlock()
                            .forward(store(scope, detached), new NDList(variable), false).singletonOrThrow();
                    collector.backward(GradientLoss.crossEntropy().perSample(logits, y).sum());
                }
                x = variable.add(variable.getGradient().sign().mul(alpha))
                        .maximum(x0.sub(EPSILON)).minimum(x0.add(EPSILON)).clip(0, 1);
            }
            x.toFloatArray();
        }
    }

    /** A parameter store; {@code detached}: it hands out the parameters cut from the autograd graph. */
    static ParameterStore store(NDManager scope, boolean detached) {
        if (!detached) {
            return new ParameterStore(scope, false);
        }
        return new ParameterStore(scope, false) {
            @Override
            public NDArray getValue(Parameter parameter, Device device, boolean training) {
                NDArray detachedValue = super.getValue(parameter, device, training).stopGradient();
                detachedValue.attach(scope);
                return detachedValue;
            }
        };
    }

    static double time(Runnable body, int rounds) {
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            body.run();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The PyTorch loop's rate ({@code network} cnn or resnet20), or the best float32 matrix-product
     * rate in GFLOP/s ({@code network} peak); NaN when python3 with torch is missing.
     */
    static double pytorch(String network, int batch, int rounds) throws IOException, InterruptedException {
        Path script = Path.of("src/test/python/pytorch_pgd_bench.py");
        if (!Files.exists(script)) {
            script = Path.of("testkits/src/test/python/pytorch_pgd_bench.py");
        }
        // Debian's python3-torch lives in the system interpreter, which a pyenv python3 on the PATH may shadow
        Process process = new ProcessBuilder(python(), script.toString(),
                String.valueOf(Runtime.getRuntime().availableProcessors()), String.valueOf(rounds), network,
                String.valueOf(batch), torchDevice()).redirectErrorStream(true).start();
        String result = null;
        String prefix = network.equals("peak") ? "peak " : "pytorch ";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(prefix)) {
                    result = line.substring(prefix.length()).trim();
                }
            }
        }
        return process.waitFor() == 0 && result != null ? Double.parseDouble(result) : Double.NaN;
    }

    /** PyTorch's name for the device Gauntlet runs on ({@code -Dgauntlet.device}): the anchor runs there too. */
    static String torchDevice() {
        return ComputeTarget.fromSystemProperties().device().isGpu() ? "cuda" : "cpu";
    }

    /** The system interpreter where it exists (Debian's python3-torch and python3-sklearn live there). */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}

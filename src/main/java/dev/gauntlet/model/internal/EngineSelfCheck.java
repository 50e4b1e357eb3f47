package dev.gauntlet.model.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

import dev.gauntlet.GauntletException;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Internal: do not use. Checks once per engine and device, before the first input gradient, that the
 * engine differentiates a convolution correctly, against the closed form.
 *
 * <p>Why: DJL's PyTorch 2.7.1 CPU natives compute wrong convolution input gradients on some
 * processors (measured on an AMD EPYC with AVX-512: errors of the size of the gradient itself,
 * varying with the thread count), from oneDNN's AVX2 and AVX-512 kernels; capping oneDNN with the
 * environment variable {@code ONEDNN_MAX_CPU_ISA=AVX} fixes them. Every attack and attribution would
 * be silently wrong, so Gauntlet refuses to compute gradients there and says how to fix it. The
 * fault depends on the convolution's shape (larger ones were right here); this small probe is one
 * that shows it, a heuristic guard rather than a proof of every kernel.
 */
public final class EngineSelfCheck {

    /** Largest tolerated error; float32 sums of 36 products of unit-size values are good to 1e-6. */
    private static final double TOLERANCE = 1e-4;

    private static final Map<String, Double> CHECKED = new ConcurrentHashMap<>();

    private EngineSelfCheck() {}

    /**
     * Verifies the convolution input gradient of {@code engine} on {@code device}, once per JVM.
     *
     * @param engine the engine that will compute input gradients
     * @param device its device
     * @throws GauntletException if the engine's gradient is wrong, with the fix
     */
    public static void verifyConvolutionGradient(Engine engine, Device device) {
        String key = engine.getEngineName() + "/" + device;
        Double known = CHECKED.get(key);
        double error = known != null ? known : GradientLock.around(engine, () -> convolutionGradientError(engine, device));
        CHECKED.putIfAbsent(key, error);
        if (!(error <= TOLERANCE)) {
            throw new GauntletException(String.format(Locale.ROOT, "the %s engine computes wrong convolution"
                    + " gradients on this machine (max error %.3g against the closed form on a 3x3 convolution),"
                    + " so every attack and attribution would be wrong. On CPU this comes from oneDNN's AVX2/AVX-512"
                    + " kernels: set the environment variable ONEDNN_MAX_CPU_ISA=AVX before the JVM starts (Maven:"
                    + " surefire <environmentVariables>; the gauntlet command sets it)",
                    key, error));
        }
    }

    /**
     * Measures max |autograd − closed form| of d(sum of a 3x3 same-padded convolution)/d(input), 4 filters.
     *
     * @param engine the engine
     * @param device its device
     * @return the largest error, NaN if a gradient was NaN
     */
    public static double convolutionGradientError(Engine engine, Device device) {
        int n = 2;
        int filters = 4;
        int size = 8;
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[n * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        float[] w = new float[filters * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (2 * random.nextDouble() - 1);
        }
        try (NDManager manager = engine.newBaseManager(device)) {
            NDArray input = manager.create(x, new Shape(n, 1, size, size));
            input.setRequiresGradient(true);
            NDArray weight = manager.create(w, new Shape(filters, 1, 3, 3));
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray out = Conv2d.conv2d(input, weight, manager.zeros(new Shape(filters)), new Shape(1, 1),
                        new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
                collector.backward(out.sum());
            }
            float[] gradient = input.getGradient().toFloatArray();
            double worst = 0;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        double expected = 0; // each output window covering (i, j) adds the weight it puts there
                        for (int c = 0; c < filters; c++) {
                            for (int di = -1; di <= 1; di++) {
                                for (int dj = -1; dj <= 1; dj++) {
                                    int oi = i - di;
                                    int oj = j - dj;
                                    if (oi >= 0 && oi < size && oj >= 0 && oj < size) {
                                        expected += w[c * 9 + (di + 1) * 3 + (dj + 1)];
                                    }
                                }
                            }
                        }
                        double actual = gradient[s * size * size + i * size + j];
                        worst = Double.isNaN(actual) ? Double.NaN : Math.max(worst, Math.abs(actual - expected));
                        if (Double.isNaN(worst)) {
                            return worst;
                        }
                    }
                }
            }
            return worst;
        }
    }
}

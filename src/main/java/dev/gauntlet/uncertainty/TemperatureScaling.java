package dev.gauntlet.uncertainty;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.model.GradientLoss;

/**
 * Temperature scaling (Guo et al. 2017): the single T &gt; 0 that minimises the negative
 * log-likelihood of {@code softmax(z / T)} on validation logits. It changes confidences, never
 * predictions. The NLL is convex in 1/T, so a golden-section search over log T in
 * [0.05, 20] finds the minimum to 1e-6.
 *
 * @param temperature the fitted T
 * @param nllBefore validation NLL at T = 1
 * @param nllAfter validation NLL at the fitted T
 */
public record TemperatureScaling(double temperature, double nllBefore, double nllAfter) {

    /**
     * Fits T on validation logits.
     *
     * @param logits one row of logits per sample
     * @param labels the true classes
     * @return the fit
     */
    public static TemperatureScaling fit(float[][] logits, int[] labels) {
        if (logits.length == 0 || logits.length != labels.length) {
            throw new InvalidDataException("logits hold " + logits.length + " rows but labels " + labels.length
                    + "; give one non-empty row per label");
        }
        double lo = Math.log(0.05);
        double hi = Math.log(20);
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo);
        double b = lo + ratio * (hi - lo);
        double fa = nll(logits, labels, Math.exp(a));
        double fb = nll(logits, labels, Math.exp(b));
        while (hi - lo > 1e-6) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = nll(logits, labels, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = nll(logits, labels, Math.exp(b));
            }
        }
        double t = Math.exp((lo + hi) / 2);
        return new TemperatureScaling(t, nll(logits, labels, 1), nll(logits, labels, t));
    }

    /**
     * The mean negative log-likelihood of {@code softmax(z / T)}.
     *
     * @param logits one row per sample
     * @param labels the true classes
     * @param temperature T &gt; 0
     * @return the NLL in nats
     */
    public static double nll(float[][] logits, int[] labels, double temperature) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float z : logits[i]) {
                max = Math.max(max, z / temperature);
            }
            double sum = 0;
            for (float z : logits[i]) {
                sum += Math.exp(z / temperature - max);
            }
            total += Math.log(sum) + max - logits[i][labels[i]] / temperature;
        }
        return total / logits.length;
    }

    /**
     * Returns a classifier whose logits are the given one's divided by T.
     *
     * @param classifier the uncalibrated classifier
     * @return the calibrated classifier (closing it closes the given one)
     */
    public Classifier calibrate(Classifier classifier) {
        float scale = (float) (1 / temperature);
        return new ForwardingClassifier(classifier) {
            @Override
            public NDArray logits(NDArray inputs) {
                return super.logits(inputs).mul(scale);
            }

            @Override
            public NDArray inputGradient(NDArray inputs, NDArray labels, GradientLoss loss) {
                return super.inputGradient(inputs, labels, (z, y) -> loss.perSample(z.mul(scale), y));
            }

            /** Dropout sampling, the layer view and randomised copies would bypass the temperature. */
            @Override
            public <C> java.util.Optional<C> capability(Class<C> type) {
                return java.util.Optional.empty();
            }

            @Override
            public String missingCapabilityReason(Class<?> type) {
                if (type == dev.gauntlet.model.InputGradients.class) {
                    return super.missingCapabilityReason(type);
                }
                return "a temperature-scaled classifier offers only logits and input gradients (the layers, dropout"
                        + " passes and randomised copies of the model underneath would bypass the temperature);"
                        + " run those checks on the uncalibrated model";
            }

            @Override
            public String fingerprint() {
                return java.util.HexFormat.of().formatHex(sha256(delegate().fingerprint() + " / T=" + temperature));
            }

            @Override
            public String toString() {
                return delegate() + " / T=" + String.format(java.util.Locale.ROOT, "%.3f", temperature);
            }
        };
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

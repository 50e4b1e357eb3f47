package dev.gauntlet.uncertainty;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.InputGradients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Temperature scaling (Guo et al. 2017): the single T &gt; 0 that minimises the negative
 * log-likelihood of {@code softmax(z / T)} on validation logits. It changes confidences, never
 * predictions. The NLL is convex in β = 1/T, its derivative
 * {@code g(β) = mean(E_softmax(βz)[z] − z[label])} increases with β, and the fit is the root of
 * {@code g}, found by Newton steps safeguarded by bisection to float64 precision: the optimum
 * scipy's root finders (or Guo et al.'s L-BFGS) reach, to 1e-6 relative or better (the parity suite
 * checks 5 to 5,000 samples, 2 to 784 classes, logits at scales 1e-3 to 1e4).
 *
 * <p>Where we differ on purpose: T is kept in {@code [1e-6 s, 1e6 s]}, s the largest spread
 * {@code max z − min z} of a row, so the fit stays finite where no minimum exists — when no sample
 * is misclassified (the NLL keeps falling as T → 0: the lower end) and when the labels are no better
 * than chance (the NLL is least at T → ∞: the upper end); with all rows constant T is 1. The
 * previous fixed search range [0.05, 20] clipped well-defined optima of logits on other scales
 * (T = 1e-4 and 6e4 occur in the parity grid).
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
        double spread = 0;
        for (float[] row : logits) {
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (float z : row) {
                max = Math.max(max, z);
                min = Math.min(min, z);
            }
            spread = Math.max(spread, max - min);
        }
        double t = spread == 0 ? 1 : 1 / optimalInverse(logits, labels, 1 / (1e6 * spread), 1 / (1e-6 * spread));
        return new TemperatureScaling(t, nll(logits, labels, 1), nll(logits, labels, t));
    }

    /**
     * The root of the NLL's derivative in β = 1/T within [lo, hi] (an end where the derivative keeps
     * its sign there): safeguarded Newton, the bracket shrinking every step.
     */
    private static double optimalInverse(float[][] logits, int[] labels, double lo, double hi) {
        double[] atLo = derivatives(logits, labels, lo);
        if (atLo[0] >= 0) {
            return lo;
        }
        if (derivatives(logits, labels, hi)[0] <= 0) {
            return hi;
        }
        double beta = lo;
        double[] at = atLo;
        for (int step = 0; step < 200 && hi - lo > 1e-15 * hi; step++) {
            double newton = at[1] > 0 ? beta - at[0] / at[1] : Double.NaN;
            if (Math.abs(newton - beta) <= 1e-15 * beta) {
                return newton;
            }
            beta = newton > lo && newton < hi ? newton : Math.sqrt(lo * hi);
            at = derivatives(logits, labels, beta);
            if (at[0] == 0) {
                return beta;
            }
            if (at[0] < 0) {
                lo = beta;
            } else {
                hi = beta;
            }
        }
        return beta;
    }

    /** The first and second derivatives of the mean NLL in β: {mean(E_p[z] − z[y]), mean(Var_p[z])}. */
    private static double[] derivatives(float[][] logits, int[] labels, double beta) {
        double first = 0;
        double second = 0;
        for (int i = 0; i < logits.length; i++) {
            float[] z = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : z) {
                max = Math.max(max, beta * v);
            }
            double sum = 0;
            double mean = 0;
            for (float v : z) {
                double w = Math.exp(beta * v - max);
                sum += w;
                mean += w * v;
            }
            mean /= sum;
            double variance = 0;
            for (float v : z) {
                double w = Math.exp(beta * v - max);
                variance += w * (v - mean) * (v - mean);
            }
            first += mean - z[labels[i]];
            second += variance / sum;
        }
        return new double[] {first / logits.length, second / logits.length};
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
            public <C> Optional<C> capability(Class<C> type) {
                return Optional.empty();
            }

            @Override
            public String missingCapabilityReason(Class<?> type) {
                if (type == InputGradients.class) {
                    return super.missingCapabilityReason(type);
                }
                return "a temperature-scaled classifier offers only logits and input gradients (the layers, dropout"
                        + " passes and randomised copies of the model underneath would bypass the temperature);"
                        + " run those checks on the uncalibrated model";
            }

            @Override
            public String fingerprint() {
                return HexFormat.of().formatHex(sha256(delegate().fingerprint() + " / T=" + temperature));
            }

            @Override
            public String toString() {
                return delegate() + " / T=" + String.format(Locale.ROOT, "%.3f", temperature);
            }
        };
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

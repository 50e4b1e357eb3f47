package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.data.ValueBounds;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * Common image corruptions at severities 1–5, after Hendrycks &amp; Dietterich (2019),
 * "Benchmarking Neural Network Robustness to Common Corruptions", with their CIFAR-10-C
 * parameters, for images of shape {@code (C, H, W)} or {@code (H, W)} with bounds such as [0, 1]
 * (brightness and noise scale with the bounds' width). Seeded; results are clipped to the bounds.
 *
 * @param kind the corruption
 * @param severity 1 (mild) to 5 (severe)
 */
public record ImageCorruption(Kind kind, int severity) implements Corruption {

    /** The corruptions and their parameter per severity 1–5. */
    public enum Kind {
        /** Additive Gaussian noise, σ = 0.04, 0.06, 0.08, 0.09, 0.10 (of the value range). */
        GAUSSIAN_NOISE(0.04, 0.06, 0.08, 0.09, 0.10),
        /** Poisson (shot) noise with rate λ·x, λ = 500, 250, 100, 75, 50. */
        SHOT_NOISE(500, 250, 100, 75, 50),
        /** Gaussian blur, σ = 0.4, 0.6, 0.7, 0.8, 1.0 pixels. */
        BLUR(0.4, 0.6, 0.7, 0.8, 1.0),
        /** Brighter by 0.05, 0.1, 0.15, 0.2, 0.3 (of the value range). */
        BRIGHTNESS(0.05, 0.1, 0.15, 0.2, 0.3),
        /** Contrast scaled around each image's mean by 0.75, 0.5, 0.4, 0.3, 0.15. */
        CONTRAST(0.75, 0.5, 0.4, 0.3, 0.15),
        /** Rotation about the centre by ±5, 10, 15, 20, 30 degrees (bilinear). */
        ROTATION(5, 10, 15, 20, 30),
        /** Translation by 1, 2, 3, 4, 5 pixels in a random direction (filled with the lower bound). */
        TRANSLATION(1, 2, 3, 4, 5),
        /** Pixelation: down to 0.95, 0.9, 0.85, 0.75, 0.65 of the size and back, nearest neighbour. */
        PIXELATION(0.95, 0.9, 0.85, 0.75, 0.65);

        private final double[] parameters;

        Kind(double... parameters) {
            this.parameters = parameters;
        }

        /**
         * Returns the parameter used at a severity.
         *
         * @param severity 1 to 5
         * @return the parameter
         */
        public double parameter(int severity) {
            return parameters[severity - 1];
        }
    }

    /**
     * Validates the severity.
     *
     * @throws IllegalArgumentException if it is outside 1–5
     */
    public ImageCorruption {
        Objects.requireNonNull(kind, "kind");
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be in 1..5, got " + severity);
        }
    }

    /**
     * Gaussian noise at a severity.
     *
     * @param severity 1 to 5
     * @return the corruption
     */
    public static ImageCorruption gaussianNoise(int severity) {
        return new ImageCorruption(Kind.GAUSSIAN_NOISE, severity);
    }

    /**
     * Gaussian blur at a severity.
     *
     * @param severity 1 to 5
     * @return the corruption
     */
    public static ImageCorruption blur(int severity) {
        return new ImageCorruption(Kind.BLUR, severity);
    }

    @Override
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "(" + severity + ")";
    }

    @Override
    public Dataset apply(Dataset data, long seed) {
        long[] shape = data.sampleShape().getShape();
        if (shape.length != 2 && shape.length != 3) {
            throw new InvalidDataException("image corruptions need samples of shape (C, H, W) or (H, W), but '"
                    + data.name() + "' has " + data.sampleShape() + "; use tabular corruptions");
        }
        ValueBounds bounds = data.bounds();
        if (!Double.isFinite(bounds.upper() - bounds.lower())) {
            throw new InvalidDataException("image corruptions need finite value bounds, but '" + data.name()
                    + "' is unbounded");
        }
        int channels = shape.length == 3 ? (int) shape[0] : 1;
        int height = (int) shape[shape.length - 2];
        int width = (int) shape[shape.length - 1];
        int d = data.featureCount();
        double lo = bounds.lower();
        double range = bounds.upper() - lo;
        double p = kind.parameter(severity);
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[data.size() * d];
        for (int i = 0; i < data.size(); i++) {
            float[] x = data.features(i);
            float[] y = switch (kind) {
                case GAUSSIAN_NOISE -> map(x, v -> v + p * range * StandardNormal.draw(random));
                case SHOT_NOISE -> map(x, v -> lo + range * poisson(random, p * (v - lo) / range) / p);
                case BLUR -> perChannel(x, channels, height, width, plane -> blur(plane, height, width, p));
                case BRIGHTNESS -> map(x, v -> v + p * range);
                case CONTRAST -> perChannel(x, channels, height, width, plane -> contrast(plane, p));
                case ROTATION -> {
                    double angle = Math.toRadians(random.nextBoolean() ? p : -p);
                    yield perChannel(x, channels, height, width, plane -> rotate(plane, height, width, angle, lo));
                }
                case TRANSLATION -> {
                    double direction = 2 * Math.PI * random.nextDouble();
                    int dy = (int) Math.round(p * Math.sin(direction));
                    int dx = (int) Math.round(p * Math.cos(direction));
                    yield perChannel(x, channels, height, width, plane -> translate(plane, height, width, dy, dx, lo));
                }
                case PIXELATION -> perChannel(x, channels, height, width, plane -> pixelate(plane, height, width, p));
            };
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) Math.max(lo, Math.min(bounds.upper(), y[j]));
            }
        }
        return data.withFeatures(out, bounds).renamed(data.name() + " + " + name());
    }

    private static float[] map(float[] x, DoubleUnaryOperator f) {
        float[] y = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            y[j] = (float) f.applyAsDouble(x[j]);
        }
        return y;
    }

    private static float[] perChannel(float[] x, int channels, int height, int width,
            UnaryOperator<float[]> f) {
        float[] y = new float[x.length];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float[] in = Arrays.copyOfRange(x, c * plane, (c + 1) * plane);
            System.arraycopy(f.apply(in), 0, y, c * plane, plane);
        }
        return y;
    }

    private static float[] blur(float[] plane, int height, int width, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        float[] horizontal = new float[plane.length];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    int cc = Math.max(0, Math.min(width - 1, c + k)); // edges repeat, as scipy's 'nearest'
                    v += kernel[k + radius] * plane[r * width + cc];
                }
                horizontal[r * width + c] = (float) v;
            }
        }
        float[] out = new float[plane.length];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    int rr = Math.max(0, Math.min(height - 1, r + k));
                    v += kernel[k + radius] * horizontal[rr * width + c];
                }
                out[r * width + c] = (float) v;
            }
        }
        return out;
    }

    private static float[] contrast(float[] plane, double factor) {
        double mean = 0;
        for (float v : plane) {
            mean += v / plane.length;
        }
        float[] out = new float[plane.length];
        for (int j = 0; j < plane.length; j++) {
            out[j] = (float) ((plane[j] - mean) * factor + mean);
        }
        return out;
    }

    private static float[] rotate(float[] plane, int height, int width, double angle, double fill) {
        float[] out = new float[plane.length];
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double sy = cos * (r - cy) + sin * (c - cx) + cy; // inverse rotation: where the pixel came from
                double sx = -sin * (r - cy) + cos * (c - cx) + cx;
                out[r * width + c] = (float) bilinear(plane, height, width, sy, sx, fill);
            }
        }
        return out;
    }

    private static double bilinear(float[] plane, int height, int width, double y, double x, double fill) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (1 - fy) * ((1 - fx) * at(plane, height, width, y0, x0, fill) + fx * at(plane, height, width, y0, x0 + 1, fill))
                + fy * ((1 - fx) * at(plane, height, width, y0 + 1, x0, fill) + fx * at(plane, height, width, y0 + 1, x0 + 1, fill));
    }

    private static double at(float[] plane, int height, int width, int r, int c, double fill) {
        return r < 0 || c < 0 || r >= height || c >= width ? fill : plane[r * width + c];
    }

    private static float[] translate(float[] plane, int height, int width, int dy, int dx, double fill) {
        float[] out = new float[plane.length];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                out[r * width + c] = (float) at(plane, height, width, r - dy, c - dx, fill);
            }
        }
        return out;
    }

    private static float[] pixelate(float[] plane, int height, int width, double scale) {
        int smallHeight = Math.max(1, (int) (height * scale));
        int smallWidth = Math.max(1, (int) (width * scale));
        float[] out = new float[plane.length];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int sr = r * smallHeight / height; // down, then back up, nearest neighbour
                int sc = c * smallWidth / width;
                int or = Math.min(height - 1, (int) ((sr + 0.5) * height / smallHeight));
                int oc = Math.min(width - 1, (int) ((sc + 0.5) * width / smallWidth));
                out[r * width + c] = plane[or * width + oc];
            }
        }
        return out;
    }


    /** A Poisson draw with mean λ: Knuth's method for small λ, the normal approximation above 50. */
    private static double poisson(SplittableRandom random, double lambda) {
        if (lambda > 50) {
            return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * StandardNormal.draw(random)));
        }
        double limit = Math.exp(-lambda);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }
}

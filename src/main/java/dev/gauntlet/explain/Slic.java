package dev.gauntlet.explain;

import java.util.Arrays;
import java.util.Locale;

/**
 * SLIC superpixels (Achanta et al., "SLIC Superpixels Compared to State-of-the-Art Superpixel
 * Methods", TPAMI 2012): k-means in colour and image position, each centre searching only the
 * pixels near it, so that segments follow the image's edges and stay about {@code S = √(N/k)}
 * pixels wide.
 *
 * <p>As scikit-image's {@code segmentation.slic} (0.19) with its defaults: the image is rescaled to
 * [0, 1] by its own minimum and maximum; three channels are taken as RGB and compared in CIELAB
 * (D65, 2°), any other number of channels as they are; centres start on scikit-image's
 * {@code regular_grid} with zero colour; the distance is {@code d_colour²/m² + d_xy²/S²}
 * ({@code m} the compactness, {@code S} the grid step) over a window of ±2S; 10 iterations; no
 * smoothing ({@code sigma=0}); then connected components smaller than half the mean segment
 * size join their neighbour. Unlike the paper, centres are not moved to the lowest gradient of
 * their 3 × 3 neighbourhood (scikit-image does not either). Labels start at 0 here (1 in
 * scikit-image). Use it when explanations should follow objects rather than a grid: lime's
 * reference implementation and alibi's {@code AnchorImage} segment images this way.
 */
public final class Slic implements Segmenter {

    private final int segments;
    private final double compactness;
    private final int iterations;
    private final boolean connectivity;

    Slic(int segments, double compactness, int iterations, boolean connectivity) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be >= 1, got " + segments);
        }
        if (!(compactness > 0) || Double.isInfinite(compactness)) {
            throw new IllegalArgumentException("compactness must be positive and finite, got " + compactness);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.segments = segments;
        this.compactness = compactness;
        this.iterations = iterations;
        this.connectivity = connectivity;
    }

    /**
     * Sets the most k-means iterations ({@code max_num_iter}, 10 by default).
     *
     * @param count at least 1
     * @return a copy
     */
    public Slic maxIterations(int count) {
        return new Slic(segments, compactness, count, connectivity);
    }

    /**
     * Keeps the k-means labels as they are, disconnected pieces included
     * ({@code enforce_connectivity=False}).
     *
     * @return a copy
     */
    public Slic withoutConnectivity() {
        return new Slic(segments, compactness, iterations, false);
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "slic(segments=%d, compactness=%s)", segments, compactness);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public Segmentation segment(float[] image, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1 || image.length != channels * height * width) {
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image needs "
                    + channels * height * width + " values, got " + image.length);
        }
        int pixels = height * width;
        double[][] colour = features(image, channels, pixels);
        // scikit-image's regular_grid on the (1, height, width) volume
        double[] steps = gridSteps(height, width, segments);
        int startY = (int) Math.floor(steps[1] / 2);
        int startX = (int) Math.floor(steps[2] / 2);
        int stepY = (int) Math.rint(steps[1]);
        int stepX = (int) Math.rint(steps[2]);
        int rows = height <= startY ? 0 : (height - startY + stepY - 1) / stepY;
        int columns = width <= startX ? 0 : (width - startX + stepX - 1) / stepX;
        int k = rows * columns;
        double[][] centres = new double[k][2 + channels];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                centres[r * columns + c][0] = startY + r * stepY;
                centres[r * columns + c][1] = startX + c * stepX;
            }
        }
        double step = Math.max(1, Math.max(stepY, stepX));
        double spatialWeight = 1.0 / (step * step);
        int[] nearest = new int[pixels];
        double[] distance = new double[pixels];
        boolean[] alive = new boolean[k];
        Arrays.fill(alive, true);
        for (int iteration = 0; iteration < iterations; iteration++) {
            boolean change = false;
            Arrays.fill(distance, Double.MAX_VALUE);
            for (int s = 0; s < k; s++) {
                if (!alive[s]) {
                    continue;
                }
                double cy = centres[s][0];
                double cx = centres[s][1];
                int yMin = (int) Math.max(cy - 2 * stepY, 0);
                int yMax = (int) Math.min(cy + 2 * stepY + 1, height);
                int xMin = (int) Math.max(cx - 2 * stepX, 0);
                int xMax = (int) Math.min(cx + 2 * stepX + 1, width);
                for (int y = yMin; y < yMax; y++) {
                    double dy = (cy - y) * (cy - y);
                    for (int x = xMin; x < xMax; x++) {
                        double d = (dy + (cx - x) * (cx - x)) * spatialWeight;
                        int p = y * width + x;
                        for (int c = 0; c < channels; c++) {
                            double t = colour[c][p] - centres[s][2 + c];
                            d += t * t;
                        }
                        if (distance[p] > d) {
                            nearest[p] = s;
                            distance[p] = d;
                            change = true;
                        }
                    }
                }
            }
            if (!change) {
                break;
            }
            int[] members = new int[k];
            for (double[] centre : centres) {
                Arrays.fill(centre, 0);
            }
            for (int p = 0; p < pixels; p++) {
                int s = nearest[p];
                members[s]++;
                centres[s][0] += p / width;
                centres[s][1] += p % width;
                for (int c = 0; c < channels; c++) {
                    centres[s][2 + c] += colour[c][p];
                }
            }
            for (int s = 0; s < k; s++) {
                alive[s] = members[s] > 0; // scikit-image divides by zero here; an empty centre claims nothing
                for (int f = 0; f < centres[s].length && alive[s]; f++) {
                    centres[s][f] /= members[s];
                }
            }
        }
        int[] labels = connectivity ? connect(nearest, height, width, (int) (0.5 * pixels / k),
                (int) (3.0 * pixels / k)) : nearest;
        return consecutive(labels, height, width);
    }

    /** Rescales to [0, 1], converts RGB to CIELAB, divides by the compactness: one array per channel. */
    private double[][] features(float[] image, int channels, int pixels) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : image) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("SLIC needs finite pixel values, got " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max - min;
        double[][] colour = new double[channels][pixels];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < pixels; p++) {
                double v = image[c * pixels + p] - min;
                colour[c][p] = range > 0 ? v / range : v;
            }
        }
        if (channels == 3) {
            for (int p = 0; p < pixels; p++) {
                double[] lab = lab(colour[0][p], colour[1][p], colour[2][p]);
                for (int c = 0; c < 3; c++) {
                    colour[c][p] = lab[c];
                }
            }
        }
        for (double[] channel : colour) {
            for (int p = 0; p < pixels; p++) {
                channel[p] /= compactness;
            }
        }
        return colour;
    }

    /** sRGB in [0, 1] to CIELAB, D65 white, 2° observer, as scikit-image's {@code rgb2lab}. */
    static double[] lab(double r, double g, double b) {
        double lr = linear(r);
        double lg = linear(g);
        double lb = linear(b);
        double x = (0.412453 * lr + 0.357580 * lg + 0.180423 * lb) / 0.95047;
        double y = 0.212671 * lr + 0.715160 * lg + 0.072169 * lb;
        double z = (0.019334 * lr + 0.119193 * lg + 0.950227 * lb) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double linear(double v) {
        return v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116.0;
    }

    /** scikit-image's {@code regular_grid} step sizes (unrounded) for the volume (1, height, width). */
    static double[] gridSteps(int height, int width, int points) {
        double[] dims = {1, height, width};
        Integer[] order = {0, 1, 2};
        Arrays.sort(order, (a, b) -> Double.compare(dims[a], dims[b])); // stable, as numpy's argsort here
        double[] sorted = {dims[order[0]], dims[order[1]], dims[order[2]]};
        double space = (double) height * width;
        if (space <= points) {
            return new double[] {1, 1, 1};
        }
        double[] steps = new double[3];
        Arrays.fill(steps, Math.pow(space / points, 1.0 / 3));
        if (sorted[0] < steps[0] || sorted[1] < steps[1] || sorted[2] < steps[2]) {
            for (int dim = 0; dim < 3; dim++) {
                steps[dim] = sorted[dim];
                double rest = 1;
                for (int j = dim + 1; j < 3; j++) {
                    rest *= sorted[j];
                }
                for (int j = dim + 1; j < 3; j++) {
                    steps[j] = Math.pow(rest / points, 1.0 / (3 - dim - 1));
                }
                if (sorted[0] >= steps[0] && sorted[1] >= steps[1] && sorted[2] >= steps[2]) {
                    break;
                }
            }
        }
        double[] result = new double[3];
        for (int i = 0; i < 3; i++) {
            result[order[i]] = steps[i];
        }
        return result;
    }

    /**
     * scikit-image's {@code _enforce_label_connectivity_cython}: relabel 4-connected components in
     * raster order; one under {@code minSize} pixels takes the label of a neighbouring component.
     */
    private static int[] connect(int[] labels, int height, int width, int minSize, int maxSize) {
        maxSize = Math.max(maxSize, 1);
        int pixels = labels.length;
        int[] result = new int[pixels];
        Arrays.fill(result, -1);
        int[] queue = new int[maxSize];
        int next = 0;
        int[] dy = {0, 0, 1, -1};
        int[] dx = {1, -1, 0, 0};
        for (int start = 0; start < pixels; start++) {
            if (result[start] >= 0) {
                continue;
            }
            int adjacent = next;
            int label = labels[start];
            result[start] = next;
            int size = 1;
            int visited = 0;
            queue[0] = start;
            while (visited < size && size < maxSize) {
                int y = queue[visited] / width;
                int x = queue[visited] % width;
                for (int i = 0; i < 4; i++) {
                    int yy = y + dy[i];
                    int xx = x + dx[i];
                    if (yy < 0 || yy >= height || xx < 0 || xx >= width) {
                        continue;
                    }
                    int q = yy * width + xx;
                    if (labels[q] == label && result[q] == -1) {
                        result[q] = next;
                        queue[size++] = q;
                        if (size >= maxSize) {
                            break;
                        }
                    } else if (result[q] >= 0 && result[q] != next) {
                        adjacent = result[q];
                    }
                }
                visited++;
            }
            if (size < minSize) {
                for (int i = 0; i < size; i++) {
                    result[queue[i]] = adjacent;
                }
            } else {
                next++;
            }
        }
        return result;
    }

    private static Segmentation consecutive(int[] labels, int height, int width) {
        int max = 0;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        int[] map = new int[max + 1];
        Arrays.fill(map, -1);
        int count = 0;
        int[] result = new int[labels.length];
        for (int p = 0; p < labels.length; p++) {
            if (map[labels[p]] < 0) {
                map[labels[p]] = count++;
            }
            result[p] = map[labels[p]];
        }
        return new Segmentation(height, width, count, result);
    }
}

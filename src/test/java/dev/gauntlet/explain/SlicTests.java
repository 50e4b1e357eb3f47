package dev.gauntlet.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** SLIC on synthetic images of flat regions, whose true boundaries are known. */
class SlicTests {

    /** Four flat regions (two rectangles and a disc on a background) plus seeded noise of ±0.02. */
    static int[] regions(int h, int w) {
        int[] truth = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int label = 0;
                if (y < h / 2 && x < w / 3) {
                    label = 1;
                }
                if (y >= h / 3 && x >= w / 2) {
                    label = 2;
                }
                double dy = y - 0.7 * h;
                double dx = x - 0.25 * w;
                if (dy * dy + dx * dx < Math.pow(0.18 * Math.min(h, w), 2)) {
                    label = 3;
                }
                truth[y * w + x] = label;
            }
        }
        return truth;
    }

    static float[] image(int[] truth, float[][] colours, long seed) {
        int channels = colours[0].length;
        float[] image = new float[channels * truth.length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < truth.length; p++) {
                image[c * truth.length + p] = colours[truth[p]][c] + (float) (0.04 * random.nextDouble() - 0.02);
            }
        }
        return image;
    }

    /** The share of true boundary pixels with a segment boundary within {@code tolerance} pixels (Chebyshev). */
    static double boundaryRecall(Segmentation truth, Segmentation found, int tolerance) {
        boolean[] expected = truth.boundaries();
        boolean[] actual = found.boundaries();
        int h = truth.height();
        int w = truth.width();
        int total = 0;
        int hit = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!expected[y * w + x]) {
                    continue;
                }
                total++;
                boolean near = false;
                for (int yy = Math.max(0, y - tolerance); yy <= Math.min(h - 1, y + tolerance) && !near; yy++) {
                    for (int xx = Math.max(0, x - tolerance); xx <= Math.min(w - 1, x + tolerance) && !near; xx++) {
                        near = actual[yy * w + xx];
                    }
                }
                hit += near ? 1 : 0;
            }
        }
        return (double) hit / total;
    }

    /**
     * The mean over segments of their normalised moment of inertia {@code 2π Σ r² / A²}: 1 for a
     * disc, 1.05 for a square, larger for elongated or ragged segments.
     */
    static double inertia(Segmentation s) {
        int n = s.count();
        double[] sy = new double[n];
        double[] sx = new double[n];
        double[] syy = new double[n];
        double[] area = new double[n];
        int[] labels = s.labels();
        for (int p = 0; p < labels.length; p++) {
            int y = p / s.width();
            int x = p % s.width();
            area[labels[p]]++;
            sy[labels[p]] += y;
            sx[labels[p]] += x;
            syy[labels[p]] += (double) y * y + (double) x * x;
        }
        double total = 0;
        for (int k = 0; k < n; k++) {
            double moment = syy[k] - (sy[k] * sy[k] + sx[k] * sx[k]) / area[k];
            total += 2 * Math.PI * moment / (area[k] * area[k]);
        }
        return total / n;
    }

    @Test
    void slic_recovers_flat_regions_of_a_grey_image() {
        int[] truth = regions(90, 120);
        Segmentation expected = new Segmentation(90, 120, 4, truth);
        float[] image = image(truth, new float[][] {{0.1f}, {0.8f}, {0.45f}, {0.95f}}, 1);
        Segmentation found = Segmenter.slic(100, 0.1).segment(image, 1, 90, 120);
        double recall = boundaryRecall(expected, found, 2);
        System.out.printf("[gauntlet] SLIC grey 90x120, 100 segments, compactness 0.1: %d segments, boundary recall %.3f%n",
                found.count(), recall);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
        // no segment straddles two regions: every segment's pixels are (almost) all of one region
        int[][] counts = new int[found.count()][4];
        for (int p = 0; p < truth.length; p++) {
            counts[found.labels()[p]][truth[p]]++;
        }
        int misplaced = 0;
        for (int[] c : counts) {
            misplaced += c[0] + c[1] + c[2] + c[3] - Math.max(Math.max(c[0], c[1]), Math.max(c[2], c[3]));
        }
        assertThat(misplaced / (double) truth.length).isLessThan(0.01);
    }

    @Test
    void slic_recovers_flat_regions_of_a_colour_image_of_equal_brightness() {
        int[] truth = regions(80, 80);
        Segmentation expected = new Segmentation(80, 80, 4, truth);
        // colours that grey scale would confuse: red, green and blue parts of similar luminance
        float[][] colours = {{0.5f, 0.5f, 0.5f}, {0.9f, 0.2f, 0.2f}, {0.2f, 0.6f, 0.2f}, {0.3f, 0.3f, 0.95f}};
        float[] image = image(truth, colours, 2);
        Segmentation found = Segmenter.slic(64, 10).segment(image, 3, 80, 80);
        double recall = boundaryRecall(expected, found, 2);
        System.out.printf("[gauntlet] SLIC RGB 80x80, 64 segments, compactness 10: %d segments, boundary recall %.3f%n",
                found.count(), recall);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void the_segment_count_follows_n_segments() {
        int[] truth = regions(96, 96);
        float[] image = image(truth, new float[][] {{0.1f}, {0.8f}, {0.45f}, {0.95f}}, 3);
        int previous = 0;
        StringBuilder line = new StringBuilder();
        for (int n : new int[] {16, 64, 256}) {
            int count = Segmenter.slic(n, 0.1).segment(image, 1, 96, 96).count();
            line.append(String.format(" n=%d -> %d", n, count));
            assertThat(count).as("n_segments %d", n).isBetween(n / 2, 2 * n).isGreaterThan(previous);
            previous = count;
        }
        System.out.println("[gauntlet] SLIC segment counts:" + line);
    }

    @Test
    void higher_compactness_gives_rounder_segments_that_follow_edges_less() {
        int[] truth = regions(90, 120);
        Segmentation expected = new Segmentation(90, 120, 4, truth);
        float[] image = image(truth, new float[][] {{0.1f}, {0.8f}, {0.45f}, {0.95f}}, 4);
        double previousDensity = Double.POSITIVE_INFINITY;
        StringBuilder line = new StringBuilder();
        double[] recall;
        double[] compactness = {0.03, 0.1, 1, 10};
        recall = new double[compactness.length];
        for (int i = 0; i < compactness.length; i++) {
            Segmentation s = Segmenter.slic(100, compactness[i]).segment(image, 1, 90, 120);
            double density = inertia(s);
            assertThat(density).as("compactness %s", compactness[i]).isLessThan(previousDensity);
            recall[i] = boundaryRecall(expected, s, 1);
            line.append(String.format(" m=%s: inertia %.3f, recall(1px) %.3f;", compactness[i], density, recall[i]));
            previousDensity = density;
        }
        System.out.println("[gauntlet] SLIC compactness:" + line);
        assertThat(recall[1]).isEqualTo(1.0);
        assertThat(recall[3]).isLessThan(0.9);
    }

    @Test
    void patches_are_a_fixed_grid_and_bad_settings_are_refused() {
        Segmentation grid = Segmenter.patches(4).segment(new float[28 * 28], 1, 28, 28);
        assertThat(grid.count()).isEqualTo(49);
        assertThat(grid.segmentAt(3, 3)).isEqualTo(0);
        assertThat(grid.segmentAt(4, 4)).isEqualTo(8);
        assertThat(grid.segmentsIn(0, 0, 4, 4)).containsExactly(0);
        assertThatThrownBy(() -> Segmenter.slic(0, 1)).hasMessageContaining("segments must be >= 1");
        assertThatThrownBy(() -> Segmenter.slic(10, 0)).hasMessageContaining("compactness");
        assertThatThrownBy(() -> Segmenter.slic(10, 1).segment(new float[5], 1, 2, 2)).hasMessageContaining("needs 4");
        // a constant image still segments (no division by a zero range)
        assertThat(Segmenter.slic(9, 0.1).segment(new float[30 * 30], 1, 30, 30).count()).isBetween(4, 18);
    }
}

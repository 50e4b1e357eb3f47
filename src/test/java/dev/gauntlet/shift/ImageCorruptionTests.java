package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.ValueBounds;

import org.junit.jupiter.api.Test;

class ImageCorruptionTests {

    /** n images of 1 x 9 x 9: a bright 3 x 3 square at rows/cols 2..4 on a 0.5 background. */
    private static Dataset squares(int n) {
        float[] pixels = new float[n * 81];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 81; j++) {
                int r = j / 9;
                int c = j % 9;
                pixels[i * 81 + j] = r >= 2 && r <= 4 && c >= 2 && c <= 4 ? 0.9f : 0.5f;
            }
        }
        return Dataset.builder().setFeatures(pixels, 1, 9, 9).setLabels(new int[n]).setNumClasses(2)
                .optBounds(ValueBounds.unit()).optName("squares").build();
    }

    @Test
    void brightness_and_contrast_follow_their_formulas() {
        Dataset data = squares(1);
        float[] bright = new ImageCorruption(ImageCorruption.Kind.BRIGHTNESS, 2).apply(data, 0).features(0);
        assertThat(bright[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(bright[2 * 9 + 2]).isCloseTo(1.0f, within(1e-6f)); // 0.9 + 0.1, at the bound
        float[] contrast = new ImageCorruption(ImageCorruption.Kind.CONTRAST, 2).apply(data, 0).features(0);
        double mean = (9 * 0.9 + 72 * 0.5) / 81;
        assertThat((double) contrast[0]).isCloseTo((0.5 - mean) * 0.5 + mean, within(1e-6));
        assertThat(data.features(0)[0]).as("input unchanged").isEqualTo(0.5f);
    }

    @Test
    void translation_moves_the_square_by_the_severity_in_pixels() {
        float[] moved = new ImageCorruption(ImageCorruption.Kind.TRANSLATION, 2).apply(squares(1), 4).features(0);
        double[] centroid = brightCentroid(moved);
        double shift = Math.hypot(centroid[0] - 3, centroid[1] - 3);
        assertThat(shift).isBetween(1.4, 2.3); // a 2-pixel move rounded to the grid: (2,0), (1,1)..(2,1)
    }

    @Test
    void blur_and_pixelation_leave_a_constant_image_constant_and_blur_spreads_the_square() {
        float[] flat = new float[81];
        java.util.Arrays.fill(flat, 0.3f);
        Dataset constant = Dataset.builder().setFeatures(flat, 1, 9, 9).setLabels(new int[1]).setNumClasses(2)
                .optBounds(ValueBounds.unit()).build();
        for (ImageCorruption.Kind kind : new ImageCorruption.Kind[] {ImageCorruption.Kind.BLUR,
            ImageCorruption.Kind.PIXELATION, ImageCorruption.Kind.ROTATION}) {
            float[] out = new ImageCorruption(kind, 5).apply(constant, 1).features(0);
            assertThat(out[40]).as(kind.name()).isCloseTo(0.3f, within(1e-5f));
        }
        float[] blurred = ImageCorruption.blur(5).apply(squares(1), 0).features(0);
        assertThat(blurred[3 * 9 + 3]).isLessThan(0.9f).isGreaterThan(0.7f);
        assertThat(blurred[3 * 9 + 1]).isGreaterThan(0.5f);
    }

    @Test
    void noise_has_the_published_scale_and_is_seeded() {
        Dataset grey = squares(200);
        Dataset noisy = ImageCorruption.gaussianNoise(1).apply(grey, 7);
        double sumSq = 0;
        int count = 0;
        for (int i = 0; i < noisy.size(); i++) {
            float[] x = noisy.features(i);
            for (int j = 0; j < 9; j++) { // first row: background 0.5, far from the bounds
                sumSq += Math.pow(x[j] - 0.5, 2);
                count++;
            }
        }
        assertThat(Math.sqrt(sumSq / count)).isCloseTo(0.04, within(0.004));
        assertThat(ImageCorruption.gaussianNoise(1).apply(grey, 7).features(3)).containsExactly(noisy.features(3));
        Dataset shot = new ImageCorruption(ImageCorruption.Kind.SHOT_NOISE, 5).apply(grey, 1);
        double mean = 0;
        for (int i = 0; i < shot.size(); i++) {
            mean += shot.features(i)[0] / shot.size();
        }
        assertThat(mean).isCloseTo(0.5, within(0.02)); // Poisson(50 * 0.5) / 50 has mean 0.5
    }

    @Test
    void bad_severities_and_shapes_are_rejected() {
        assertThatThrownBy(() -> ImageCorruption.blur(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("severity");
        Dataset table = Dataset.builder().setFeatures(new float[][] {{1, 2}}).setLabels(new int[1]).setNumClasses(2)
                .build();
        assertThatThrownBy(() -> ImageCorruption.blur(1).apply(table, 0)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("(C, H, W)");
    }

    private static double[] brightCentroid(float[] image) {
        double r = 0;
        double c = 0;
        double total = 0;
        for (int j = 0; j < 81; j++) {
            double w = Math.max(0, image[j] - 0.5);
            r += w * (j / 9);
            c += w * (j % 9);
            total += w;
        }
        return new double[] {r / total, c / total};
    }
}

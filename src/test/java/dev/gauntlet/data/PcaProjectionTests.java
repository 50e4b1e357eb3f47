package dev.gauntlet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.Random;

class PcaProjectionTests {

    /** Points spread 10x more along (1, 1, 0)/√2 than along (1, −1, 0)/√2, and little along z. */
    @Test
    void finds_the_principal_axes_of_a_stretched_cloud() {
        Random random = new Random(2);
        float[][] rows = new float[5000][];
        for (int i = 0; i < rows.length; i++) {
            double a = 10 * random.nextGaussian();
            double b = random.nextGaussian();
            double c = 0.1 * random.nextGaussian();
            rows[i] = new float[] {(float) ((a + b) / Math.sqrt(2) + 3), (float) ((a - b) / Math.sqrt(2) - 1), (float) c};
        }
        PcaProjection pca = PcaProjection.fit(rows, 2);
        float[][] components = pca.components();
        double root = 1 / Math.sqrt(2);
        assertThat((double) Math.abs(components[0][0])).isCloseTo(root, within(0.01));
        assertThat((double) components[0][0] * components[0][1]).isCloseTo(0.5, within(0.01));
        assertThat((double) Math.abs(components[1][0])).isCloseTo(root, within(0.01));
        assertThat((double) components[1][0] * components[1][1]).isCloseTo(-0.5, within(0.01));
        // variances 100 and 1 (n − 1 denominator), up to sampling error (standard error √(2/n) ≈ 2%)
        assertThat(pca.explainedVariance()[0]).isCloseTo(100, within(8.0));
        assertThat(pca.explainedVariance()[1]).isCloseTo(1, within(0.08));
        // the mean (3, -1, 0) projects to the origin
        float[] centre = pca.project(new float[][] {{3, -1, 0}})[0];
        assertThat(centre[0]).isCloseTo(0f, within(0.3f));
        assertThat(centre[1]).isCloseTo(0f, within(0.1f));
    }

    /** scikit-learn's svd_flip: the sample of largest |projection| on a component projects positively. */
    @Test
    void signs_follow_the_sample_of_largest_projection() {
        Random random = new Random(5);
        float[][] rows = new float[400][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {(float) (3 * random.nextGaussian()), (float) random.nextGaussian(),
                (float) (0.2 * random.nextGaussian() + 7)};
        }
        for (float flip : new float[] {1, -1}) {
            float[][] mirrored = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                mirrored[i] = new float[] {flip * rows[i][0], flip * rows[i][1], rows[i][2]};
            }
            PcaProjection pca = PcaProjection.fit(mirrored, 3);
            float[][] components = pca.components();
            double[] mean = new double[3];
            for (float[] row : mirrored) {
                for (int j = 0; j < 3; j++) {
                    mean[j] += row[j] / (double) rows.length;
                }
            }
            for (float[] component : components) {
                double largest = 0;
                for (float[] row : mirrored) {
                    double projection = 0;
                    for (int j = 0; j < 3; j++) {
                        projection += (row[j] - mean[j]) * component[j];
                    }
                    largest = Math.abs(projection) > Math.abs(largest) ? projection : largest;
                }
                assertThat(largest).as("largest projection on %s", java.util.Arrays.toString(component))
                        .isPositive();
            }
            // mirroring the data mirrors the components along the mirrored axes: the convention follows the data
            assertThat((double) Math.abs(components[0][0])).isCloseTo(1, within(0.01));
        }
    }

    @Test
    void non_finite_or_ragged_rows_are_refused_by_row_and_feature() {
        assertThatThrownBy(() -> PcaProjection.fit(new float[][] {{1, 2}, {3, Float.NaN}, {0, 1}}, 1))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("row 1 has a non-finite feature 1");
        assertThatThrownBy(() -> PcaProjection.fit(new float[][] {{1, 2}, {3}}, 1))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("row 1 has 1 features, row 0 has 2");
    }
}

package dev.gauntlet.data;

import static org.assertj.core.api.Assertions.assertThat;
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
        PcaProjection pca = PcaProjection.fit(rows, 2, 0);
        float[][] components = pca.components();
        double root = 1 / Math.sqrt(2);
        assertThat((double) components[0][0]).isCloseTo(root, within(0.01));
        assertThat((double) components[0][1]).isCloseTo(root, within(0.01));
        assertThat((double) Math.abs(components[1][0])).isCloseTo(root, within(0.01));
        assertThat((double) components[1][0] * components[1][1]).isCloseTo(-0.5, within(0.01));
        // the mean (3, -1, 0) projects to the origin
        float[] centre = pca.project(new float[][] {{3, -1, 0}})[0];
        assertThat(centre[0]).isCloseTo(0f, within(0.3f));
        assertThat(centre[1]).isCloseTo(0f, within(0.1f));
    }
}

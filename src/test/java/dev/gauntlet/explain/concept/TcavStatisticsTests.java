package dev.gauntlet.explain.concept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** TCAV's significance test gives Welch's p-value and its constant-sample edge cases, and k-means finds separated groups. */
class TcavStatisticsTests {

    @Test
    void welch_p_value_matches_commons_math() {
        double[] a = {0.9, 0.85, 0.95, 0.8, 0.92, 0.88};
        double[] b = {0.5, 0.62, 0.41, 0.55, 0.47, 0.66, 0.52};
        // scipy 1.10 stats.ttest_ind(a, b, equal_var=False): t = 8.969209272928405
        assertThat(Tcav.welchPValue(a, b)).isCloseTo(3.9008832870290035e-06, within(1e-12));
        assertThat(Tcav.welchPValue(new double[] {1, 1}, new double[] {1, 1})).isEqualTo(1.0);
        assertThat(Tcav.welchPValue(new double[] {1, 1}, new double[] {2, 2})).isEqualTo(0.0);
    }

    @Test
    void k_means_separates_two_distant_groups() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] points = new double[40][2];
        for (int i = 0; i < 40; i++) {
            double centre = i < 20 ? 0 : 10;
            points[i] = new double[] {centre + random.nextDouble(), centre + random.nextDouble()};
        }
        int[] labels = Spray.kMeans(points, 2, 1);
        for (int i = 1; i < 40; i++) {
            assertThat(labels[i] == labels[0]).as("point %d", i).isEqualTo(i < 20);
        }
    }
}

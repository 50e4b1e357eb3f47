package dev.gauntlet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;

import org.junit.jupiter.api.Test;

import java.util.Random;

class TrustScoreTests {

    /** Class 0 near the origin, class 1 near (5, 5). */
    private static Dataset twoClusters() {
        float[][] rows = {{0, 0}, {1, 0}, {0, 1}, {5, 5}, {6, 5}, {5, 6}};
        return Dataset.builder().setFeatures(rows).setLabels(new int[] {0, 0, 0, 1, 1, 1}).setNumClasses(2).build();
    }

    @Test
    void scores_equal_the_distances_worked_out_by_hand() {
        TrustScore trust = TrustScore.fit(twoClusters(), TrustScore.Filter.NONE, 10, 0);
        float[][] query = {{0.5f, 0}};
        // class 0: distances 0.5, 0.5, hypot(0.5, 1) -> 2nd nearest 0.5
        // class 1: hypot(4.5, 5), hypot(5.5, 5), hypot(4.5, 6) -> 2nd nearest hypot(5.5, 5)
        double toClass0 = 0.5;
        double toClass1 = Math.hypot(5.5, 5);
        TrustScoreBatch predictedZero = trust.score(query, new int[] {0}, 2, TrustScore.Mode.POINT);
        assertThat(predictedZero.scores()[0]).isCloseTo(toClass1 / (toClass0 + 1e-12), within(1e-4));
        assertThat(predictedZero.closestOtherClass()).containsExactly(1);
        TrustScoreBatch predictedOne = trust.score(query, new int[] {1}, 2, TrustScore.Mode.POINT);
        assertThat(predictedOne.scores()[0]).isCloseTo(toClass0 / toClass1, within(1e-5));
        assertThat(predictedOne.closestOtherClass()).containsExactly(0);
        TrustScoreBatch mean = trust.score(query, new int[] {0}, 2, TrustScore.Mode.MEAN);
        assertThat(mean.scores()[0]).isCloseTo((Math.hypot(4.5, 5) + Math.hypot(5.5, 5)) / 2 / 0.5, within(1e-4));
    }

    @Test
    void the_distance_filter_keeps_the_densest_one_minus_alpha_of_each_class() {
        Random random = new Random(3);
        float[][] rows = new float[100][];
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i % 2;
            rows[i] = new float[] {(float) random.nextGaussian() + 4 * labels[i], (float) random.nextGaussian()};
        }
        Dataset data = Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(2).build();
        // numpy's percentile keeps floor(0.8 * 49) + 1 = 40 of 50 points per class when the averages are distinct
        assertThat(TrustScore.fit(data, TrustScore.Filter.DISTANCE_KNN, 10, 0.2).keptPerClass()).containsExactly(40, 40);
        assertThat(TrustScore.fit(data).keptPerClass()).containsExactly(50, 50);
        int[] probability = TrustScore.fit(data, TrustScore.Filter.PROBABILITY_KNN, 10, 0.2).keptPerClass();
        assertThat(probability[0] + probability[1]).isBetween(80, 100);
    }

    @Test
    void one_hot_and_integer_predictions_give_identical_scores() {
        TrustScore trust = TrustScore.fit(twoClusters());
        Dataset queries = Dataset.builder().setFeatures(new float[][] {{0.5f, 0}, {4, 4}, {2, 3}})
                .setLabels(new int[] {0, 0, 0}).setNumClasses(2).build();
        TrustScoreBatch integers = trust.score(queries, new int[] {0, 1, 1});
        TrustScoreBatch oneHot = trust.score(queries, new float[][] {{1, 0}, {0, 1}, {0, 1}});
        assertThat(oneHot.scores()).containsExactly(integers.scores());
        assertThat(oneHot.closestOtherClass()).containsExactly(integers.closestOtherClass());
    }

    @Test
    void percentile_interpolates_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], 40) = 2.2
        assertThat(TrustScore.percentile(new double[] {4, 1, 3, 2}, 40)).isCloseTo(2.2, within(1e-12));
    }

    @Test
    void bad_arguments_are_named() {
        assertThatThrownBy(() -> TrustScore.fit(twoClusters(), TrustScore.Filter.DISTANCE_KNN, 10, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        TrustScore trust = TrustScore.fit(twoClusters());
        assertThatThrownBy(() -> trust.score(new float[][] {{0, 0}}, new int[] {0}, 5, TrustScore.Mode.POINT))
                .hasMessageContaining("fewer than k=5");
        assertThatThrownBy(() -> trust.score(new float[][] {{0, 0}}, new int[] {3}, 2, TrustScore.Mode.POINT))
                .hasMessageContaining("prediction 3");
    }

    @Test
    void a_non_finite_query_is_refused_not_given_a_neighbour() {
        TrustScore trust = TrustScore.fit(twoClusters());
        float[][] query = {{0, 0}, {Float.NaN, 0}};
        assertThatThrownBy(() -> trust.score(query, new int[] {0, 0}, 2, TrustScore.Mode.POINT))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("sample 1 has a non-finite feature 0");
        assertThatThrownBy(() -> trust.nearestPerClass(new float[][] {{Float.POSITIVE_INFINITY, 0}}, 1))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("query 0 has a non-finite feature 0");
    }
}

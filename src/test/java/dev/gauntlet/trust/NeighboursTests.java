package dev.gauntlet.trust;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

class NeighboursTests {

    /**
     * Reference points whose distances to the queries differ by a few float32 ulps at 100, below what the
     * float32 ranking (‖r‖² ≈ 1e4, resolution ≈ 1e-3) can order: the neighbours must still be those of a
     * brute-force float64 search, with exact ties in index order.
     */
    @Test
    void near_ties_below_float32_resolution_select_the_exact_neighbours() {
        Random random = new Random(11);
        int d = 8;
        float[][][] sets = new float[2][300][];
        for (float[][] set : sets) {
            for (int i = 0; i < set.length; i++) {
                float[] point = new float[d];
                float radius = 100f;
                for (int ulps = random.nextInt(40); ulps > 0; ulps--) {
                    radius = Math.nextUp(radius);
                }
                point[random.nextInt(d)] = random.nextBoolean() ? radius : -radius;
                set[i] = point;
            }
        }
        float[][] queries = new float[20][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = new float[d];
            queries[q][q % d] = (float) (1e-4 * random.nextGaussian());
        }
        for (int k : new int[] {1, 3, 7}) {
            Neighbours.Nearest[] nearest;
            try (NDManager manager = NDManager.newBaseManager()) {
                nearest = Neighbours.kNearest(manager, queries, sets, k);
            }
            for (int s = 0; s < sets.length; s++) {
                for (int q = 0; q < queries.length; q++) {
                    float[] query = queries[q];
                    float[][] set = sets[s];
                    double[] exact = Arrays.stream(set).mapToDouble(r -> distance(query, r)).toArray();
                    int[] expected = IntStream.range(0, set.length).boxed()
                            .sorted(Comparator.comparingDouble((Integer i) -> exact[i]).thenComparingInt(i -> i))
                            .mapToInt(Integer::intValue).limit(k).toArray();
                    assertThat(nearest[s].indices()[q]).as("set %d query %d k %d", s, q, k).containsExactly(expected);
                    for (int j = 0; j < k; j++) {
                        assertThat(nearest[s].distances()[q][j]).isEqualTo(exact[expected[j]]);
                    }
                }
            }
        }
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double difference = (double) a[j] - b[j];
            sum += difference * difference;
        }
        return Math.sqrt(sum);
    }
}

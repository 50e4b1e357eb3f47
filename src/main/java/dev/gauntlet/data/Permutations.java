package dev.gauntlet.data;

import java.util.Random;

/**
 * Seeded permutations for sampling and splits, a function of the random state alone; normal
 * draws are {@link StandardNormal}'s.
 */
public final class Permutations {

    private Permutations() {}

    /**
     * Returns a uniformly random permutation of {@code 0..n-1} (Fisher–Yates); the same random
     * state gives the same permutation.
     *
     * @param n the length
     * @param random the source of randomness, advanced by the call
     * @return the permutation
     */
    public static int[] of(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}

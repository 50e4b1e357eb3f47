package dev.gauntlet.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeded randomness shared by sampling, splits, attacks and corruptions: permutations and
 * standard-normal draws, each a function of the random state alone.
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

    /**
     * Draws a standard normal number by the Box–Muller transform, so the stream of numbers depends
     * only on the seed (not on a JDK's nextGaussian implementation).
     *
     * @param random the source of randomness, advanced by two draws
     * @return a draw from N(0, 1)
     */
    public static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

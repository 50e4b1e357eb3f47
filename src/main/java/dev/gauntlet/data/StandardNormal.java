package dev.gauntlet.data;

import java.util.SplittableRandom;

/**
 * Standard-normal draws for noise (attacks' random starts, corruptions, SmoothGrad, LIME,
 * smoothing), each a function of the random state alone.
 */
public final class StandardNormal {

    private StandardNormal() {}

    /**
     * Draws a standard normal number by the Box–Muller transform, so the stream of numbers depends
     * only on the seed (not on a JDK's nextGaussian implementation).
     *
     * @param random the source of randomness, advanced by two draws
     * @return a draw from N(0, 1)
     */
    public static double draw(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

package dev.gauntlet.attack;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeds of the samples in one batch: each sample's random choices come from its own
 * generator, derived from the run's seed and the sample's index in the whole dataset, so a sample
 * is attacked the same way whichever batch or shard it lands in. This is what lets an evaluation
 * be split over machines and merged into the report one JVM gives
 * ({@link RobustnessReport#merge(java.util.List)}).
 *
 * <pre>{@code
 * // the batch of samples 256..511 of a run seeded 7
 * attack.generate(classifier, x, y, bounds, SampleSeeds.of(7, 256, 256));
 * }</pre>
 */
public final class SampleSeeds {

    private final long runSeed;
    private final int[] indices;

    private SampleSeeds(long runSeed, int[] indices) {
        this.runSeed = runSeed;
        this.indices = indices;
    }

    /**
     * Returns the seeds of {@code count} consecutive samples starting at dataset index {@code firstIndex}.
     *
     * @param runSeed the seed of the whole run
     * @param firstIndex the dataset index of the batch's first sample, at least 0
     * @param count the number of samples, at least 0
     * @return the seeds
     */
    public static SampleSeeds of(long runSeed, int firstIndex, int count) {
        if (firstIndex < 0 || count < 0 || firstIndex + (long) count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("firstIndex and count must be >= 0 and end within int range, got "
                    + firstIndex + " and " + count);
        }
        int[] indices = new int[count];
        Arrays.setAll(indices, i -> firstIndex + i);
        return new SampleSeeds(runSeed, indices);
    }

    /**
     * Returns the seed of the whole run.
     *
     * @return the run seed
     */
    public long runSeed() {
        return runSeed;
    }

    /**
     * Returns the number of samples.
     *
     * @return the batch size these seeds are for
     */
    public int size() {
        return indices.length;
    }

    /**
     * Returns the dataset index of a row of the batch.
     *
     * @param row the row, in {@code [0, size())}
     * @return the sample's index in the dataset
     */
    public int index(int row) {
        return indices[row];
    }

    /**
     * Returns a fresh generator for each row: row {@code i} draws from
     * {@code SplittableRandom(mix(runSeed, index(i)))}, the same stream in any batch.
     *
     * @return one generator per row
     */
    public SplittableRandom[] generators() {
        SplittableRandom[] generators = new SplittableRandom[indices.length];
        long base = mix(runSeed);
        for (int i = 0; i < indices.length; i++) {
            generators[i] = new SplittableRandom(mix(base + indices[i]));
        }
        return generators;
    }

    /**
     * Returns the seeds of some rows, e.g. of the samples a later stage of a cascade still attacks.
     *
     * @param rows rows of this batch
     * @return their seeds, in the order given
     */
    public SampleSeeds rows(int... rows) {
        int[] picked = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            picked[j] = indices[rows[j]];
        }
        return new SampleSeeds(runSeed, picked);
    }

    /**
     * Returns independent seeds for the same samples, for a stage of a composite attack: stage
     * {@code k} gets the run seed {@code mix(runSeed + k)}.
     *
     * @param stage the stage number
     * @return the stage's seeds
     */
    public SampleSeeds stage(long stage) {
        return new SampleSeeds(mix(runSeed + 0x632BE59BD9B4E019L * (stage + 1)), indices);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, as SplitMix64 uses: a bijection that spreads nearby seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "SampleSeeds[runSeed=" + runSeed + ", samples=" + indices.length
                + (indices.length > 0 ? ", first index=" + indices[0] : "") + "]";
    }
}

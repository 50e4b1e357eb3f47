package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.train.TrainingHistory;

/**
 * The entry point of Gauntlet's assertions.
 *
 * <pre>{@code
 * import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
 *
 * assertThatModel(cnn).on(testData).hasAccuracyAtLeast(0.89);
 * }</pre>
 *
 * <p>To see every failed check of a gate at once, use {@link GauntletSoftAssertions}.
 */
public final class GauntletAssertions {

    /** The configuration parameter (or system property) naming the default seed of every check. */
    public static final String SEED_PROPERTY = "gauntlet.seed";

    private static final ThreadLocal<Long> TEST_SEED = new ThreadLocal<>();

    private GauntletAssertions() {}

    /**
     * Starts assertions on a classifier.
     *
     * @param classifier the model under test
     * @return the assertion
     */
    public static ModelAssert assertThatModel(Classifier classifier) {
        return new ModelAssert(classifier);
    }

    /**
     * Starts assertions on a reference dataset, e.g. to compare it with current data for drift.
     *
     * @param reference the reference data
     * @return the assertion
     */
    public static DataAssert assertThatData(Dataset reference) {
        return new DataAssert(reference);
    }

    /**
     * Starts assertions on a training run's history.
     *
     * @param history the per-epoch records
     * @return the assertion
     */
    public static TrainingAssert assertThatTraining(TrainingHistory history) {
        return new TrainingAssert(history);
    }

    /**
     * Returns the seed checks use unless told otherwise: the one the JUnit extension configured
     * for the running test, else the {@value #SEED_PROPERTY} system property, else 0.
     *
     * @return the default seed
     */
    public static long defaultSeed() {
        Long seed = TEST_SEED.get();
        if (seed != null) {
            return seed;
        }
        String property = System.getProperty(SEED_PROPERTY);
        return property == null ? 0 : Long.parseLong(property.trim());
    }

    /**
     * Sets (or, with {@code null}, clears) the default seed for the current thread; the JUnit
     * extension calls it around each test.
     *
     * @param seed the seed, or {@code null}
     */
    public static void setTestSeed(Long seed) {
        if (seed == null) {
            TEST_SEED.remove();
        } else {
            TEST_SEED.set(seed);
        }
    }
}

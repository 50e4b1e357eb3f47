package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.Objects;

/**
 * Assertions on a classifier; name the data to judge it on with {@link #on(Dataset)}.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(testData).hasAccuracyAtLeast(0.89);
 * }</pre>
 */
public class ModelAssert extends GauntletAssert<ModelAssert, Classifier> {

    private long seed = GauntletAssertions.defaultSeed();

    /**
     * Creates the assertion; prefer {@link GauntletAssertions#assertThatModel(Classifier)}.
     *
     * @param actual the classifier under test
     */
    public ModelAssert(Classifier actual) {
        super(actual, ModelAssert.class);
    }

    /**
     * Sets the seed of every random choice the following checks make (noise, sampling, random
     * starts). By default the {@code gauntlet.seed} configuration parameter, else 0.
     *
     * @param newSeed the seed
     * @return this assertion
     */
    public ModelAssert withSeed(long newSeed) {
        this.seed = newSeed;
        return myself;
    }

    /**
     * Judges the model on a dataset.
     *
     * @param data labelled samples of the model's input shape
     * @return assertions on the model on that data
     */
    public ModelOnDataAssert on(Dataset data) {
        isNotNull();
        Objects.requireNonNull(data, "data must not be null: pass the dataset to judge the model on");
        return factory.create(ModelOnDataAssert.class, ModelOnData.class, new ModelOnData(actual, data, seed));
    }
}

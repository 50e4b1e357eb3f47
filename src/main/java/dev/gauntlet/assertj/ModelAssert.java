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
     * Compares this model, the candidate, with the baseline it would replace, on data named next:
     * "not worse by more than δ", decided on the paired predictions.
     *
     * <pre>{@code
     * assertThatModel(candidate).comparedTo(baseline).on(test).hasAccuracyNotWorseBy(0.01);
     * }</pre>
     *
     * @param baseline the model in production
     * @return the comparison, to be given data
     */
    public CandidateAssert comparedTo(Classifier baseline) {
        isNotNull();
        Objects.requireNonNull(baseline, "baseline must not be null: pass the model the candidate would replace");
        return factory.create(CandidateAssert.class, CandidateAssert.Models.class,
                new CandidateAssert.Models(actual, baseline, seed));
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

package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Soft assertions: every failed check is collected, and {@link #assertAll()} reports them all
 * at once, so a release gate shows everything that is wrong in one run.
 *
 * <pre>{@code
 * GauntletSoftAssertions softly = new GauntletSoftAssertions();
 * softly.assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.89);
 * softly.assertThatModel(cnn).on(test).hasAccuracyUnder(new GaussianNoise(0.1), 0.7);
 * softly.assertAll();
 * }</pre>
 *
 * <p>Chains stay soft: {@code on(...)} and every other navigation method return collecting
 * assertions too.
 */
public class GauntletSoftAssertions extends AbstractSoftAssertions {

    private final AssertFactory factory = AssertFactory.soft(this);

    /**
     * Starts soft assertions on a classifier.
     *
     * @param classifier the model under test
     * @return the assertion
     */
    public ModelAssert assertThatModel(Classifier classifier) {
        ModelAssert modelAssert = new ModelAssert(classifier);
        modelAssert.factory = factory;
        return modelAssert;
    }

    /**
     * Starts soft assertions on a reference dataset.
     *
     * @param reference the reference data
     * @return the assertion
     */
    public DataAssert assertThatData(Dataset reference) {
        DataAssert dataAssert = new DataAssert(reference);
        dataAssert.factory = factory;
        return dataAssert;
    }
}

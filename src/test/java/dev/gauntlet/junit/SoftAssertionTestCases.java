package dev.gauntlet.junit;

import dev.gauntlet.assertj.GauntletSoftAssertions;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.GaussianNoise;

import org.junit.jupiter.api.Test;

/** Fixture: four soft checks, three of which fail, reported together. */
@ModelTest
class SoftAssertionTestCases {

    @GauntletModel
    static Classifier linear() {
        return Fixtures.linearModel();
    }

    @GauntletData
    static Dataset data() {
        return Fixtures.data();
    }

    @Test
    void three_failures_at_once(Classifier model, Dataset data) {
        GauntletSoftAssertions softly = new GauntletSoftAssertions();
        softly.assertThatModel(model).on(data).hasAccuracyAtLeast(0.8);
        softly.assertThatModel(model).on(data).hasAccuracyAtLeast(0.5);
        softly.assertThatModel(model).on(data).hasAccuracyAtLeast(0.9);
        softly.assertThatModel(model).on(data).underCorruption(new GaussianNoise(0.01)).hasAccuracyAtLeast(0.99);
        softly.assertAll();
    }
}

package dev.gauntlet.junit;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import org.junit.jupiter.api.Test;

/** Fixture: one passing and one failing accuracy check on a model with a known accuracy (0.75). */
@ModelTest
public class AccuracyTestCases {

    @GauntletModel
    static Classifier linear() {
        return Fixtures.linearModel();
    }

    @GauntletData("closed-form")
    static Dataset data() {
        return Fixtures.data();
    }

    @Test
    void passes(Classifier model, Dataset data) {
        assertThatModel(model).on(data).hasAccuracyAtLeast(0.7);
    }

    @Test
    void fails(Classifier model, Dataset data) {
        assertThatModel(model).on(data).hasAccuracyAtLeast(0.8);
    }
}

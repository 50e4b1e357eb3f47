package dev.gauntlet.junit;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import org.junit.jupiter.api.Test;

/** Fixture for the Allure evidence test: one check that passes, one that fails. */
@ModelTest
public class EvidenceTestCases {

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

package dev.gauntlet.junit;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import org.junit.jupiter.api.Test;

/** Fixture: soft bars on a model with a known accuracy (0.75): a missed one warns, a hard one still fails. */
@ModelTest
public class WarningTestCases {

    @GauntletModel
    static Classifier linear() {
        return Fixtures.linearModel();
    }

    @GauntletData("closed-form")
    static Dataset data() {
        return Fixtures.data();
    }

    @Test
    void warns(Classifier model, Dataset data) {
        assertThatModel(model).on(data).asWarning().hasAccuracyAtLeast(0.8);
    }

    @Test
    void warns_then_fails(Classifier model, Dataset data) {
        assertThatModel(model).on(data).asWarning().hasAccuracyAtLeast(0.8);
        assertThatModel(model).on(data).hasAccuracyAtLeast(0.8);
    }

    @Test
    void meets_the_soft_bar(Classifier model, Dataset data) {
        assertThatModel(model).on(data).asWarning().hasAccuracyAtLeast(0.7);
    }
}

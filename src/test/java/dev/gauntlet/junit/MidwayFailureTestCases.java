package dev.gauntlet.junit;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.Corruption;

import org.junit.jupiter.api.Test;

/** Fixture: a check whose corruption throws half-way, between two checks that pass. */
@ModelTest
public class MidwayFailureTestCases {

    @GauntletModel
    static Classifier linear() {
        return Fixtures.linearModel();
    }

    @GauntletData("closed-form")
    static Dataset data() {
        return Fixtures.data();
    }

    @Test
    void first(Classifier model, Dataset data) {
        assertThatModel(model).on(data).hasAccuracyAtLeast(0.7);
    }

    @Test
    void throws_midway(Classifier model, Dataset data) {
        assertThatModel(model).on(data).hasAccuracyAtLeast(0.7); // evidence recorded before the failure
        Corruption broken = new Corruption() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Dataset apply(Dataset d, long seed) {
                throw new IllegalStateException("the corruption crashed");
            }
        };
        assertThatModel(model).on(data).hasAccuracyUnder(broken, 0.5);
    }

    @Test
    void last(Classifier model, Dataset data) {
        assertThatModel(model).on(data).hasAccuracyAtLeast(0.7);
    }
}

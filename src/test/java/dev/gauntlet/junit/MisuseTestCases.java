package dev.gauntlet.junit;

import dev.gauntlet.model.Classifier;

import org.junit.jupiter.api.Test;

/** Fixtures: the ways a test class can misuse the extension. */
final class MisuseTestCases {

    private MisuseTestCases() {}

    @ModelTest
    static class NoModelDeclared {
        @Test
        void needs_a_model(Classifier model) {}
    }

    @ModelTest
    static class TwoModelsDeclared {
        @GauntletModel
        static Classifier first() {
            return Fixtures.linearModel();
        }

        @GauntletModel
        static Classifier second() {
            return Fixtures.linearModel();
        }

        @Test
        void ambiguous(Classifier model) {}
    }

    @ModelTest
    static class DataFieldOfWrongType {
        @GauntletData
        static String notData = "x";

        @Test
        void anything() {}
    }
}

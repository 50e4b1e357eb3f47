package dev.gauntlet.report;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import ai.djl.Model;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;

/** Fixture: a bracket curve over ε that passes, and an open-fraction check that fails. */
public class BracketEvidenceTestCases {

    @Test
    void curve_passes() {
        try (Model model = LinearModels.linearWithDropout(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatModel(classifier).on(LinearModels.cube(30, 5, 5)).underAttack(Attacks.fgsm().linf(0.05))
                    .certified().hasSoundBracketAt(0.02, 0.1, 0.3);
        }
    }

    @Test
    void certified_fails() {
        try (Model model = LinearModels.linearWithDropout(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatModel(classifier).on(LinearModels.cube(30, 5, 5)).underAttack(Attacks.fgsm().linf(0.3))
                    .certified().hasCertifiedAccuracyAtLeast(0.99);
        }
    }
}

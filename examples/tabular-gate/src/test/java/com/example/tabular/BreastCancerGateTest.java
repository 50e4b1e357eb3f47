package com.example.tabular;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.assertj.GauntletSoftAssertions;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.junit.GauntletData;
import dev.gauntlet.junit.GauntletModel;
import dev.gauntlet.junit.ModelTest;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

/** A release gate for the breast-cancer classifier, as a team would write it. */
@ModelTest
class BreastCancerGateTest {

    @GauntletModel
    static Classifier model() {
        return ReferenceModels.load(ReferenceModel.BREAST_CANCER_MLP); // trained once, then cached
    }

    @GauntletData("held-out")
    static Dataset heldOut() {
        return ReferenceModel.BREAST_CANCER_MLP.data().test();
    }

    @Test
    void meets_the_release_bar(Classifier model, Dataset heldOut) {
        GauntletSoftAssertions softly = new GauntletSoftAssertions();
        softly.assertThatModel(model).on(heldOut).hasAccuracyAtLeast(0.95);
        // features are standardised: noise of 0.1 standard deviations must not cost much
        softly.assertThatModel(model).on(heldOut).hasAccuracyUnder(new GaussianNoise(0.1), 0.93);
        softly.assertAll();
    }

    @Test
    void misses_few_malignant_tumours(Classifier model, Dataset heldOut) {
        assertThatModel(model).on(heldOut).hasAccuracyAtLeast(0.9);
        int[] predicted = model.predict(heldOut);
        int malignant = 0;
        int missed = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (heldOut.label(i) == 0) {
                malignant++;
                missed += predicted[i] == 1 ? 1 : 0;
            }
        }
        assertThat((double) missed / malignant).as("false-negative rate on %d malignant cases", malignant)
                .isLessThanOrEqualTo(0.10);
    }
}

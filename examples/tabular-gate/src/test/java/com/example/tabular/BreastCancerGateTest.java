package com.example.tabular;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.assertj.GauntletSoftAssertions;
import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.junit.GauntletData;
import dev.gauntlet.junit.GauntletModel;
import dev.gauntlet.junit.ModelTest;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.testkits.data.ReferenceData;
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

    @GauntletData("train")
    static Dataset train() {
        return ReferenceModel.BREAST_CANCER_MLP.data().train();
    }

    @GauntletData("held-out")
    static Dataset heldOut() {
        return ReferenceModel.BREAST_CANCER_MLP.data().test();
    }

    @Test
    void meets_the_release_bar(Classifier model, @GauntletData("held-out") Dataset heldOut) {
        GauntletSoftAssertions softly = new GauntletSoftAssertions();
        softly.assertThatModel(model).on(heldOut).hasAccuracyAtLeast(0.95);
        // features are standardised: noise of 0.1 standard deviations must not cost much
        softly.assertThatModel(model).on(heldOut).hasAccuracyUnder(new GaussianNoise(0.1), 0.93);
        softly.assertAll();
    }

    @Test
    void misses_few_malignant_tumours(Classifier model, @GauntletData("held-out") Dataset heldOut) {
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

    @Test
    void confidence_can_be_trusted(Classifier model, @GauntletData("held-out") Dataset heldOut,
            @GauntletData("train") Dataset train) {
        assertThatModel(model).on(heldOut).calibration().hasEceAtMost(0.08);
        assertThatModel(model).on(heldOut).trustScores(train).separatesErrorsWithAurocAtLeast(0.7);
    }

    @Test
    void patients_look_like_the_training_population(@GauntletData("held-out") Dataset heldOut,
            @GauntletData("train") Dataset train) {
        assertThatData(train).comparedTo(heldOut).showsNoDrift(KsDrift.ks().fdr());
    }

    @Test
    void every_diagnosis_has_recourse_within_the_observed_ranges(Classifier model,
            @GauntletData("held-out") Dataset heldOut, @GauntletData("train") Dataset train) {
        // Wachter counterfactuals with Wachter's MAD-scaled L1; the table of changed features is in the report
        assertThatModel(model).on(heldOut.head(50))
                .counterfactuals(Counterfactuals.wachter().distance(Distance.MAD_L1), train)
                .inOriginalUnits(ReferenceData.breastCancerStandardizer())
                .withFeatureNames(ReferenceData.BREAST_CANCER_FEATURES)
                .areValidFor(0.9)
                .haveMedianDistanceAtLeast(1.0);
    }
}

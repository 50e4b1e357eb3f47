package com.example.tabular;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A release gate for the breast-cancer classifier, as a team would write it. */
class BreastCancerGateTest {

    private static Classifier model;
    private static Dataset heldOut;

    @BeforeAll
    static void loadModel() {
        model = ReferenceModels.load(ReferenceModel.BREAST_CANCER_MLP); // trained once, then cached
        heldOut = ReferenceModel.BREAST_CANCER_MLP.data().test();
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void is_accurate_on_held_out_patients() {
        assertThat(model.accuracy(heldOut)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void misses_few_malignant_tumours() {
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

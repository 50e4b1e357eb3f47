package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.junit.GauntletData;
import dev.gauntlet.junit.GauntletModel;
import dev.gauntlet.junit.ModelTest;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

/** A release gate on the Fashion-MNIST reference CNN, through the JUnit extension, with Allure evidence. */
@ModelTest
class FashionCnnGateTests {

    @GauntletModel
    static Classifier cnn() {
        return ReferenceModels.load(ReferenceModel.FASHION_CNN);
    }

    @GauntletData("test")
    static Dataset test() {
        return ReferenceData.fashionMnist().test();
    }

    @Test
    void clean_accuracy_meets_the_release_threshold(Classifier cnn, Dataset test) {
        assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.89);
    }

    @Test
    void accuracy_survives_mild_gaussian_noise(Classifier cnn, Dataset test) {
        assertThatModel(cnn).on(test).hasAccuracyUnder(new GaussianNoise(0.05), 0.85);
    }
}

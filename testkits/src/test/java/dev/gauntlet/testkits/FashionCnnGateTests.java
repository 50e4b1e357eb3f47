package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static dev.gauntlet.attack.Attacks.deepFool;
import static dev.gauntlet.attack.Attacks.pgd;

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

    @GauntletData(value = "sample", sampleSize = 500)
    static Dataset sample() {
        return ReferenceData.fashionMnist().test();
    }

    @Test
    void small_perturbations_rarely_fool_it(Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample).underAttack(pgd().linf(0.004).steps(10))
                .hasRobustAccuracyAtLeast(0.8)
                .hasAttackSuccessRateAtMost(0.1);
    }

    @Test
    void decision_boundaries_are_not_too_close(Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample.head(200)).underAttack(deepFool()).hasMinimalEpsilonMedianAtLeast(0.3);
    }

    @Test
    void the_attack_evaluation_is_sound(Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample.head(200)).underAttack(pgd().linf(0.03).steps(10)).passesSanityChecks();
    }

    @Test
    void robust_accuracy_falls_as_the_budget_grows(Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample).underAttack(pgd().steps(10))
                .hasAccuracyCurveNonIncreasing(0, 0.005, 0.01, 0.02, 0.05, 0.1);
    }

    @Test
    void clean_accuracy_meets_the_release_threshold(Classifier cnn, @GauntletData("test") Dataset test) {
        assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.89);
    }

    @Test
    void accuracy_survives_mild_gaussian_noise(Classifier cnn, @GauntletData("test") Dataset test) {
        assertThatModel(cnn).on(test).hasAccuracyUnder(new GaussianNoise(0.05), 0.85);
    }
}

package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static dev.gauntlet.shift.KsDrift.ks;
import static dev.gauntlet.shift.MmdDrift.mmd;
import static dev.gauntlet.attack.Attacks.deepFool;
import static dev.gauntlet.attack.Attacks.pgd;
import static dev.gauntlet.counterfactual.Counterfactuals.prototypeGuided;
import static dev.gauntlet.uncertainty.UncertaintyMethod.mcDropout;

import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.junit.GauntletData;
import dev.gauntlet.junit.GauntletModel;
import dev.gauntlet.junit.ModelTest;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.shift.ImageCorruption;
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

    @GauntletModel("dropout")
    static Classifier cnnWithDropout() {
        return ReferenceModels.load(ReferenceModel.FASHION_CNN_DROPOUT);
    }

    @GauntletData(value = "train", sampleSize = 10_000)
    static Dataset train() {
        return ReferenceData.fashionMnist().train();
    }

    @GauntletData("digits")
    static Dataset digits() {
        return ReferenceData.digitsAsFashionImages().sample(500, 1);
    }

    @GauntletData(value = "sample", sampleSize = 500)
    static Dataset sample() {
        return ReferenceData.fashionMnist().test();
    }

    @Test
    void small_perturbations_rarely_fool_it(@GauntletModel("cnn") Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample).underAttack(pgd().linf(0.004).steps(10))
                .hasRobustAccuracyAtLeast(0.8)
                .hasAttackSuccessRateAtMost(0.1);
    }

    @Test
    void decision_boundaries_are_not_too_close(@GauntletModel("cnn") Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample.head(200)).underAttack(deepFool()).hasMinimalEpsilonMedianAtLeast(0.3);
    }

    @Test
    void the_attack_evaluation_is_sound(@GauntletModel("cnn") Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample.head(200)).underAttack(pgd().linf(0.03).steps(10)).passesSanityChecks();
    }

    @Test
    void robust_accuracy_falls_as_the_budget_grows(@GauntletModel("cnn") Classifier cnn, @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample).underAttack(pgd().steps(10))
                .hasAccuracyCurveNonIncreasing(0, 0.005, 0.01, 0.02, 0.05, 0.1);
    }

    @Test
    void confidence_is_calibrated(@GauntletModel("cnn") Classifier cnn, @GauntletData("test") Dataset test) {
        assertThatModel(cnn).on(test).calibration().hasEceAtMost(0.03);
    }

    @Test
    void trust_scores_flag_likely_errors(@GauntletModel("cnn") Classifier cnn, @GauntletData("sample") Dataset sample,
            @GauntletData("train") Dataset train) {
        assertThatModel(cnn).on(sample).trustScores(train).separatesErrorsWithAurocAtLeast(0.75)
                .lowTrustFractionAtMost(0.25);
    }

    @Test
    void mc_dropout_knows_digits_are_not_clothes(@GauntletModel("dropout") Classifier cnn,
            @GauntletData("sample") Dataset sample, @GauntletData("digits") Dataset digits) {
        assertThatModel(cnn).on(sample).uncertainty(mcDropout(30)).detectsOutOfDistributionWithAurocAtLeast(digits, 0.8);
    }

    @Test
    void production_like_data_has_not_drifted(@GauntletData("train") Dataset train,
            @GauntletData("sample") Dataset sample) {
        assertThatData(train).comparedTo(sample).showsNoDrift(ks().fdr());
        assertThatData(train.sample(500, 1)).comparedTo(sample).showsNoDrift(mmd());
    }

    @Test
    void accuracy_degrades_gracefully_under_blur(@GauntletModel("cnn") Classifier cnn,
            @GauntletData("sample") Dataset sample) {
        assertThatModel(cnn).on(sample).hasAccuracyAcrossSeverities(ImageCorruption.Kind.BLUR, 0.75)
                .hasAccuracyUnder(ImageCorruption.gaussianNoise(3)).atLeast(0.8)
                .predictionsAreConsistentUnder(ImageCorruption.gaussianNoise(1), 0.95);
    }

    @Test
    void class_changes_need_real_edits_towards_another_class(@GauntletModel("cnn") Classifier cnn,
            @GauntletData("sample") Dataset sample, @GauntletData("train") Dataset train) {
        assertThatModel(cnn).on(sample.head(20)).counterfactuals(prototypeGuided().budget(3, 100), train)
                .areValidFor(0.9)
                .haveMedianDistanceAtLeast(Distance.L2, 1.0);
    }

    @Test
    void clean_accuracy_meets_the_release_threshold(@GauntletModel("cnn") Classifier cnn, @GauntletData("test") Dataset test) {
        assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.89);
    }

    @Test
    void accuracy_survives_mild_gaussian_noise(@GauntletModel("cnn") Classifier cnn, @GauntletData("test") Dataset test) {
        assertThatModel(cnn).on(test).hasAccuracyUnder(new GaussianNoise(0.05), 0.85);
    }
}

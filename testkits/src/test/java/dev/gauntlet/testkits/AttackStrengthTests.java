package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks are as strong as published on the standard-trained Fashion-MNIST CNN. The L∞
 * comparisons run on 500 test images and the minimal-perturbation ones (DeepFool, C&amp;W: each
 * sample's own search, tens of gradients a step) on 200 of them: the asserted orderings hold by wide
 * margins (measured on 1,000 images: robust 0.34 under the cascade vs 0.66 under Square; median L2
 * 0.47 for DeepFool and 0.53 for C&amp;W vs 1.99 for PGD-L2, success 1.0 for both), which a
 * smaller sample keeps, at a fraction of the time.
 */
class AttackStrengthTests {

    private static DjlClassifier cnn;

    @BeforeAll
    static void loadModel() {
        cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN);
    }

    @AfterAll
    static void closeModel() {
        cnn.close();
    }

    @Test
    void stronger_attacks_do_at_least_as_well() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(500, 2026);
        RobustnessReport pgd = RobustnessEvaluator.evaluate(cnn, sample, Attacks.pgd().linf(0.03).steps(20), 1);
        RobustnessReport cascade = RobustnessEvaluator.evaluate(cnn, sample,
                Attacks.cascade(Attacks.pgd().linf(0.03).steps(20), Attacks.apgd().linf(0.03).steps(50),
                        Attacks.square().linf(0.03).queries(300)), 1);
        RobustnessReport square = RobustnessEvaluator.evaluate(cnn, sample, Attacks.square().linf(0.03).queries(300), 1);
        System.out.printf("[gauntlet] fashion-cnn, 500 images, L-inf 0.03 robust accuracy: PGD-20 %.3f, cascade %.3f,"
                + " Square-300 %.3f%n", pgd.robustAccuracy(), cascade.robustAccuracy(), square.robustAccuracy());
        assertThat(cascade.robustAccuracy()).isLessThanOrEqualTo(pgd.robustAccuracy());
        assertThat(square.robustAccuracy()).as("black-box does not beat white-box")
                .isGreaterThanOrEqualTo(cascade.robustAccuracy());
    }

    @Test
    void minimal_attacks_find_smaller_perturbations_than_pgd_l2() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(200, 2026);
        RobustnessReport pgdL2 = RobustnessEvaluator.evaluate(cnn, sample, Attacks.pgd().l2(2.0).steps(20), 1);
        RobustnessReport deepFool = RobustnessEvaluator.evaluate(cnn, sample, Attacks.deepFool(), 1);
        RobustnessReport cw = RobustnessEvaluator.evaluate(cnn, sample, Attacks.carliniWagner().searchSteps(4).steps(50), 1);
        System.out.printf("[gauntlet] fashion-cnn, 200 images, median L2 of successful perturbations: PGD-L2(eps 2)"
                + " %.3f (success %.3f), DeepFool %.3f (%.3f), C&W %.3f (%.3f)%n", pgdL2.medianL2(),
                pgdL2.attackSuccessRate(), deepFool.medianL2(), deepFool.attackSuccessRate(), cw.medianL2(),
                cw.attackSuccessRate());
        assertThat(deepFool.attackSuccessRate()).isGreaterThanOrEqualTo(0.95);
        assertThat(cw.attackSuccessRate()).isGreaterThanOrEqualTo(0.9);
        assertThat(deepFool.medianL2()).isLessThan(pgdL2.medianL2());
        assertThat(cw.medianL2()).isLessThan(pgdL2.medianL2());
    }

    @Test
    void pgd20_breaks_the_standard_cnn_and_beats_fgsm_on_1000_test_images() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(1000, 2026);
        RobustnessReport fgsm = RobustnessEvaluator.evaluate(cnn, sample, Attacks.fgsm().linf(0.1), 1);
        RobustnessReport pgd = RobustnessEvaluator.evaluate(cnn, sample, Attacks.pgd().linf(0.1).steps(20), 1);
        System.out.printf("[gauntlet] fashion-cnn, 1000 test images, eps 0.1 (L-inf): clean %.3f, FGSM robust %.3f,"
                + " PGD-20 robust %.3f%n", pgd.cleanAccuracy(), fgsm.robustAccuracy(), pgd.robustAccuracy());
        assertThat(pgd.robustAccuracy()).isLessThan(0.15).isLessThanOrEqualTo(fgsm.robustAccuracy());
        assertThat(pgd.maxBudgetExcess()).isLessThanOrEqualTo(1e-6);
        assertThat(pgd.maxBoundsExcess()).isLessThanOrEqualTo(0);
        assertThat(pgd.inputsUnchanged()).isTrue();
    }
}

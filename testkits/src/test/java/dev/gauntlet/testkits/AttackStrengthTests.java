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

import org.junit.jupiter.api.Test;

/** The attacks are as strong as published on the standard-trained Fashion-MNIST CNN. */
class AttackStrengthTests {

    @Test
    void pgd20_breaks_the_standard_cnn_and_beats_fgsm_on_1000_test_images() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(1000, 2026);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
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
}

package com.example.advtraining;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatTraining;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.gauntlet.assertj.GauntletSoftAssertions;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.PgdAttack;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.train.AdversarialTraining;
import dev.gauntlet.train.TrainingHistory;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * PGD adversarial training (Madry et al. 2018) of the Fashion-MNIST reference CNN, as a test: the
 * standard-trained CNN is broken by PGD-20 at L∞ ε = 0.1; five epochs of PGD-AT fine-tuning make it
 * robust. See this project's README for the choices that keep it within minutes on two cores.
 */
class FashionCnnAdversarialTrainingTest {

    private static final double EPSILON = 0.1;
    private static final long[] IMAGE = {1, 28, 28};
    private static final int EPOCHS = 5;
    private static final int TRAINING_IMAGES = 40_000;

    /** The evaluation attack: PGD-20 with random start, step 2.5·ε/20. */
    private static final PgdAttack PGD_20 = Attacks.pgd().linf(EPSILON).steps(20);
    /** The training attack: PGD-5 with random start and a step of 0.03 (Madry's 2.5·ε/k would be 0.05). */
    private static final PgdAttack PGD_5 = Attacks.pgd().linf(EPSILON).steps(5).stepSize(0.03);

    @Test
    void pgd_adversarial_training_makes_the_cnn_robust() {
        Dataset shuffledTest = ReferenceModel.FASHION_CNN.data().test().shuffle(7);
        Dataset gate = shuffledTest.head(1_000).renamed("fashion-mnist test, 1,000 held out");
        Dataset monitor = shuffledTest.subset(IntStream.range(1_000, 1_500).toArray())
                .renamed("fashion-mnist test, 500 others");
        Dataset train = ReferenceModel.FASHION_CNN.data().train().sample(TRAINING_IMAGES, 1);

        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
        try (Model model = ReferenceModels.loadForTraining(ReferenceModel.FASHION_CNN, ReferenceModels.DEFAULT_SEED);
                Trainer trainer = model.newTrainer(config)) { // the trainer after the weights: see loadForTraining
            trainer.initialize(new Shape(1).addAll(new Shape(IMAGE)));
            AdversarialTraining training = AdversarialTraining.with(trainer, PGD_5, IMAGE, 10);

            Evidence.current().step("before: the standard-trained CNN", Map.of("attack", PGD_20.name()), () ->
                    assertThatModel(training.classifier()).on(gate).underAttack(PGD_20).hasRobustAccuracyAtMost(0.15));

            TrainingHistory history = new TrainingHistory();
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                training.epoch(epoch, train, 128, epoch, monitor, PGD_20, history.andThen(record -> System.out.printf(
                        "[adversarial-training] epoch %d/%d: loss %.3f, %.0f images/s, held-out clean %.3f, robust %.3f%n",
                        record.epoch(), EPOCHS, record.meanLoss(), record.examplesPerSecond(), record.cleanAccuracy(),
                        record.robustAccuracy())));
            }

            assertThatTraining(history).robustAccuracyImproved();
            Evidence.current().step("after: five epochs of PGD adversarial training", Map.of("attack", PGD_20.name()),
                    () -> {
                        GauntletSoftAssertions softly = new GauntletSoftAssertions();
                        softly.assertThatModel(training.classifier()).on(gate).hasAccuracyAtLeast(0.75);
                        softly.assertThatModel(training.classifier()).on(gate).underAttack(PGD_20)
                                .hasRobustAccuracyAtLeast(0.60);
                        softly.assertAll();
                        return null;
                    });
        }
    }
}

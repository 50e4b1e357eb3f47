package dev.gauntlet.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;

import org.junit.jupiter.api.Test;

import java.util.Random;

class AdversarialTrainingTests {

    /** Two well-separated classes in [0,1]^2: x0 + x1 < 0.8 is class 0, > 1.2 class 1. */
    private static Dataset separable(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            float base = labels[i] == 0 ? 0.1f : 0.65f;
            rows[i] = new float[] {base + 0.25f * random.nextFloat(), base + 0.25f * random.nextFloat()};
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(2).optBounds(ValueBounds.unit())
                .build();
    }

    private static Trainer trainer(Model model) {
        model.setBlock(Linear.builder().setUnits(2).build());
        Engine.getInstance().setRandomSeed(5);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build()));
        trainer.initialize(new Shape(1, 2));
        return trainer;
    }

    @Test
    void crafting_uses_the_current_weights_and_leaves_no_weight_gradient() {
        Dataset data = separable(64, 1);
        try (Model model = Model.newInstance("adv"); Trainer trainer = trainer(model)) {
            AdversarialTraining training = AdversarialTraining.with(trainer, Attacks.fgsm().linf(0.1), new long[] {2}, 2);
            Batch batch = data.batches(64).get(0);
            float[] before;
            try (NDManager scope = training.classifier().newScope()) {
                before = Attacks.fgsm().linf(0.1).generate(training.classifier(), batch.features(scope),
                        batch.labels(scope), data.bounds(), 0).toFloatArray();
            }
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                assertThat(gradient.abs().sum().getFloat()).as("no weight gradient from crafting: %s", p.getKey())
                        .isZero();
            }
            NDArray weight = model.getBlock().getParameters().get("weight").getArray();
            weight.set(new float[] {1, -1, -1, 1}); // flip the direction the model prefers
            float[] after;
            try (NDManager scope = training.classifier().newScope()) {
                after = Attacks.fgsm().linf(0.1).generate(training.classifier(), batch.features(scope),
                        batch.labels(scope), data.bounds(), 0).toFloatArray();
            }
            assertThat(after).as("the crafted example follows the changed weights").isNotEqualTo(before);
        }
    }

    @Test
    void epochs_record_a_history_whose_robust_accuracy_improves() {
        Dataset train = separable(256, 3);
        Dataset heldOut = separable(128, 4);
        try (Model model = Model.newInstance("adv"); Trainer trainer = trainer(model)) {
            model.getBlock().getParameters().get("weight").getArray().set(new float[] {1, -1, -1, 1}); // a bad start
            AdversarialTraining training = AdversarialTraining.with(trainer, Attacks.pgd().linf(0.1).steps(5),
                    new long[] {2}, 2);
            TrainingHistory history = new TrainingHistory();
            for (int epoch = 1; epoch <= 5; epoch++) {
                training.epoch(epoch, train, 32, epoch, heldOut, Attacks.pgd().linf(0.1).steps(10), history);
            }
            assertThat(history.epochs()).hasSize(5).allSatisfy(e -> assertThat(e.examplesPerSecond()).isPositive());
            dev.gauntlet.assertj.GauntletAssertions.assertThatTraining(history).robustAccuracyImproved()
                    .hasFinalRobustAccuracyAtLeast(0.9);
        }
    }

    @Test
    void pgd_training_steps_make_the_model_robust_on_separable_data() {
        Dataset data = separable(256, 2);
        try (Model model = Model.newInstance("adv"); Trainer trainer = trainer(model)) {
            AdversarialTraining training = AdversarialTraining.with(trainer, Attacks.pgd().linf(0.1).steps(5),
                    new long[] {2}, 2);
            TrainingStep first = null;
            TrainingStep last = null;
            for (int epoch = 0; epoch < 20; epoch++) {
                int b = 0;
                for (Batch batch : data.shuffle(epoch).batches(32)) {
                    last = training.step(batch, 1000L * epoch + b++);
                    first = first == null ? last : first;
                }
            }
            assertThat(last.loss()).isLessThan(first.loss());
            assertThat(dev.gauntlet.attack.RobustnessEvaluator.evaluate(training.classifier(), data,
                    Attacks.pgd().linf(0.1).steps(10), 3).robustAccuracy()).isGreaterThanOrEqualTo(0.9);
        }
    }
}

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
            float[] current = weight.toFloatArray();
            for (int i = 0; i < current.length; i++) {
                current[i] = -current[i]; // flip the direction the model prefers, whatever the initialiser drew
            }
            weight.set(current);
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

    @Test
    void trades_step_loss_is_clean_cross_entropy_plus_beta_times_the_kl_to_the_crafted_inputs() {
        Dataset data = separable(16, 5);
        Trades trades = Trades.linf(0.1).steps(3).stepSize(0.04).beta(2.5);
        try (Model model = Model.newInstance("trades"); Trainer trainer = trainer(model)) {
            AdversarialTraining training = AdversarialTraining.trades(trainer, trades, new long[] {2}, 2);
            Batch batch = data.batches(16).get(0);
            float[] w = model.getBlock().getParameters().get("weight").getArray().toFloatArray();
            float[] b = model.getBlock().getParameters().get("bias").getArray().toFloatArray();
            float[] x;
            float[] crafted;
            try (NDManager scope = training.classifier().newScope()) {
                NDArray inputs = batch.features(scope);
                x = inputs.toFloatArray();
                crafted = trades.craft(training.classifier(), inputs, data.bounds(), 9).toFloatArray();
                assertThat(inputs.toFloatArray()).as("input not mutated").isEqualTo(x);
            }
            double expected = 0;
            int[] labels = batch.dataset().labels();
            for (int i = 0; i < labels.length; i++) {
                double[] p = softmax(w, b, x[2 * i], x[2 * i + 1]);
                double[] q = softmax(w, b, crafted[2 * i], crafted[2 * i + 1]);
                double kl = p[0] * Math.log(p[0] / q[0]) + p[1] * Math.log(p[1] / q[1]);
                expected += (-Math.log(p[labels[i]]) + 2.5 * kl) / labels.length;
                for (int j = 0; j < 2; j++) {
                    assertThat(Math.abs(crafted[2 * i + j] - x[2 * i + j])).as("within eps").isLessThanOrEqualTo(0.1f + 1e-6f);
                    assertThat(crafted[2 * i + j]).isBetween(0f, 1f);
                }
            }
            TrainingStep step = training.step(batch, 9);
            assertThat(step.loss()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void trades_crafting_raises_the_kl_above_the_starting_noise() {
        Dataset data = separable(64, 6);
        try (Model model = Model.newInstance("trades"); Trainer trainer = trainer(model)) {
            AdversarialTraining training = AdversarialTraining.trades(trainer, Trades.linf(0.1), new long[] {2}, 2);
            try (NDManager scope = training.classifier().newScope()) {
                NDArray x = data.batches(64).get(0).features(scope);
                NDArray p = training.classifier().logits(x).logSoftmax(1);
                double oneStep = kl(p, training.classifier().logits(
                        Trades.linf(0.1).steps(1).stepSize(1e-6).craft(training.classifier(), x, data.bounds(), 1)));
                double tenSteps = kl(p, training.classifier().logits(
                        Trades.linf(0.1).steps(10).stepSize(0.02).craft(training.classifier(), x, data.bounds(), 1)));
                assertThat(tenSteps).isGreaterThan(100 * oneStep).isPositive();
            }
        }
    }

    @Test
    void trades_training_makes_the_model_robust_on_separable_data() {
        Dataset train = separable(256, 7);
        Dataset heldOut = separable(128, 8);
        try (Model model = Model.newInstance("trades"); Trainer trainer = trainer(model)) {
            model.getBlock().getParameters().get("weight").getArray().set(new float[] {1, -1, -1, 1});
            AdversarialTraining training = AdversarialTraining.trades(trainer,
                    Trades.linf(0.1).steps(5).stepSize(0.03).beta(6), new long[] {2}, 2);
            TrainingHistory history = new TrainingHistory();
            for (int epoch = 1; epoch <= 5; epoch++) {
                training.epoch(epoch, train, 32, epoch, heldOut, Attacks.pgd().linf(0.1).steps(10), history);
            }
            dev.gauntlet.assertj.GauntletAssertions.assertThatTraining(history).robustAccuracyImproved()
                    .hasFinalRobustAccuracyAtLeast(0.9);
        }
    }

    @Test
    void trades_rejects_meaningless_settings() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Trades.linf(-0.1))
                .withMessageContaining("epsilon");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Trades.linf(Double.NaN))
                .withMessageContaining("epsilon");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Trades.linf(0.1).steps(0))
                .withMessageContaining("steps");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Trades.linf(0.1).stepSize(0)).withMessageContaining("stepSize");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Trades.linf(0.1).beta(-1))
                .withMessageContaining("beta");
    }

    private static double kl(NDArray logP, NDArray logitsQ) {
        return logP.exp().mul(logP.sub(logitsQ.logSoftmax(1))).sum().getFloat();
    }

    private static double[] softmax(float[] w, float[] b, float x0, float x1) {
        // DJL Linear: weight (units, inputs), logits = W x + b
        double z0 = w[0] * x0 + w[1] * x1 + b[0];
        double z1 = w[2] * x0 + w[3] * x1 + b[1];
        double m = Math.max(z0, z1);
        double e0 = Math.exp(z0 - m);
        double e1 = Math.exp(z1 - m);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }
}

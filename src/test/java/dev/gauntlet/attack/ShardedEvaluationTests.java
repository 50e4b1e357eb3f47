package dev.gauntlet.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Split invariance: an evaluation split into 2 and 4 shards of whole batches, each shard evaluated
 * on its own and the reports merged, gives the unsplit run's report bit for bit; a merge refuses
 * shards that do not fit together.
 */
class ShardedEvaluationTests {

    private static final long SEED = 11;
    private static final int SAMPLES = 150;
    /** Batches of 32: 150 samples are 5 batches, the last one short. */
    private static final int BATCH = 32;

    @Test
    void every_attack_gives_the_unsplit_report_from_two_and_four_merged_shards_of_a_cnn() {
        try (Model model = seeded(cnn(), new Shape(1, 1, 8, 8), 3);
                Classifier classifier = classifier(model, 1, 8, 8)) {
            Dataset data = selfLabelled(classifier, new long[] {1, 8, 8}, 5);
            List<Attack> attacks = List.of(Attacks.fgsm().linf(0.05), Attacks.pgd().linf(0.05).steps(5).restarts(2),
                    Attacks.pgd().l2(0.4).steps(5), Attacks.apgd().linf(0.05).steps(6),
                    Attacks.square().linf(0.05).queries(30),
                    Attacks.cascade(Attacks.fgsm().linf(0.05), Attacks.apgd().linf(0.05).steps(4),
                            Attacks.square().linf(0.05).queries(20)));
            for (Attack attack : attacks) {
                assertSplitInvariant(classifier, data, attack);
            }
        }
    }

    @Test
    void pgd_and_square_give_the_unsplit_report_from_merged_shards_of_an_mlp() {
        try (Model model = seeded(mlp(), new Shape(1, 64), 4); Classifier classifier = classifier(model, 64)) {
            Dataset data = selfLabelled(classifier, new long[] {64}, 6);
            for (Attack attack : List.of(Attacks.pgd().linf(0.15).steps(6), Attacks.pgd().l2(1.0).steps(6).restarts(2),
                    Attacks.square().linf(0.3).queries(60))) {
                assertSplitInvariant(classifier, data, attack);
            }
        }
    }

    /**
     * A sample's generator depends on the run seed and its index only; the plain-seed overload is
     * samples 0..n-1, and another index gives another random start.
     */
    @Test
    void a_sample_draws_from_the_same_generator_in_any_batch() {
        SampleSeeds batch = SampleSeeds.of(SEED, 40, 20);
        for (int row : new int[] {0, 7, 19}) {
            assertThat(batch.index(row)).isEqualTo(40 + row);
            assertThat(batch.generators()[row].nextLong()).isEqualTo(SampleSeeds.of(SEED, 40 + row, 1).generators()[0].nextLong());
        }
        assertThat(batch.rows(19, 7).generators()[1].nextLong()).isEqualTo(batch.generators()[7].nextLong());
        assertThat(batch.generators()[0].nextLong()).isNotEqualTo(SampleSeeds.of(SEED, 41, 1).generators()[0].nextLong())
                .isNotEqualTo(SampleSeeds.of(SEED + 1, 40, 1).generators()[0].nextLong())
                .isNotEqualTo(batch.stage(1).generators()[0].nextLong());
        try (Model model = seeded(cnn(), new Shape(1, 1, 8, 8), 3);
                Classifier classifier = classifier(model, 1, 8, 8);
                NDManager scope = classifier.newScope()) {
            Dataset data = selfLabelled(classifier, new long[] {1, 8, 8}, 5);
            int n = 20;
            NDArray x = data.features(scope, 40, 40 + n);
            NDArray y = data.labels(scope, 40, 40 + n);
            for (Attack attack : List.of(Attacks.pgd().linf(0.05).steps(2), Attacks.square().linf(0.05).queries(5),
                    Attacks.apgd().l2(0.4).steps(2))) {
                float[] shifted = attack.generate(classifier, x, y, data.bounds(), SampleSeeds.of(SEED, 40, n))
                        .toFloatArray();
                float[] plain = attack.generate(classifier, x, y, data.bounds(), SEED).toFloatArray();
                assertThat(plain).as(attack.name() + ": the long seed is samples 0..n-1").containsExactly(
                        attack.generate(classifier, x, y, data.bounds(), SampleSeeds.of(SEED, 0, n)).toFloatArray());
                assertThat(plain).as(attack.name() + ": another index, another random start").isNotEqualTo(shifted);
            }
        }
    }

    @Test
    void merge_refuses_overlaps_gaps_other_attacks_and_other_seeds() {
        try (Model model = seeded(mlp(), new Shape(1, 64), 4); Classifier classifier = classifier(model, 64)) {
            Dataset data = selfLabelled(classifier, new long[] {64}, 6);
            Attack pgd = Attacks.pgd().linf(0.15).steps(2);
            RobustnessReport first = RobustnessEvaluator.evaluate(classifier, data, 0, 64, pgd, SEED);
            RobustnessReport second = RobustnessEvaluator.evaluate(classifier, data, 64, 128, pgd, SEED);
            assertThat(RobustnessReport.merge(List.of(second, first)).samples()).isEqualTo(128);
            assertThatThrownBy(() -> RobustnessReport.merge(List.of(first,
                    RobustnessEvaluator.evaluate(classifier, data, 32, 128, pgd, SEED))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards overlap: samples 0..63 and 32..127");
            assertThatThrownBy(() -> RobustnessReport.merge(List.of(first,
                    RobustnessEvaluator.evaluate(classifier, data, 96, 128, pgd, SEED))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples 64..95 are missing");
            assertThatThrownBy(() -> RobustnessReport.merge(List.of(first,
                    RobustnessEvaluator.evaluate(classifier, data, 64, 128, pgd.withEpsilon(0.05), SEED))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different runs");
            assertThatThrownBy(() -> RobustnessReport.merge(List.of(first,
                    RobustnessEvaluator.evaluate(classifier, data, 64, 128, pgd, SEED + 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed " + (SEED + 1));
            assertThatThrownBy(() -> RobustnessReport.merge(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RobustnessEvaluator.evaluate(classifier, data, 64, 64, pgd, SEED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[64, 64)");
            assertThatThrownBy(() -> RobustnessEvaluator.evaluate(classifier, data, 13, 64, pgd, SEED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch boundaries");
            assertThatThrownBy(() -> RobustnessEvaluator.evaluate(classifier, data, 0, 77, pgd, SEED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch boundaries");
            assertThat(Shard.split(SAMPLES, 4, BATCH)).containsExactly(new Shard(0, 64), new Shard(64, 96),
                    new Shard(96, 128), new Shard(128, SAMPLES));
            assertThat(Shard.split(SAMPLES, 9, BATCH)).as("at most one shard per batch").hasSize(5);
        }
    }

    private static void assertSplitInvariant(Classifier classifier, Dataset data, Attack attack) {
        RobustnessReport whole = RobustnessEvaluator.evaluate(classifier, data, attack, SEED);
        assertThat(whole.outcomes()).as(attack.name()).hasSize(SAMPLES);
        assertThat(whole.outcomes().stream().filter(SampleOutcome::fooled).count())
                .as(attack.name() + " fools some samples").isPositive();
        assertThat(whole.outcomes().stream().filter(SampleOutcome::robust).count())
                .as(attack.name() + " leaves some samples robust").isPositive();
        for (int count : new int[] {2, 4}) {
            List<RobustnessReport> shards = new ArrayList<>();
            for (Shard shard : Shard.split(SAMPLES, count, BATCH)) {
                shards.add(RobustnessEvaluator.evaluate(classifier, data, shard, attack, SEED));
            }
            assertThat(shards).hasSize(count);
            Collections.reverse(shards);
            RobustnessReport merged = RobustnessReport.merge(shards);
            String label = attack.name() + " in " + count + " shards";
            assertThat(merged.outcomes()).as(label).isEqualTo(whole.outcomes());
            assertThat(merged.toMap()).as(label).isEqualTo(whole.toMap());
            assertThat(Double.doubleToRawLongBits(merged.meanL2())).as(label)
                    .isEqualTo(Double.doubleToRawLongBits(whole.meanL2()));
            assertThat(merged).as(label).isEqualTo(whole);
        }
    }

    /** 1×8×8 → conv(4, 3×3) → ReLU → max pool 2 → flatten → linear(16) → ReLU → linear(4). */
    private static Block cnn() {
        return new SequentialBlock()
                .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    /** 64 → 32 → ReLU → 4. */
    private static Block mlp() {
        return new SequentialBlock().add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    private static Model seeded(Block block, Shape input, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Model model = Model.newInstance("split-" + seed);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, input);
        return model;
    }

    private static Classifier classifier(Model model, long... inputShape) {
        return DjlClassifier.builder().setModel(model).setInputShape(inputShape).setNumClasses(4).optBatchSize(BATCH)
                .build();
    }

    /**
     * Uniform points of [0, 1]^d labelled with the model's own prediction, every {@code wrongEvery}-th
     * label shifted to the next class so some samples start misclassified.
     */
    private static Dataset selfLabelled(Classifier classifier, long[] shape, int wrongEvery) {
        Random random = new Random(SEED);
        int width = Math.toIntExact(new Shape(shape).size());
        float[] features = new float[SAMPLES * width];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextFloat();
        }
        Dataset unlabelled = Dataset.builder().setFeatures(features, shape).setLabels(new int[SAMPLES]).setNumClasses(4)
                .optBounds(ValueBounds.unit()).optName("uniform").build();
        float[][] logits = classifier.logits(unlabelled);
        int[] labels = IntStream.range(0, SAMPLES).map(i -> {
            int best = RobustnessEvaluator.argMax(logits[i], 0, 4);
            return i % wrongEvery == 0 ? (best + 1) % 4 : best;
        }).toArray();
        return Dataset.builder().setFeatures(features, shape).setLabels(labels).setNumClasses(4)
                .optBounds(ValueBounds.unit()).optName("uniform, self-labelled").build();
    }
}

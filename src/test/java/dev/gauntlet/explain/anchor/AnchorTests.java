package dev.gauntlet.explain.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** Anchors of a model that depends on one feature threshold only: the anchor is that predicate. */
class AnchorTests {

    /** Class 1 iff x2 > 0.5: logits (0, 200·(x2 − 0.5)). */
    private static Model thresholdModel() {
        Model model = Model.newInstance("threshold");
        Block block = Linear.builder().setUnits(2).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
        block.getParameters().get("weight").getArray().set(new float[] {0, 0, 0, 0, 0, 0, 200, 0});
        block.getParameters().get("bias").getArray().set(new float[] {0, -100});
        return model;
    }

    private static Dataset uniform(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                rows[i][j] = random.nextFloat();
            }
            labels[i] = rows[i][2] > 0.5f ? 1 : 0;
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(2).optBounds(ValueBounds.unit())
                .build();
    }

    @Test
    void the_anchor_of_a_one_threshold_model_is_that_feature_s_predicate() {
        Dataset train = uniform(2000, 1);
        try (Model model = thresholdModel();
                Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(4).setNumClasses(2)
                        .build()) {
            Anchors anchors = Anchors.fit(train);
            for (float[] instance : new float[][] {{0.3f, 0.9f, 0.85f, 0.1f}, {0.6f, 0.2f, 0.1f, 0.7f},
                    {0.5f, 0.5f, 0.6f, 0.5f}}) {
                Anchors.Anchor anchor = anchors.explain(classifier, instance, 7);
                System.out.println(anchor.rule() + " precision " + anchor.precision() + " coverage "
                        + anchor.coverage());
                assertThat(anchor.predicates()).extracting(Anchors.Predicate::feature).containsExactly(2);
                assertThat(anchor.precision()).isGreaterThanOrEqualTo(0.95);
                assertThat(anchor.coverage()).isCloseTo(0.25, within(0.03)); // one quartile bin
            }
            Dataset samples = uniform(5, 9);
            dev.gauntlet.assertj.GauntletAssertions.assertThatModel(classifier).on(samples).anchors(train)
                    .havePrecisionAtLeast(0.95).haveCoverageAtLeast(0.2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.gauntlet.assertj.GauntletAssertions
                    .assertThatModel(classifier).on(samples).anchors(train).haveCoverageAtLeast(0.5))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("median anchor coverage");
        }
    }

    @Test
    void kl_bounds_bracket_the_mean_and_shrink_with_samples() {
        double wide = Anchors.upperBound(0.8, 3.0 / 10) - Anchors.lowerBound(0.8, 3.0 / 10);
        double narrow = Anchors.upperBound(0.8, 3.0 / 1000) - Anchors.lowerBound(0.8, 3.0 / 1000);
        assertThat(Anchors.lowerBound(0.8, 0.01)).isLessThan(0.8);
        assertThat(Anchors.upperBound(0.8, 0.01)).isGreaterThan(0.8);
        assertThat(narrow).isLessThan(wide);
    }
}

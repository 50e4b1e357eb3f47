package dev.gauntlet.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** Attributions of linear models z = W x + b, whose exact values follow from the weights. */
class ExplainerTests {

    private static final float[][] POINTS = {{0.2f, -0.4f, 1.0f}, {-1.3f, 0.7f, 0.05f}, {2.0f, 1.0f, -3.0f}};

    private static Dataset points() {
        return Dataset.builder().setFeatures(POINTS).setLabels(new int[] {0, 1, 2}).setNumClasses(4)
                .optBounds(ValueBounds.unbounded()).optName("points").build();
    }

    private static Dataset gaussian(int n, int classes, long seed, double std) {
        Random random = new Random(seed);
        float[][] rows = new float[n][3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                rows[i][j] = (float) (random.nextGaussian() * std + 0.3 * j);
            }
            labels[i] = i % classes;
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(classes)
                .optBounds(ValueBounds.unbounded()).optName("gaussian").build();
    }

    private static final int[] CLASSES = {0, 1, 2};

    @Test
    void gradient_times_input_and_integrated_gradients_equal_weight_times_input() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            ExplanationBatch gxi = Explainers.gradientTimesInput().explain(classifier, points(), CLASSES, 0);
            ExplanationBatch ig = Explainers.integratedGradients(7).explain(classifier, points(), CLASSES, 0);
            ExplanationBatch saliency = Explainers.saliency().explain(classifier, points(), CLASSES, 0);
            ExplanationBatch smooth = Explainers.smoothGrad(0.2, 5).explain(classifier, points(), CLASSES, 3);
            ExplanationBatch occlusion = Explainers.occlusion(1, 1, 0).explain(classifier, points(), CLASSES, 0);
            for (int i = 0; i < POINTS.length; i++) {
                for (int j = 0; j < 3; j++) {
                    double expected = LinearModels.W[CLASSES[i]][j] * POINTS[i][j];
                    assertThat((double) gxi.attributions()[i][j]).isCloseTo(expected, within(1e-6));
                    assertThat((double) ig.attributions()[i][j]).isCloseTo(expected, within(1e-5));
                    assertThat((double) occlusion.attributions()[i][j]).isCloseTo(expected, within(1e-5));
                    assertThat((double) saliency.attributions()[i][j])
                            .isCloseTo(Math.abs(LinearModels.W[CLASSES[i]][j]), within(1e-6));
                    assertThat((double) smooth.attributions()[i][j]).isCloseTo(LinearModels.W[CLASSES[i]][j],
                            within(1e-5));
                }
            }
        }
    }

    @Test
    void kernel_shap_equals_the_exact_shapley_values_of_a_linear_model() {
        Dataset background = gaussian(40, 4, 1, 1.0);
        double[] mean = new double[3];
        for (int i = 0; i < background.size(); i++) {
            for (int j = 0; j < 3; j++) {
                mean[j] += background.features(i)[j] / background.size();
            }
        }
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            ExplanationBatch shap = Explainers.kernelShap(background).explain(classifier, points(), CLASSES, 0);
            for (int i = 0; i < POINTS.length; i++) {
                for (int j = 0; j < 3; j++) {
                    double expected = LinearModels.W[CLASSES[i]][j] * (POINTS[i][j] - mean[j]);
                    assertThat((double) shap.attributions()[i][j]).as("sample %d feature %d", i, j)
                            .isCloseTo(expected, within(1e-4));
                }
            }
        }
    }

    @Test
    void lime_recovers_the_signs_and_order_of_a_linear_models_weights() {
        // binary model: class 1's logit margin is w·x + b with w = V1 - V0 = (-1.25, 1.5, 0.75)
        Dataset train = gaussian(500, 2, 2, 0.3);
        float[][] near = {{0.1f, 0.2f, 0.1f}, {0.3f, 0.3f, 0.2f}};
        Dataset samples = Dataset.builder().setFeatures(near).setLabels(new int[] {1, 1}).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).build();
        try (Model model = LinearModels.binaryLinear();
                Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(2)
                        .build()) {
            ExplanationBatch lime = Explainers.lime(train).explain(classifier, samples, new int[] {1, 1}, 4);
            for (float[] row : lime.attributions()) {
                assertThat(row[0]).isNegative();
                assertThat(row[1]).isPositive();
                assertThat(row[2]).isPositive();
                assertThat(Math.abs(row[1])).isGreaterThan(Math.abs(row[0]));
                assertThat(Math.abs(row[0])).isGreaterThan(Math.abs(row[2]));
            }
        }
    }

    @Test
    void lrp_epsilon_on_a_one_layer_model_is_weight_times_input_scaled_by_the_stabiliser() {
        try (Model model = Model.newInstance("sequential-linear")) {
            ai.djl.nn.SequentialBlock block = new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder()
                    .setUnits(4).build());
            model.setBlock(block);
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 3));
            float[] flat = new float[12];
            for (int c = 0; c < 4; c++) {
                System.arraycopy(LinearModels.W[c], 0, flat, 3 * c, 3);
            }
            block.getParameters().get("01Linear_weight").getArray().set(flat);
            block.getParameters().get("01Linear_bias").getArray().set(LinearModels.B);
            double epsilon = 0.5;
            try (Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4)
                    .build()) {
                ExplanationBatch lrp = Explainers.lrpEpsilon(epsilon).explain(classifier, points(), CLASSES, 0);
                for (int i = 0; i < POINTS.length; i++) {
                    int c = CLASSES[i];
                    double z = LinearModels.B[c];
                    for (int j = 0; j < 3; j++) {
                        z += LinearModels.W[c][j] * POINTS[i][j];
                    }
                    double scale = z / (z + epsilon * (z >= 0 ? 1 : -1));
                    for (int j = 0; j < 3; j++) {
                        assertThat((double) lrp.attributions()[i][j]).as("sample %d feature %d", i, j)
                                .isCloseTo(LinearModels.W[c][j] * POINTS[i][j] * scale, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void lrp_names_an_unsupported_layer() {
        try (Model model = Model.newInstance("with-batch-norm")) {
            ai.djl.nn.SequentialBlock block = new ai.djl.nn.SequentialBlock()
                    .add(ai.djl.nn.core.Linear.builder().setUnits(4).build())
                    .add(ai.djl.nn.norm.BatchNorm.builder().build());
            model.setBlock(block);
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 3));
            try (Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4)
                    .build()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Explainers.lrp().explain(classifier, points(),
                        CLASSES, 0)).isInstanceOf(dev.gauntlet.GauntletException.class)
                        .hasMessageContaining("layer 1").hasMessageContaining("BatchNorm");
            }
        }
    }

    @Test
    void gauss_legendre_rule_integrates_polynomials_exactly_on_the_unit_interval() {
        double[][] rule = IntegratedGradients.gaussLegendre(5);
        double weights = 0;
        double cube = 0;
        double ninth = 0;
        for (int k = 0; k < 5; k++) {
            weights += rule[1][k];
            cube += rule[1][k] * Math.pow(rule[0][k], 3);
            ninth += rule[1][k] * Math.pow(rule[0][k], 9);
        }
        assertThat(weights).isCloseTo(1.0, within(1e-12));
        assertThat(cube).isCloseTo(0.25, within(1e-12));
        assertThat(ninth).isCloseTo(0.1, within(1e-12));
    }
}

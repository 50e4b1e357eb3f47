package dev.gauntlet.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import dev.gauntlet.model.DjlClassifier;

import org.junit.jupiter.api.Test;

/** Guided backpropagation through a hand-set two-layer ReLU network, against the rule worked by hand. */
class GuidedBackpropagationTests {

    private static final float[][] W1 = {{1, -2}, {-1, 1}, {0.5f, 0.5f}};
    private static final float[] B1 = {0.1f, -0.3f, 0.0f};
    private static final float[][] W2 = {{2, -1, 1}, {-1, 3, -2}};

    @Test
    void gradients_pass_a_relu_only_where_its_input_and_the_gradient_are_positive() {
        try (Model model = Model.newInstance("mlp")) {
            SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(3).build())
                    .add(Activation.reluBlock()).add(Linear.builder().setUnits(2).build());
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            block.getParameters().get("01Linear_weight").getArray().set(flatten(W1));
            block.getParameters().get("01Linear_bias").getArray().set(B1);
            block.getParameters().get("03Linear_weight").getArray().set(flatten(W2));
            block.getParameters().get("03Linear_bias").getArray().set(new float[] {0, 0});
            try (DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(2).setNumClasses(2)
                    .build(); NDManager scope = classifier.newScope()) {
                float[][] xs = {{1.0f, 0.2f}, {-0.5f, 1.5f}};
                for (int c = 0; c < 2; c++) {
                    NDArray x = scope.create(xs);
                    NDArray classes = scope.create(new int[] {c, c});
                    float[] guided = GradCam.guidedBackpropagation(classifier.layers(), x, classes, 2).toFloatArray();
                    for (int i = 0; i < xs.length; i++) {
                        double[] expected = byHand(xs[i], c);
                        assertThat((double) guided[2 * i]).isCloseTo(expected[0], within(1e-6));
                        assertThat((double) guided[2 * i + 1]).isCloseTo(expected[1], within(1e-6));
                    }
                }
            }
        }
    }

    /** dz_c/dh = W2[c]; keep unit k if its pre-activation > 0 and W2[c][k] > 0; then x-gradient = W1ᵀ·that. */
    private static double[] byHand(float[] x, int c) {
        double[] result = new double[2];
        for (int k = 0; k < 3; k++) {
            double pre = B1[k] + W1[k][0] * x[0] + W1[k][1] * x[1];
            double g = pre > 0 && W2[c][k] > 0 ? W2[c][k] : 0;
            result[0] += W1[k][0] * g;
            result[1] += W1[k][1] * g;
        }
        return result;
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return flat;
    }
}

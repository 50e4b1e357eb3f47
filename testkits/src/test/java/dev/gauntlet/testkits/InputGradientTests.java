package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.testkits.models.Architectures;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/** Input gradients of the trained reference models against independent expectations. */
class InputGradientTests {

    private static final double H = 1e-3;
    private static final double TOLERANCE = 2e-3;

    @Test
    void digits_mlp_gradient_matches_central_differences_on_five_random_test_images() {
        Dataset test = ReferenceModel.DIGITS_MLP.data().test();
        Random random = new Random(11);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP)) {
            double worst = 0;
            for (int s = 0; s < 5; s++) {
                int index = random.nextInt(test.size());
                double[][] pair = gradientAndDifferences(mlp, test.features(index), test.label(index), 64);
                for (int j = 0; j < 64; j++) {
                    worst = Math.max(worst, Math.abs(pair[0][j] - pair[1][j]));
                }
            }
            System.out.printf("[gauntlet] digits-mlp: max |grad - central difference| = %.2e"
                    + " over 5 random test images x 64 pixels%n", worst);
            assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /**
     * A CNN's loss has a kink wherever a ReLU or a max-pool switches, often within 1e-3 of a
     * pixel value, and float32 rounding swamps smaller steps; so the whole gradient is compared
     * with the whole finite-difference gradient (cosine and relative L2 error) rather than pixel
     * by pixel. Fashion-MNIST backgrounds are exactly 0, which puts
     * max-pooling on exact ties where the loss has no derivative at all; faint noise removes them.
     */
    @Test
    void cnn_gradient_agrees_with_central_differences() {
        Dataset test = ReferenceModel.FASHION_CNN.data().test();
        Random random = new Random(12);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            for (int s = 0; s < 3; s++) {
                int index = random.nextInt(test.size());
                int wrongLabel = (test.label(index) + 1 + random.nextInt(9)) % 10; // a large, informative gradient
                double[][] pair = gradientAndDifferences(cnn, withoutTies(test.features(index), random), wrongLabel, 784);
                double cosine = cosine(pair[0], pair[1]);
                double relativeError = relativeError(pair[0], pair[1]);
                System.out.printf("[gauntlet] fashion-cnn image %d: cosine(grad, central differences) = %.5f,"
                        + " relative L2 error = %.3f%n", index, cosine, relativeError);
                assertThat(cosine).isGreaterThanOrEqualTo(0.99);
                assertThat(relativeError).isLessThanOrEqualTo(0.1);
            }
        }
    }

    /**
     * At inference dropout is the identity, so the dropout CNN's input gradient must equal that
     * of the same weights in the architecture without the dropout layer, differentiated with
     * DJL's own forward pass.
     */
    @Test
    void dropout_cnn_gradient_equals_the_gradient_of_the_same_weights_without_dropout() {
        Dataset test = ReferenceModel.FASHION_CNN_DROPOUT.data().test().head(64);
        try (DjlClassifier withDropout = ReferenceModels.load(ReferenceModel.FASHION_CNN_DROPOUT);
                Model clone = Model.newInstance("no-dropout");
                NDManager scope = withDropout.newScope()) {
            Block plain = Architectures.fashionCnn();
            clone.setBlock(plain);
            plain.initialize(clone.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            List<Parameter> source = withDropout.model().getBlock().getParameters().values();
            List<Parameter> target = plain.getParameters().values();
            assertThat(target).hasSameSizeAs(source);
            for (int i = 0; i < source.size(); i++) {
                target.get(i).getArray().set(source.get(i).getArray().toByteBuffer());
            }
            NDArray x = test.features(scope, 0, 64);
            NDArray labels = test.labels(scope, 0, 64);
            float[] actual = withDropout.inputGradient(x, labels).toFloatArray();

            NDArray variable = x.duplicate();
            variable.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = plain.forward(new ParameterStore(scope, false), new NDList(variable), false)
                        .singletonOrThrow();
                collector.backward(GradientLoss.crossEntropy().perSample(logits, labels).sum());
            }
            float[] expected = variable.getGradient().toFloatArray();
            double worst = 0;
            double largest = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                largest = Math.max(largest, Math.abs(expected[i]));
            }
            System.out.printf("[gauntlet] fashion-cnn-dropout: max |grad - grad without dropout| = %.1e"
                    + " over 64 images (largest component %.2e)%n", worst, largest);
            assertThat(largest).isPositive();
            assertThat(worst).isLessThanOrEqualTo(1e-6);
        }
    }

    /** The analytic gradient and the central differences of the cross-entropy, pixel by pixel. */
    private static double[][] gradientAndDifferences(DjlClassifier classifier, float[] x, int label, int pixels) {
        Shape sample = classifier.inputShape();
        try (NDManager scope = classifier.newScope()) {
            float[] gradient = classifier.inputGradient(
                    scope.create(x, new Shape(1).addAll(sample)), scope.create(new int[] {label})).toFloatArray();
            float[] probes = new float[2 * pixels * x.length];
            for (int k = 0; k < pixels; k++) {
                System.arraycopy(x, 0, probes, 2 * k * x.length, x.length);
                System.arraycopy(x, 0, probes, (2 * k + 1) * x.length, x.length);
                probes[2 * k * x.length + k] += (float) H;
                probes[(2 * k + 1) * x.length + k] -= (float) H;
            }
            float[] logits = classifier.logits(scope.create(probes, new Shape(2L * pixels).addAll(sample)))
                    .toFloatArray();
            int classes = classifier.numClasses();
            double[][] pair = new double[2][pixels];
            for (int k = 0; k < pixels; k++) {
                double plus = crossEntropy(logits, 2 * k * classes, classes, label);
                double minus = crossEntropy(logits, (2 * k + 1) * classes, classes, label);
                pair[0][k] = gradient[k];
                pair[1][k] = (plus - minus) / (2 * H);
            }
            return pair;
        }
    }

    private static float[] withoutTies(float[] image, Random random) {
        float[] x = new float[image.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = 0.9f * image[j] + 0.05f + 0.02f * random.nextFloat();
        }
        return x;
    }

    private static double crossEntropy(float[] logits, int offset, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        return Math.log(sum) + max - logits[offset + label];
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double relativeError(double[] actual, double[] expected) {
        double error = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            error += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(error / norm);
    }
}

package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.model.LinearModels;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/**
 * The consistency report and the severity curve against predictions derived here from the linear model's known
 * weights ({@link LinearModels#expectedLogits}), not from the model.
 */
class CorruptionReportsTests {

    @Test
    void consistency_counts_the_predictions_that_noise_leaves_unchanged() {
        Dataset data = LinearModels.cube(300, 11, 0);
        GaussianNoise noise = new GaussianNoise(0.3);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            ConsistencyReport report = ConsistencyReport.of(classifier, data, noise, 4);
            Dataset noisy = noise.apply(data, 4);
            int same = 0;
            for (int i = 0; i < data.size(); i++) {
                same += argmax(LinearModels.expectedLogits(data.features(i)))
                        == argmax(LinearModels.expectedLogits(noisy.features(i))) ? 1 : 0;
            }
            assertThat(report.samples()).isEqualTo(300);
            assertThat(report.unchanged()).isEqualTo(same);
            assertThat(report.consistency()).isEqualTo(same / 300.0);
            // noise of 0.3 on the unit cube moves some points across a boundary, not most
            assertThat(report.consistency()).isBetween(0.3, 0.99);
        }
    }

    @Test
    void severity_curve_is_the_accuracy_after_brightening_by_each_severity_s_shift() {
        Dataset cube = LinearModels.cube(200, 12, 0);
        float[] flat = new float[cube.size() * 3];
        for (int i = 0; i < cube.size(); i++) {
            System.arraycopy(cube.features(i), 0, flat, 3 * i, 3);
        }
        // one row of three pixels per sample: an image the corruption accepts, the model's three features
        Dataset images = Dataset.builder().setFeatures(flat, 1, 3).setLabels(cube.labels()).setNumClasses(4)
                .optBounds(ValueBounds.unit()).optName("cube images").build();
        double[] shifts = {0, 0.05, 0.1, 0.15, 0.2, 0.3};
        try (Model model = LinearModels.softmaxLinear(); Classifier flat3 = LinearModels.classifier(model);
                Classifier classifier = new ForwardingClassifier(flat3) {
                    @Override
                    public Shape inputShape() {
                        return new Shape(1, 3);
                    }

                    @Override
                    public NDArray logits(NDArray x) {
                        return delegate().logits(x.reshape(x.getShape().get(0), 3));
                    }
                }) {
            SeverityCurve curve = SeverityCurve.of(classifier, images, ImageCorruption.Kind.BRIGHTNESS, 2);
            for (int s = 0; s <= 5; s++) {
                int correct = 0;
                for (int i = 0; i < images.size(); i++) {
                    float[] x = images.features(i).clone();
                    for (int j = 0; j < 3; j++) {
                        x[j] = (float) Math.min(1, x[j] + shifts[s]);
                    }
                    correct += argmax(LinearModels.expectedLogits(x)) == images.label(i) ? 1 : 0;
                }
                assertThat(curve.accuracy()[s]).as("severity %d", s).isCloseTo(correct / 200.0, within(1e-12));
            }
            assertThat(curve.worst()).isEqualTo(curve.accuracy()[5]);
            assertThat(curve.examples()).hasSize(5);
            assertThat(curve.examples().get(4)[0]).isCloseTo(Math.min(1, images.features(0)[0] + 0.3f),
                    within(1e-6f));
        }
    }

    private static int argmax(float[] z) {
        int best = 0;
        for (int k = 1; k < z.length; k++) {
            best = z[k] > z[best] ? k : best;
        }
        return best;
    }
}

package dev.gauntlet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.counterfactual.CounterfactualReport;
import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.quality.ModelRandomization;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.uncertainty.Calibration;
import dev.gauntlet.uncertainty.UncertaintyMethod;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The format × check table of README ("Your own model"), one test per cell: the same closed-form
 * model (z = W x + b, plus an inference-time no-op Dropout layer in the DJL architecture) in each
 * format either runs a check with the DJL architecture's result (and the closed form where there is
 * one), or refuses it with an {@link UnsupportedCapabilityException} that names what is missing.
 */
class ModelFormatMatrixTests {

    @TempDir
    static Path dir;

    private static final Map<ModelFormat, DjlClassifier> MODELS = new EnumMap<>(ModelFormat.class);
    private static Dataset data;
    private static Dataset train;

    private static Block architecture() {
        return new SequentialBlock().add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(4).build());
    }

    @BeforeAll
    static void loadEveryFormat() throws IOException, ai.djl.MalformedModelException {
        try (Model saved = LinearModels.linearWithDropout()) {
            saved.save(dir, "linear");
        }
        MODELS.put(ModelFormat.DJL_ARCHITECTURE, DjlClassifier.builder().setArchitecture(ModelFormatMatrixTests::architecture)
                .setInputShape(3).setNumClasses(4).optParameters(dir, "linear").build());
        MODELS.put(ModelFormat.TORCHSCRIPT, file(ModelFileTests.resource("linear.pt")));
        MODELS.put(ModelFormat.ONNX, file(OnnxModels.linear(dir.resolve("linear.onnx"), LinearModels.W, LinearModels.B)));
        MODELS.put(ModelFormat.MXNET_SYMBOL, file(MxnetExports.linear(dir, "exported", LinearModels.W, LinearModels.B)));
        data = LinearModels.cube(60, 1, 5);
        train = LinearModels.cube(200, 2, 5);
    }

    private static DjlClassifier file(Path path) {
        return DjlClassifier.builder().setModelPath(path).setInputShape(3).setNumClasses(4).build();
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(DjlClassifier::close);
    }

    private static DjlClassifier reference() {
        return MODELS.get(ModelFormat.DJL_ARCHITECTURE);
    }

    private static boolean hasGradients(ModelFormat format) {
        return format != ModelFormat.ONNX;
    }

    private static void assertRowsClose(float[][] actual, float[][] expected, double tolerance) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < actual[i].length; j++) {
                assertThat((double) actual[i][j]).as("row %d, column %d", i, j).isCloseTo(expected[i][j],
                        within(tolerance));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void logits_accuracy_and_calibration_work_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        assertThat(model.format()).isEqualTo(format);
        float[][] logits = model.logits(data);
        for (int i = 0; i < data.size(); i++) {
            float[] expected = LinearModels.expectedLogits(data.features(i));
            for (int c = 0; c < 4; c++) {
                assertThat((double) logits[i][c]).isCloseTo(expected[c], within(1e-5));
            }
        }
        assertThat(model.accuracy(data)).isEqualTo(reference().accuracy(data));
        assertThat(Calibration.of(model.probabilities(data), data.labels()).expectedCalibrationError())
                .isCloseTo(Calibration.of(reference().probabilities(data), data.labels()).expectedCalibrationError(),
                        within(1e-6));
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void black_box_checks_work_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        var square = Attacks.square().linf(0.2).queries(100);
        assertThat(RobustnessEvaluator.evaluate(model, data, square, 3).robustAccuracy())
                .isEqualTo(RobustnessEvaluator.evaluate(reference(), data, square, 3).robustAccuracy());
        var noise = new GaussianNoise(0.1);
        assertThat(model.accuracy(noise.apply(data, 5))).isEqualTo(reference().accuracy(noise.apply(data, 5)));
        TrustScore trust = TrustScore.fit(train);
        assertThat(trust.score(data, model.predict(data)).scores())
                .containsExactly(trust.score(data, reference().predict(data)).scores());
        assertRowsClose(Explainers.kernelShap(train).explain(model, data.head(5), 7).attributions(),
                Explainers.kernelShap(train).explain(reference(), data.head(5), 7).attributions(), 1e-4);
        assertRowsClose(Explainers.lime(train).explain(model, data.head(5), 7).attributions(),
                Explainers.lime(train).explain(reference(), data.head(5), 7).attributions(), 1e-4);
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void white_box_attacks_work_or_are_refused_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        var fgsm = Attacks.fgsm().linf(0.1);
        if (!hasGradients(format)) {
            assertThat(model.hasInputGradients()).isFalse();
            assertThatThrownBy(() -> RobustnessEvaluator.evaluate(model, data, fgsm, 1))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("OnnxRuntime");
            return;
        }
        try (NDManager scope = model.newScope()) {
            NDArray x = scope.create(data.features(0), new Shape(1, 3));
            int label = data.label(0);
            float[] adversarial = fgsm.generate(model, x, scope.create(new int[] {label}), ValueBounds.unit(), 1)
                    .toFloatArray();
            double[] gradient = LinearModels.expectedCrossEntropyGradient(data.features(0), label);
            for (int j = 0; j < 3; j++) {
                double expected = Math.min(1, Math.max(0, data.features(0)[j] + 0.1 * Math.signum(gradient[j])));
                assertThat((double) adversarial[j]).isCloseTo(expected, within(1e-6));
            }
        }
        var pgd = Attacks.pgd().linf(0.1).steps(10);
        assertThat(RobustnessEvaluator.evaluate(model, data, pgd, 1).robustAccuracy())
                .isEqualTo(RobustnessEvaluator.evaluate(reference(), data, pgd, 1).robustAccuracy());
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void gradient_attributions_and_counterfactuals_work_or_are_refused_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        if (!hasGradients(format)) {
            assertThatThrownBy(() -> Explainers.integratedGradients(16).explain(model, data.head(3), 1))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("gradient-free checks");
            assertThatThrownBy(() -> Counterfactuals.wachter().explain(model, data.head(2), train))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            return;
        }
        float[][] saliency = Explainers.saliency().explain(model, data.head(5), 1).attributions();
        int[] classes = model.predict(data.head(5));
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat((double) saliency[i][j]).as("|dz_c/dx_j| = |W[c][j]|")
                        .isCloseTo(Math.abs(LinearModels.W[classes[i]][j]), within(1e-6));
            }
        }
        assertRowsClose(Explainers.integratedGradients(16).explain(model, data.head(5), 1).attributions(),
                Explainers.integratedGradients(16).explain(reference(), data.head(5), 1).attributions(), 1e-5);
        CounterfactualReport counterfactuals = Counterfactuals.wachter().explain(model, data.head(3), train);
        assertThat(counterfactuals.validity())
                .isEqualTo(Counterfactuals.wachter().explain(reference(), data.head(3), train).validity());
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void layer_wise_methods_work_or_are_refused_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        if (format != ModelFormat.DJL_ARCHITECTURE) {
            assertThat(model.capability(LayerView.class)).isEmpty();
            assertThatThrownBy(() -> Explainers.lrp().explain(model, data.head(3), 1))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("layer view")
                    .hasMessageContaining(format.description());
            return;
        }
        float[][] relevance = Explainers.lrpEpsilon(1e-9).explain(model, data.head(5), 1).attributions();
        int[] classes = model.predict(data.head(5));
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat((double) relevance[i][j]).as("LRP-eps on a linear layer: W[c][j] x_j (the bias absorbs its share)")
                        .isCloseTo(LinearModels.W[classes[i]][j] * data.features(i)[j], within(1e-4));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void mc_dropout_works_or_is_refused_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        UncertaintyMethod mcDropout = UncertaintyMethod.mcDropout(5);
        if (format != ModelFormat.DJL_ARCHITECTURE) {
            assertThatThrownBy(() -> mcDropout.sample(model, data.head(3), 1))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("dropout sampling");
            return;
        }
        float[][][] samples = mcDropout.sample(model, data.head(3), 1);
        assertThat(samples[0][0]).as("dropout masks differ between passes").isNotEqualTo(samples[1][0]);
    }

    @org.junit.jupiter.api.Test
    void a_forwarding_classifier_passes_the_capabilities_of_its_delegate_on() {
        Classifier wrapped = new ForwardingClassifier(reference()) {
            @Override
            public void close() {
                // the matrix closes the delegate
            }
        };
        assertThat(UncertaintyMethod.mcDropout(3).sample(wrapped, data.head(2), 1)).hasDimensions(3, 2);
        assertRowsClose(Explainers.lrpEpsilon(1e-9).explain(wrapped, data.head(3), 1).attributions(),
                Explainers.lrpEpsilon(1e-9).explain(reference(), data.head(3), 1).attributions(), 1e-6);
        assertThat(ModelRandomization.run(Explainers.saliency(), wrapped, data.head(10), 1, 1).meanCorrelation())
                .isEqualTo(ModelRandomization.run(Explainers.saliency(), reference(), data.head(10), 1, 1)
                        .meanCorrelation());
        Classifier calibrated = new dev.gauntlet.uncertainty.TemperatureScaling(2, 0, 0).calibrate(wrapped);
        assertThatThrownBy(() -> UncertaintyMethod.mcDropout(3).sample(calibrated, data.head(2), 1))
                .as("dropout passes of the model underneath would bypass the temperature")
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("temperature");
        assertThat(calibrated.fingerprint()).isNotEqualTo(reference().fingerprint());
        Classifier onnx = new ForwardingClassifier(MODELS.get(ModelFormat.ONNX)) {
            @Override
            public void close() {
                // the matrix closes the delegate
            }
        };
        assertThat(onnx.hasInputGradients()).isFalse();
        assertThat(onnx.missingCapabilityReason(InputGradients.class)).contains("inference only");
    }

    @ParameterizedTest
    @EnumSource(value = ModelFormat.class, names = {"DJL_ARCHITECTURE", "TORCHSCRIPT", "ONNX", "MXNET_SYMBOL"})
    void model_randomisation_works_or_is_refused_on(ModelFormat format) {
        DjlClassifier model = MODELS.get(format);
        if (format != ModelFormat.DJL_ARCHITECTURE) {
            assertThatThrownBy(() -> ModelRandomization.run(Explainers.saliency(), model, data.head(5), 1, 1))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("randomisation");
            return;
        }
        ModelRandomization result = ModelRandomization.run(Explainers.saliency(), model, data.head(10), 1, 1);
        assertThat(result.randomizedFrom()).isEqualTo(1);
        assertThat(result.meanCorrelation()).isBetween(-1.0, 1.0);
    }
}

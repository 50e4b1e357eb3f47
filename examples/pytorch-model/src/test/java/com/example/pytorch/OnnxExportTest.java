package com.example.pytorch;

import static com.example.pytorch.PyTorchReference.CLASSES;
import static com.example.pytorch.PyTorchReference.INPUTS;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.SquareAttack;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.junit.GauntletModel;
import dev.gauntlet.junit.ModelTest;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.ModelFormat;
import dev.gauntlet.model.UnsupportedCapabilityException;
import dev.gauntlet.shift.ImageCorruption;
import dev.gauntlet.testkits.data.ReferenceData;

import org.junit.jupiter.api.Test;

/**
 * The same CNN exported to ONNX ({@code torch.onnx.export}, opset 13) and run on DJL's ONNX
 * Runtime engine: PyTorch's logits, no input gradients (ONNX Runtime runs inference only), so
 * gradient attacks are refused by name, and the gradient-free checks gate it.
 */
@ModelTest
class OnnxExportTest {

    private static final Dataset INPUTS_DATA = PyTorchReference.inputs();

    @GauntletModel
    static Classifier onnx() {
        return PyTorchReference.model("fashion-cnn.onnx").optEngine("OnnxRuntime").build();
    }

    @GauntletModel
    static Classifier torchScript() {
        return PyTorchReference.model("fashion-cnn.pt").build();
    }

    @Test
    void logits_equal_pytorchs(@GauntletModel("onnx") Classifier onnx) {
        float[] expected = PyTorchReference.floats("cnn-logits.f32", INPUTS * CLASSES);

        float[] logits = PyTorchReference.flatten(onnx.logits(INPUTS_DATA));

        double worst = PyTorchReference.maxAbsDifference(logits, expected);
        PyTorchReference.report("fashion-cnn.onnx on ONNX Runtime: max |logit - PyTorch's| = %.3g", worst);
        assertThat(((DjlClassifier) onnx).format()).isEqualTo(ModelFormat.ONNX);
        assertThat(onnx.computeTarget().engineName()).isEqualTo("OnnxRuntime");
        assertThat(worst).isLessThanOrEqualTo(1e-4);
        assertThat(onnx.predict(INPUTS_DATA)).containsExactly(PyTorchReference.argMax(expected, CLASSES));
    }

    @Test
    void gradient_attacks_are_refused_with_the_reason(@GauntletModel("onnx") Classifier onnx) {
        Dataset few = INPUTS_DATA.head(20);

        assertThat(onnx.hasInputGradients()).isFalse();
        assertThatThrownBy(() -> assertThatModel(onnx).on(few).underAttack(Attacks.fgsm().linf(0.1))
                .hasRobustAccuracyAtLeast(0.1))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("OnnxRuntime")
                .hasMessageContaining("gradient-free");
        try (NDManager scope = onnx.newScope()) {
            assertThatThrownBy(() -> onnx.inputGradient(few.features(scope, 0, 20), few.labels(scope, 0, 20)))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("OnnxRuntime runs inference only");
        }
    }

    @Test
    void gradient_free_checks_gate_the_onnx_model(@GauntletModel("onnx") Classifier onnx) {
        Dataset train = ReferenceData.fashionMnist().train().sample(10_000, 0).renamed("fashion-mnist train, 10,000");

        // measured: accuracy 0.877, 0.860 under noise, ECE 0.047, trust-score AUROC 0.823, Square 0.815
        assertThatModel(onnx).on(INPUTS_DATA).hasAccuracyAtLeast(0.85);
        assertThatModel(onnx).on(INPUTS_DATA).hasAccuracyUnder(ImageCorruption.gaussianNoise(2), 0.83);
        assertThatModel(onnx).on(INPUTS_DATA).calibration().hasEceAtMost(0.07);
        assertThatModel(onnx).on(INPUTS_DATA).trustScores(train).separatesErrorsWithAurocAtLeast(0.78);
        assertThatModel(onnx).on(INPUTS_DATA.head(200)).underAttack(Attacks.square().linf(0.01).queries(300))
                .hasRobustAccuracyAtLeast(0.78);
    }

    /** Square only queries logits, so the export and its TorchScript original meet the same random search. */
    @Test
    void square_attack_breaks_the_export_as_it_breaks_the_torchscript_original(
            @GauntletModel("onnx") Classifier onnx, @GauntletModel("torchScript") Classifier torchScript) {
        Dataset first = INPUTS_DATA.head(100).renamed("fashion-mnist t10k first 100");
        SquareAttack square = Attacks.square().linf(0.1).queries(100);

        double onnxRobust = assertThatModel(onnx).on(first).underAttack(square).report().robustAccuracy();
        double torchRobust = assertThatModel(torchScript).on(first).underAttack(square).report().robustAccuracy();

        PyTorchReference.report("Square eps 0.1, 100 queries, 100 samples: robust accuracy ONNX %.4f, TorchScript %.4f",
                onnxRobust, torchRobust);
        assertThat(onnxRobust).isCloseTo(torchRobust, within(1.0 / first.size() + 1e-9));
    }
}

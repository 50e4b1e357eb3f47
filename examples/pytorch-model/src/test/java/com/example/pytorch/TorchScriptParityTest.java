package com.example.pytorch;

import static com.example.pytorch.PyTorchReference.CLASSES;
import static com.example.pytorch.PyTorchReference.FGSM_INPUTS;
import static com.example.pytorch.PyTorchReference.GRADIENT_INPUTS;
import static com.example.pytorch.PyTorchReference.INPUTS;
import static com.example.pytorch.PyTorchReference.PIXELS;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.FgsmAttack;
import dev.gauntlet.attack.PgdAttack;
import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.junit.GauntletModel;
import dev.gauntlet.junit.ModelTest;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.Fingerprints;
import dev.gauntlet.model.ModelFormat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Gauntlet on a TorchScript file gives PyTorch's own numbers: the logits, FGSM's and PGD's
 * adversarial examples, and eval-mode input gradients of a model with batch normalisation and
 * dropout, whose running statistics no check may change. Every expectation is read from
 * {@code reference/}, written by PyTorch ({@code python/make_models.py}).
 */
@ModelTest
class TorchScriptParityTest {

    private static final Dataset INPUTS_DATA = PyTorchReference.inputs();
    private static final double EPSILON = 0.1;

    @GauntletModel
    static Classifier cnn() {
        return PyTorchReference.model("fashion-cnn.pt").build();
    }

    @GauntletModel
    static Classifier bnDropout() {
        return PyTorchReference.model("bn-dropout.pt").build();
    }

    @Test
    void logits_equal_pytorchs(@GauntletModel("cnn") Classifier cnn) {
        float[] expected = PyTorchReference.floats("cnn-logits.f32", INPUTS * CLASSES);

        float[] logits = PyTorchReference.flatten(cnn.logits(INPUTS_DATA));

        double worst = PyTorchReference.maxAbsDifference(logits, expected);
        PyTorchReference.report("fashion-cnn.pt logits: max |Gauntlet - PyTorch| = %.3g over %d x %d", worst, INPUTS,
                CLASSES);
        assertThat(((DjlClassifier) cnn).format()).isEqualTo(ModelFormat.TORCHSCRIPT);
        assertThat(cnn.hasInputGradients()).isTrue();
        assertThat(worst).isLessThanOrEqualTo(1e-5);
        assertThat(cnn.predict(INPUTS_DATA)).containsExactly(PyTorchReference.argMax(expected, CLASSES));
    }

    @Test
    void fgsm_gives_pytorchs_adversarial_examples(@GauntletModel("cnn") Classifier cnn) {
        float[] expected = PyTorchReference.floats("cnn-fgsm-eps0.1.f32", FGSM_INPUTS * PIXELS);
        Dataset first = INPUTS_DATA.head(FGSM_INPUTS).renamed("fashion-mnist t10k first 200");
        FgsmAttack fgsm = Attacks.fgsm().linf(EPSILON);

        float[] adversarial = PyTorchReference.adversarial(cnn, fgsm, first, 0);

        int identical = PyTorchReference.countWithin(adversarial, expected, 1e-6);
        PyTorchReference.report("FGSM eps 0.1: %d of %d adversarial pixels identical to PyTorch's (|diff| <= 1e-6),"
                + " max diff %.3g", identical, expected.length,
                PyTorchReference.maxAbsDifference(adversarial, expected));
        assertThat((double) identical / expected.length).isGreaterThanOrEqualTo(0.9999);
        // the same model classifies both sets of examples: Gauntlet's robust accuracy is PyTorch's
        double pytorchRobust = robustAccuracy(cnn, PyTorchReference.withPixels(expected, first, "pytorch fgsm"), first);
        RobustnessReport gauntlet = assertThatModel(cnn).on(first).underAttack(fgsm).report();
        PyTorchReference.report("FGSM eps 0.1 robust accuracy on 200: Gauntlet %.4f, PyTorch's examples %.4f",
                gauntlet.robustAccuracy(), pytorchRobust);
        assertThat(gauntlet.robustAccuracy()).isCloseTo(pytorchRobust, within(1.0 / FGSM_INPUTS + 1e-9));
    }

    @Test
    void pgd10_gives_pytorchs_robust_accuracy(@GauntletModel("cnn") Classifier cnn) {
        int[] pytorchCorrect = PyTorchReference.ints("cnn-pgd10-eps0.1-correct.i32", INPUTS);
        int[] pytorchPredictions = PyTorchReference.ints("cnn-pgd10-eps0.1-predictions.i32", INPUTS);
        float[] cleanLogits = PyTorchReference.floats("cnn-logits.f32", INPUTS * CLASSES);
        PgdAttack pgd = Attacks.pgd().linf(EPSILON).steps(10).randomStart(false);
        assertThat(pgd.alpha()).as("BIM step size eps/steps, as make_models.py").isCloseTo(0.01, within(1e-12));
        // PyTorch's file counts a sample robust when its attacked prediction is right; Gauntlet (like AutoAttack)
        // also asks the clean prediction to be right. Compute both from PyTorch's files.
        double pytorchRobust = PyTorchReference.mean(pytorchCorrect);
        int[] cleanPredictions = PyTorchReference.argMax(cleanLogits, CLASSES);
        int correctBoth = 0;
        for (int i = 0; i < INPUTS; i++) {
            correctBoth += cleanPredictions[i] == INPUTS_DATA.label(i) && pytorchCorrect[i] == 1 ? 1 : 0;
        }
        double pytorchRobustCleanCorrect = (double) correctBoth / INPUTS;

        RobustnessReport gauntlet = assertThatModel(cnn).on(INPUTS_DATA).underAttack(pgd)
                .hasRobustAccuracyAtLeast(pytorchRobust - 0.005)
                .hasRobustAccuracyAtMost(pytorchRobust + 0.005)
                .report();

        int[] predictions = cnn.predict(PyTorchReference.withPixels(
                PyTorchReference.adversarial(cnn, pgd, INPUTS_DATA, 0), INPUTS_DATA, "gauntlet pgd-10"));
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            if (predictions[i] != pytorchPredictions[i]) {
                differing.add(i + " (label " + INPUTS_DATA.label(i) + ": Gauntlet " + predictions[i] + ", PyTorch "
                        + pytorchPredictions[i] + ")");
            }
        }
        PyTorchReference.report("PGD-10 eps 0.1 robust accuracy on 1000: Gauntlet %.4f, PyTorch %.4f (%.4f counting"
                + " only clean-correct samples); attacked predictions differ on %d samples %s",
                gauntlet.robustAccuracy(), pytorchRobust, pytorchRobustCleanCorrect, differing.size(), differing);
        assertThat(gauntlet.robustAccuracy()).isCloseTo(pytorchRobustCleanCorrect, within(0.005));
        assertThat(differing).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void bn_dropout_gives_pytorchs_eval_logits_and_input_gradients(@GauntletModel("bnDropout") Classifier bn) {
        float[] expectedLogits = PyTorchReference.floats("bn-dropout-logits.f32", INPUTS * CLASSES);
        float[] expectedGradients = PyTorchReference.floats("bn-dropout-gradients.f32", GRADIENT_INPUTS * PIXELS);

        float[] logits = PyTorchReference.flatten(bn.logits(INPUTS_DATA));
        float[] gradients;
        try (NDManager scope = bn.newScope()) {
            gradients = bn.inputGradient(INPUTS_DATA.features(scope, 0, GRADIENT_INPUTS),
                    INPUTS_DATA.labels(scope, 0, GRADIENT_INPUTS)).toFloatArray();
        }

        double gradientError = PyTorchReference.maxAbsDifference(gradients, expectedGradients);
        PyTorchReference.report("bn-dropout.pt eval logits: max diff %.3g, %d of %d beyond 1e-5; input gradients of"
                + " the first 64: max diff %.3g (largest |gradient| %.3g)",
                PyTorchReference.maxAbsDifference(logits, expectedLogits),
                logits.length - PyTorchReference.countWithin(logits, expectedLogits, 1e-5), logits.length,
                gradientError,
                PyTorchReference.maxAbsDifference(expectedGradients, new float[expectedGradients.length]));
        assertLogitsClose(logits, expectedLogits);
        assertThat(gradientError).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void attacks_and_explanations_leave_bn_dropout_in_eval_mode(@GauntletModel("bnDropout") Classifier bn) {
        float[] expectedLogits = PyTorchReference.floats("bn-dropout-logits.f32", INPUTS * CLASSES);
        String fingerprint = bn.fingerprint();
        String weights = Fingerprints.ofParameters(((DjlClassifier) bn).model().getBlock());
        float[] before = PyTorchReference.flatten(bn.logits(INPUTS_DATA));
        Dataset some = INPUTS_DATA.head(GRADIENT_INPUTS);

        assertThatModel(bn).on(some).underAttack(Attacks.fgsm().linf(EPSILON)).report();
        assertThatModel(bn).on(some).underAttack(Attacks.pgd().linf(EPSILON).steps(10).randomStart(false)).report();
        Explainers.integratedGradients(16).explain(bn, some.head(16), 0);

        // train mode would have switched dropout on and moved BatchNorm's running statistics (which
        // no fingerprint covers: they are buffers, not weights): the logits tell
        float[] after = PyTorchReference.flatten(bn.logits(INPUTS_DATA));
        PyTorchReference.report("bn-dropout.pt after FGSM, PGD-10 and IG: eval logits max diff %.3g to PyTorch's,"
                + " %.3g to before", PyTorchReference.maxAbsDifference(after, expectedLogits),
                PyTorchReference.maxAbsDifference(after, before));
        assertThat(after).containsExactly(before);
        assertLogitsClose(after, expectedLogits);
        assertThat(bn.fingerprint()).isEqualTo(fingerprint);
        assertThat(Fingerprints.ofParameters(((DjlClassifier) bn).model().getBlock())).isEqualTo(weights);
    }

    /**
     * Logits as close as {@code torch.testing.assert_close} asks of float32 (|a − b| ≤ 1e-5 + 1.3e-6·|b|):
     * PyTorch 2.7.1 (DJL) and the 1.13 build that wrote the references round differently, by up to
     * 1.2e-5 on bn-dropout's logits of size 10 (4 of 10,000 values beyond 1e-5, on any oneDNN ISA).
     */
    private static void assertLogitsClose(float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("logit %d of sample %d", i % CLASSES, i / CLASSES)
                    .isCloseTo(expected[i], within(1e-5 + 1.3e-6 * Math.abs(expected[i])));
        }
    }

    private static double robustAccuracy(Classifier model, Dataset attacked, Dataset clean) {
        int[] cleanPredictions = model.predict(clean);
        int[] attackedPredictions = model.predict(attacked);
        int robust = 0;
        for (int i = 0; i < clean.size(); i++) {
            robust += cleanPredictions[i] == clean.label(i) && attackedPredictions[i] == clean.label(i) ? 1 : 0;
        }
        return (double) robust / clean.size();
    }
}

package dev.gauntlet.testkits.kits;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;

import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.model.InputGradients;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.util.Optional;

/**
 * Fixture kits on the UCI digits MLP for {@link KitComparisonAndCertificationTests}; run through the
 * engine, never on their own (the name keeps them out of the build's test run).
 */
final class KitTestCases {

    /** The seed of the model that stands in for the one in production. */
    static final long BASELINE_SEED = 7;
    /** How much {@link #regressed()} lowers the logit of {@link #REGRESSED_CLASS}. */
    static final float BIAS_DROP = 5f;
    /** The class {@link #regressed()} gets worse on. */
    static final int REGRESSED_CLASS = 8;

    private KitTestCases() {}

    /**
     * Small samples, so each battery runs in seconds (Wachter's search takes about 1.5 s a sample);
     * every class at 0.85, certification at ε 0.03 on 60 samples.
     */
    static KitThresholds thresholds() {
        return KitThresholds.defaults().withCleanAccuracy(0.9).withClassAccuracy(0.85)
                .withRobustness(0.03, 0.8, 0.7, 0.7).withCorruption(2, 0.85).withConfidence(0.08, 0.7, 0.7)
                .withExplanations(0.5, 0.2, 1.0).withSamples(150, 2).withCertification(0.6, 0.2, 60);
    }

    /** The digits MLP against another training run of it, certified: every new check should pass. */
    static class WithBaselineKit implements TabularClassifierKit {

        @Override
        public Classifier model() {
            return ReferenceModels.load(ReferenceModel.DIGITS_MLP);
        }

        @Override
        public Classifier baselineModel() {
            return ReferenceModels.load(ReferenceModel.DIGITS_MLP, BASELINE_SEED);
        }

        @Override
        public DatasetSplit data() {
            return ReferenceModel.DIGITS_MLP.data();
        }

        @Override
        public KitThresholds thresholds() {
            return KitTestCases.thresholds();
        }
    }

    /**
     * A candidate with one class's logit lowered, against the unchanged model, and without a layer
     * view (as a model file would be): the comparison must fail, certification be skipped.
     */
    static class RegressedCandidateKit extends WithBaselineKit {

        @Override
        public Classifier model() {
            return regressed();
        }

        @Override
        public Classifier baselineModel() {
            return ReferenceModels.load(ReferenceModel.DIGITS_MLP);
        }
    }

    /**
     * No baseline and certification off, on a model that hides its layers and gradients as an ONNX
     * file does (so the white-box checks are skipped and the battery is quick): the comparison is
     * skipped for want of a baseline, certification left out.
     */
    static class WithoutBaselineKit extends WithBaselineKit {

        @Override
        public Classifier model() {
            return new Hiding(ReferenceModels.load(ReferenceModel.DIGITS_MLP), null, true);
        }

        @Override
        public Classifier baselineModel() {
            return null;
        }

        @Override
        public KitThresholds thresholds() {
            return KitTestCases.thresholds().withCertification(KitThresholds.OFF, KitThresholds.OFF, 50);
        }
    }

    /** The digits MLP with {@value #BIAS_DROP} taken off the output bias of class {@value #REGRESSED_CLASS}. */
    static Classifier regressed() {
        Model model = ReferenceModels.loadForTraining(ReferenceModel.DIGITS_MLP, ReferenceModels.DEFAULT_SEED);
        ParameterList parameters = model.getBlock().getParameters();
        Parameter bias = parameters.valueAt(parameters.size() - 1);
        NDArray values = bias.getArray();
        if (!values.getShape().equals(new Shape(10))) {
            model.close();
            throw new IllegalStateException("expected the output bias last, got " + values.getShape());
        }
        float[] shifted = values.toFloatArray();
        shifted[REGRESSED_CLASS] -= BIAS_DROP;
        values.set(shifted);
        DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(64).setNumClasses(10)
                .optName("digits-mlp-worse-on-" + REGRESSED_CLASS).build();
        return new Hiding(classifier, model, false);
    }

    /**
     * A classifier that hides its layers, as an ONNX or TorchScript file does, and optionally its
     * gradients, as ONNX Runtime does; it closes the model it was built on, if any.
     */
    static final class Hiding extends ForwardingClassifier {
        private final Model model;
        private final boolean hideGradients;

        Hiding(Classifier inner, Model model, boolean hideGradients) {
            super(inner);
            this.model = model;
            this.hideGradients = hideGradients;
        }

        @Override
        public boolean hasInputGradients() {
            return !hideGradients && super.hasInputGradients();
        }

        @Override
        public <C> Optional<C> capability(Class<C> type) {
            return type == LayerView.class ? Optional.empty() : super.capability(type);
        }

        @Override
        public String missingCapabilityReason(Class<?> type) {
            if (type == LayerView.class || hideGradients && type == InputGradients.class) {
                return "the test wrapper hides its layers" + (hideGradients ? " and gradients" : "")
                        + ", as a model file would";
            }
            return super.missingCapabilityReason(type);
        }

        @Override
        public void close() {
            super.close();
            if (model != null) {
                model.close();
            }
        }
    }
}

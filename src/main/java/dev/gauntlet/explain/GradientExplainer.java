package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.UnsupportedCapabilityException;

/**
 * Saliency (|∂z_c/∂x|, Simonyan et al. 2014, captum's default {@code abs=True}) and
 * gradient × input (x ⊙ ∂z_c/∂x, Shrikumar et al. 2016), from one input gradient of the class logit.
 */
final class GradientExplainer implements Explainer {

    private final boolean timesInput;

    GradientExplainer(boolean timesInput) {
        this.timesInput = timesInput;
    }

    @Override
    public String name() {
        return timesInput ? "gradient-x-input" : "saliency";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        UnsupportedCapabilityException.requireInputGradients(classifier, name());
        NDArray gradient = classifier.inputGradient(inputs, classes, GradientLoss.classLogit());
        return timesInput ? gradient.mul(inputs) : gradient.abs();
    }
}

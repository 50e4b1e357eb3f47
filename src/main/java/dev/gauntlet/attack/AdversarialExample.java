package dev.gauntlet.attack;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One attacked sample, kept for the report's adversarial grid. Two examples are equal when their
 * features are equal value for value.
 *
 * @param original the clean features, flattened
 * @param adversarial the attacked features, flattened
 * @param label the true class
 * @param cleanPrediction the class predicted on the clean input
 * @param cleanConfidence the softmax probability of that prediction
 * @param adversarialPrediction the class predicted on the attacked input
 * @param adversarialConfidence the softmax probability of that prediction
 */
public record AdversarialExample(float[] original, float[] adversarial, int label, int cleanPrediction,
        float cleanConfidence, int adversarialPrediction, float adversarialConfidence) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the arrays. */
    public AdversarialExample {
        original = original.clone();
        adversarial = adversarial.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdversarialExample that && Arrays.equals(original, that.original)
                && Arrays.equals(adversarial, that.adversarial) && label == that.label
                && cleanPrediction == that.cleanPrediction
                && Float.compare(cleanConfidence, that.cleanConfidence) == 0
                && adversarialPrediction == that.adversarialPrediction
                && Float.compare(adversarialConfidence, that.adversarialConfidence) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(original), Arrays.hashCode(adversarial), label, cleanPrediction,
                cleanConfidence, adversarialPrediction, adversarialConfidence);
    }

    @Override
    public String toString() {
        return "AdversarialExample[label=" + label + ", clean=" + cleanPrediction + " (" + cleanConfidence
                + "), adversarial=" + adversarialPrediction + " (" + adversarialConfidence + "), features="
                + original.length + "]";
    }
}

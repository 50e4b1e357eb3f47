package dev.gauntlet.attack;

/**
 * One attacked sample, kept for the report's adversarial grid.
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
        float cleanConfidence, int adversarialPrediction, float adversarialConfidence) {

    /** Copies the arrays. */
    public AdversarialExample {
        original = original.clone();
        adversarial = adversarial.clone();
    }
}

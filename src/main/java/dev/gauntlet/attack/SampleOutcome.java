package dev.gauntlet.attack;

import java.io.Serializable;

/**
 * What an attack did to one sample: the values a {@link RobustnessReport} aggregates, kept per
 * sample and keyed by the sample's index in the dataset so that reports of disjoint shards merge
 * into exactly the report of the whole dataset.
 *
 * @param index the sample's index in the dataset
 * @param label the true class
 * @param cleanPrediction the class predicted on the clean input
 * @param adversarialPrediction the class predicted on the attacked input
 * @param l2 the L2 norm of the perturbation
 * @param linf the L∞ norm of the perturbation
 * @param boundsExcess the largest amount by which an attacked feature left the bounds (0 when none did)
 */
public record SampleOutcome(int index, int label, int cleanPrediction, int adversarialPrediction, float l2, float linf,
        double boundsExcess) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Tells whether the clean input was classified correctly.
     *
     * @return whether the clean prediction is the label
     */
    public boolean cleanCorrect() {
        return cleanPrediction == label;
    }

    /**
     * Tells whether the sample is robust: correct both clean and attacked.
     *
     * @return whether both predictions are the label
     */
    public boolean robust() {
        return cleanPrediction == label && adversarialPrediction == label;
    }

    /**
     * Tells whether the attack fooled the sample: correct clean, wrong attacked.
     *
     * @return whether the attack changed a correct prediction into a wrong one
     */
    public boolean fooled() {
        return cleanPrediction == label && adversarialPrediction != label;
    }

    /**
     * Returns the perturbation's size in a norm.
     *
     * @param norm L∞ or L2
     * @return {@link #linf()} or {@link #l2()}
     */
    public double size(Norm norm) {
        return norm == Norm.LINF ? linf : l2;
    }
}

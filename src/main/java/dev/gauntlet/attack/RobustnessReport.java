package dev.gauntlet.attack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an attack did to a classifier on a dataset.
 *
 * <p>A sample counts as robust when it is classified correctly both clean and attacked, as in
 * AutoAttack; the success rate is the fraction of the clean-correct samples the attack fooled.
 *
 * @param attack the attack's name with its parameters
 * @param norm the norm of the budget
 * @param epsilon the budget
 * @param samples the number of samples attacked
 * @param cleanAccuracy accuracy on the clean samples
 * @param robustAccuracy the fraction correct both clean and attacked
 * @param attackSuccessRate fooled / clean-correct (0 when nothing was correct)
 * @param medianL2 the median L2 norm of the perturbations of fooled samples (NaN if none)
 * @param medianMinimalPerturbation the median, over clean-correct samples, of the perturbation's
 *     size in the attack's norm where the attack fooled the sample and +∞ where it did not: with a
 *     minimal-perturbation attack (DeepFool, C&amp;W) an estimate of the median minimal ε
 * @param meanL2 the mean L2 norm of all perturbations
 * @param maxLinf the largest L∞ norm of any perturbation
 * @param maxBudgetExcess the largest amount by which a perturbation exceeded ε in its norm (≤ 0 when none did)
 * @param maxBoundsExcess the largest amount by which an attacked feature left the bounds (0 when none did)
 * @param inputsUnchanged whether the attack left its input arrays as they were
 * @param examples up to six attacked samples for the adversarial grid, those the attack fooled first
 */
public record RobustnessReport(String attack, Norm norm, double epsilon, int samples, double cleanAccuracy,
        double robustAccuracy, double attackSuccessRate, double medianL2, double medianMinimalPerturbation, double meanL2, double maxLinf,
        double maxBudgetExcess, double maxBoundsExcess, boolean inputsUnchanged, List<AdversarialExample> examples) {

    /** Copies the examples. */
    public RobustnessReport {
        examples = List.copyOf(examples);
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return every number of the report
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attack", attack);
        map.put("norm", norm.label());
        map.put("epsilon", epsilon);
        map.put("samples", samples);
        map.put("cleanAccuracy", cleanAccuracy);
        map.put("robustAccuracy", robustAccuracy);
        map.put("attackSuccessRate", attackSuccessRate);
        map.put("medianL2OfSuccessfulPerturbations", medianL2);
        map.put("medianMinimalPerturbation", medianMinimalPerturbation);
        map.put("meanL2", meanL2);
        map.put("maxLinf", maxLinf);
        map.put("maxBudgetExcess", maxBudgetExcess);
        map.put("maxBoundsExcess", maxBoundsExcess);
        map.put("inputsUnchanged", inputsUnchanged);
        return map;
    }
}

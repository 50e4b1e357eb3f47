package dev.gauntlet.testkits.kits;

/**
 * The bars a kit's battery holds a model to, and how much data each check uses. Immutable; start
 * from {@link #defaults()} and change what matters with the {@code with*} methods.
 *
 * @param cleanAccuracy least accuracy on the held-out data
 * @param attackEpsilon the L∞ budget of FGSM, PGD and the cascade (in input units)
 * @param fgsmRobustAccuracy least robust accuracy under FGSM
 * @param pgdRobustAccuracy least robust accuracy under PGD-20
 * @param cascadeRobustAccuracy least robust accuracy under the AutoAttack-style cascade
 * @param corruptionSeverity the severity (1–5) of the corruption checks
 * @param corruptionAccuracy least accuracy under each corruption
 * @param maxEce largest expected calibration error
 * @param trustAuroc least AUROC of the trust score separating correct from wrong predictions
 * @param oodAuroc least AUROC of MC-dropout mutual information separating out-of-distribution data
 * @param counterfactualValidity least fraction of samples with a valid counterfactual
 * @param minCounterfactualDistance least median L2 distance of the counterfactuals
 * @param maxSensitivity largest mean max-sensitivity of the explanations
 * @param attackSamples held-out samples the attacks, calibration-free checks and drift use
 * @param searchSamples samples the counterfactual and explanation checks use (they are costlier)
 * @param seed the seed of every random choice
 */
public record KitThresholds(double cleanAccuracy, double attackEpsilon, double fgsmRobustAccuracy,
        double pgdRobustAccuracy, double cascadeRobustAccuracy, int corruptionSeverity, double corruptionAccuracy,
        double maxEce, double trustAuroc, double oodAuroc, double counterfactualValidity,
        double minCounterfactualDistance, double maxSensitivity, int attackSamples, int searchSamples, long seed) {

    /** Validates the values. */
    public KitThresholds {
        for (double fraction : new double[] {cleanAccuracy, fgsmRobustAccuracy, pgdRobustAccuracy,
                cascadeRobustAccuracy, corruptionAccuracy, maxEce, trustAuroc, oodAuroc, counterfactualValidity}) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("accuracies, AUROCs, ECE and validity must be in [0, 1], got "
                        + fraction);
            }
        }
        if (!(attackEpsilon >= 0) || Double.isInfinite(attackEpsilon)) {
            throw new IllegalArgumentException("attackEpsilon must be finite and >= 0, got " + attackEpsilon);
        }
        if (corruptionSeverity < 1 || corruptionSeverity > 5) {
            throw new IllegalArgumentException("corruptionSeverity must be in 1..5, got " + corruptionSeverity);
        }
        if (attackSamples < 1 || searchSamples < 1) {
            throw new IllegalArgumentException("attackSamples and searchSamples must be >= 1");
        }
        if (!(minCounterfactualDistance >= 0) || !(maxSensitivity >= 0)) {
            throw new IllegalArgumentException("minCounterfactualDistance and maxSensitivity must be >= 0");
        }
    }

    /**
     * Lenient defaults to start from: 0.8 clean accuracy, ε = 0.03 with 0.5 / 0.3 / 0.3 robust
     * accuracy, severity-2 corruptions at 0.7, ECE ≤ 0.05, trust and OOD AUROC ≥ 0.7, 90% valid
     * counterfactuals at median L2 ≥ 0.1, max-sensitivity ≤ 1; 500 samples for attacks, 20 for
     * searches; seed 0.
     *
     * @return the defaults
     */
    public static KitThresholds defaults() {
        return new KitThresholds(0.8, 0.03, 0.5, 0.3, 0.3, 2, 0.7, 0.05, 0.7, 0.7, 0.9, 0.1, 1.0, 500, 20, 0);
    }

    /** @param value least clean accuracy; @return a copy */
    public KitThresholds withCleanAccuracy(double value) {
        return new KitThresholds(value, attackEpsilon, fgsmRobustAccuracy, pgdRobustAccuracy, cascadeRobustAccuracy,
                corruptionSeverity, corruptionAccuracy, maxEce, trustAuroc, oodAuroc, counterfactualValidity,
                minCounterfactualDistance, maxSensitivity, attackSamples, searchSamples, seed);
    }

    /**
     * Sets the attack budget and the robust accuracies it must leave.
     *
     * @param epsilon the L∞ budget
     * @param fgsm least robust accuracy under FGSM
     * @param pgd least robust accuracy under PGD-20
     * @param cascade least robust accuracy under the cascade
     * @return a copy
     */
    public KitThresholds withRobustness(double epsilon, double fgsm, double pgd, double cascade) {
        return new KitThresholds(cleanAccuracy, epsilon, fgsm, pgd, cascade, corruptionSeverity, corruptionAccuracy,
                maxEce, trustAuroc, oodAuroc, counterfactualValidity, minCounterfactualDistance, maxSensitivity,
                attackSamples, searchSamples, seed);
    }

    /**
     * Sets the corruption checks.
     *
     * @param severity 1–5
     * @param accuracy least accuracy under each corruption
     * @return a copy
     */
    public KitThresholds withCorruption(int severity, double accuracy) {
        return new KitThresholds(cleanAccuracy, attackEpsilon, fgsmRobustAccuracy, pgdRobustAccuracy,
                cascadeRobustAccuracy, severity, accuracy, maxEce, trustAuroc, oodAuroc, counterfactualValidity,
                minCounterfactualDistance, maxSensitivity, attackSamples, searchSamples, seed);
    }

    /**
     * Sets the confidence checks.
     *
     * @param ece largest expected calibration error
     * @param trust least trust-score AUROC
     * @param ood least MC-dropout OOD AUROC
     * @return a copy
     */
    public KitThresholds withConfidence(double ece, double trust, double ood) {
        return new KitThresholds(cleanAccuracy, attackEpsilon, fgsmRobustAccuracy, pgdRobustAccuracy,
                cascadeRobustAccuracy, corruptionSeverity, corruptionAccuracy, ece, trust, ood, counterfactualValidity,
                minCounterfactualDistance, maxSensitivity, attackSamples, searchSamples, seed);
    }

    /**
     * Sets the counterfactual and explanation checks.
     *
     * @param validity least fraction of valid counterfactuals
     * @param distance least median L2 counterfactual distance
     * @param sensitivity largest mean max-sensitivity
     * @return a copy
     */
    public KitThresholds withExplanations(double validity, double distance, double sensitivity) {
        return new KitThresholds(cleanAccuracy, attackEpsilon, fgsmRobustAccuracy, pgdRobustAccuracy,
                cascadeRobustAccuracy, corruptionSeverity, corruptionAccuracy, maxEce, trustAuroc, oodAuroc, validity,
                distance, sensitivity, attackSamples, searchSamples, seed);
    }

    /**
     * Sets how much data the checks use.
     *
     * @param attacks samples for attacks and drift
     * @param searches samples for counterfactuals and explanations
     * @return a copy
     */
    public KitThresholds withSamples(int attacks, int searches) {
        return new KitThresholds(cleanAccuracy, attackEpsilon, fgsmRobustAccuracy, pgdRobustAccuracy,
                cascadeRobustAccuracy, corruptionSeverity, corruptionAccuracy, maxEce, trustAuroc, oodAuroc,
                counterfactualValidity, minCounterfactualDistance, maxSensitivity, attacks, searches, seed);
    }
}

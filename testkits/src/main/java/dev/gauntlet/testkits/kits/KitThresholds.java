package dev.gauntlet.testkits.kits;

import java.util.function.Consumer;

/**
 * The bars a kit's battery holds a model to, and how much data each check uses. Immutable; start
 * from {@link #defaults()} and change what matters with the {@code with*} methods.
 *
 * <p>Optional checks: the per-class bar is on at 0.5 (a class the model gets wrong more often than
 * right); the comparison with a baseline runs when the kit returns a {@code baselineModel()}, with
 * the margins of {@link #withBaseline}; certified bounds run only when {@link #withCertification}
 * sets a bar, because CROWN costs 1–3 s per sample on a Fashion-MNIST-sized CNN (milliseconds on
 * an MLP).
 *
 * @param cleanAccuracy least accuracy on the held-out data
 * @param classAccuracy least accuracy of every class on the held-out data, judged with a 95% Wilson
 *        interval (a class fails only when its whole interval is below the bar); {@code 0} leaves the
 *        check out
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
 * @param baselineAccuracyMargin δ: how much lower than the baseline's the accuracy may be
 * @param baselineClassMargin δ: how much lower than the baseline's any class's recall may be
 * @param baselineRobustMargin δ: how much lower than the baseline's the robust accuracy under FGSM at
 *        {@code attackEpsilon} may be
 * @param baselineAlpha α: a drop beyond δ fails only when McNemar's one-sided mid-p value is below it
 *        (Holm-adjusted over the classes for recall)
 * @param certifiedAccuracy least fraction of the certification sample that CROWN proves robust within
 *        {@code attackEpsilon}; {@link #OFF} leaves the check out
 * @param maxOpenFraction largest fraction of the certification sample neither certified nor broken by
 *        PGD-20; {@link #OFF} leaves the check out
 * @param certificationSamples held-out samples (a seeded sample) the certification checks use
 * @param attackSamples held-out samples the attacks, calibration-free checks and drift use
 * @param searchSamples samples the counterfactual and explanation checks use (they are costlier)
 * @param seed the seed of every random choice
 */
public record KitThresholds(double cleanAccuracy, double classAccuracy, double attackEpsilon,
        double fgsmRobustAccuracy, double pgdRobustAccuracy, double cascadeRobustAccuracy, int corruptionSeverity,
        double corruptionAccuracy, double maxEce, double trustAuroc, double oodAuroc, double counterfactualValidity,
        double minCounterfactualDistance, double maxSensitivity, double baselineAccuracyMargin,
        double baselineClassMargin, double baselineRobustMargin, double baselineAlpha, double certifiedAccuracy,
        double maxOpenFraction, int certificationSamples, int attackSamples, int searchSamples, long seed) {

    /** A bar that is not set: the check it belongs to is left out of the battery. */
    public static final double OFF = Double.NaN;

    /** Validates the values. */
    public KitThresholds {
        for (double fraction : new double[] {cleanAccuracy, classAccuracy, fgsmRobustAccuracy, pgdRobustAccuracy,
                cascadeRobustAccuracy, corruptionAccuracy, maxEce, trustAuroc, oodAuroc, counterfactualValidity,
                baselineAccuracyMargin, baselineClassMargin, baselineRobustMargin}) {
            requireFraction(fraction, "accuracies, AUROCs, ECE, validity and margins");
        }
        for (double optional : new double[] {certifiedAccuracy, maxOpenFraction}) {
            if (!Double.isNaN(optional)) {
                requireFraction(optional, "certifiedAccuracy and maxOpenFraction (or KitThresholds.OFF)");
            }
        }
        if (!(baselineAlpha > 0 && baselineAlpha < 0.5)) {
            throw new IllegalArgumentException("baselineAlpha must be in (0, 0.5), e.g. 0.05, got " + baselineAlpha);
        }
        if (!(attackEpsilon >= 0) || Double.isInfinite(attackEpsilon)) {
            throw new IllegalArgumentException("attackEpsilon must be finite and >= 0, got " + attackEpsilon);
        }
        if (corruptionSeverity < 1 || corruptionSeverity > 5) {
            throw new IllegalArgumentException("corruptionSeverity must be in 1..5, got " + corruptionSeverity);
        }
        if (attackSamples < 1 || searchSamples < 1 || certificationSamples < 1) {
            throw new IllegalArgumentException("attackSamples, searchSamples and certificationSamples must be >= 1");
        }
        if (!(minCounterfactualDistance >= 0) || !(maxSensitivity >= 0)) {
            throw new IllegalArgumentException("minCounterfactualDistance and maxSensitivity must be >= 0");
        }
    }

    private static void requireFraction(double value, String what) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + value);
        }
    }

    /**
     * Lenient defaults to start from: 0.8 clean accuracy and 0.5 for every class, ε = 0.03 with
     * 0.5 / 0.3 / 0.3 robust accuracy, severity-2 corruptions at 0.7, ECE ≤ 0.05, trust and OOD
     * AUROC ≥ 0.7, 90% valid counterfactuals at median L2 ≥ 0.1, max-sensitivity ≤ 1; against a
     * baseline, accuracy at most 0.01 lower, no class's recall more than 0.02 lower and FGSM robust
     * accuracy at most 0.03 lower, each at α = 0.05; certification off (50 samples once a bar is
     * set); 500 samples for attacks, 20 for searches; seed 0.
     *
     * @return the defaults
     */
    public static KitThresholds defaults() {
        return new KitThresholds(0.8, 0.5, 0.03, 0.5, 0.3, 0.3, 2, 0.7, 0.05, 0.7, 0.7, 0.9, 0.1, 1.0,
                0.01, 0.02, 0.03, 0.05, OFF, OFF, 50, 500, 20, 0);
    }

    /**
     * Tells whether {@link #certifiedAccuracy()} or {@link #maxOpenFraction()} is set, i.e. whether the
     * battery runs the certification checks.
     *
     * @return whether certification is on
     */
    public boolean certifies() {
        return !Double.isNaN(certifiedAccuracy) || !Double.isNaN(maxOpenFraction);
    }

    /**
     * Sets the least clean accuracy.
     *
     * @param value least clean accuracy
     * @return a copy
     */
    public KitThresholds withCleanAccuracy(double value) {
        return copy(v -> v.cleanAccuracy = value);
    }

    /**
     * Sets the bar every class must meet on its own ({@code forEveryClass().hasAccuracyAtLeast(bar)}):
     * a class fails when the upper bound of its 95% Wilson interval is below the bar, so a class with
     * few held-out samples does not fail on noise. 0.5 by default; {@code 0} leaves the check out.
     *
     * @param bar least accuracy of every class, in [0, 1]
     * @return a copy
     */
    public KitThresholds withClassAccuracy(double bar) {
        return copy(v -> v.classAccuracy = bar);
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
        return copy(v -> {
            v.attackEpsilon = epsilon;
            v.fgsmRobustAccuracy = fgsm;
            v.pgdRobustAccuracy = pgd;
            v.cascadeRobustAccuracy = cascade;
        });
    }

    /**
     * Sets the corruption checks.
     *
     * @param severity 1–5
     * @param accuracy least accuracy under each corruption
     * @return a copy
     */
    public KitThresholds withCorruption(int severity, double accuracy) {
        return copy(v -> {
            v.corruptionSeverity = severity;
            v.corruptionAccuracy = accuracy;
        });
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
        return copy(v -> {
            v.maxEce = ece;
            v.trustAuroc = trust;
            v.oodAuroc = ood;
        });
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
        return copy(v -> {
            v.counterfactualValidity = validity;
            v.minCounterfactualDistance = distance;
            v.maxSensitivity = sensitivity;
        });
    }

    /**
     * Sets how far below the baseline ({@code baselineModel()}) the candidate may fall. A check fails
     * when the candidate is worse by more than δ <em>and</em> McNemar's one-sided mid-p value on the
     * paired predictions is below α (per class, Holm-adjusted): a drop both material and not noise.
     * Defaults: 0.01, 0.02, 0.03 and α = 0.05.
     *
     * @param accuracyMargin δ for held-out accuracy
     * @param classMargin δ for every class's recall
     * @param robustMargin δ for robust accuracy under FGSM at the attack budget
     * @param alpha the significance level, in (0, 0.5)
     * @return a copy
     */
    public KitThresholds withBaseline(double accuracyMargin, double classMargin, double robustMargin, double alpha) {
        return copy(v -> {
            v.baselineAccuracyMargin = accuracyMargin;
            v.baselineClassMargin = classMargin;
            v.baselineRobustMargin = robustMargin;
            v.baselineAlpha = alpha;
        });
    }

    /**
     * Turns on the certified bounds at the attack budget: on a seeded sample of held-out data, CROWN
     * proves samples robust within the L∞ ball (a lower bound on robust accuracy) and PGD-20 breaks
     * others (an upper bound); the samples neither settles are open. Either bar may be {@link #OFF}.
     * The model needs a layer view of supported layers (Linear, Conv2d, ReLU, pooling, flatten,
     * dropout, batch norm); other models are reported as skipped, with the reason. Cost: milliseconds
     * per sample on an MLP, 1–3 s on a Fashion-MNIST-sized CNN.
     *
     * @param certified least certified accuracy, in [0, 1], or {@link #OFF}
     * @param maxOpen largest open fraction, in [0, 1], or {@link #OFF}
     * @param samples how many held-out samples to certify
     * @return a copy
     */
    public KitThresholds withCertification(double certified, double maxOpen, int samples) {
        return copy(v -> {
            v.certifiedAccuracy = certified;
            v.maxOpenFraction = maxOpen;
            v.certificationSamples = samples;
        });
    }

    /**
     * Sets how much data the checks use.
     *
     * @param attacks samples for attacks and drift
     * @param searches samples for counterfactuals and explanations
     * @return a copy
     */
    public KitThresholds withSamples(int attacks, int searches) {
        return copy(v -> {
            v.attackSamples = attacks;
            v.searchSamples = searches;
        });
    }

    /**
     * Sets the seed of every random choice (samples, attacks' random starts).
     *
     * @param newSeed the seed
     * @return a copy
     */
    public KitThresholds withSeed(long newSeed) {
        return copy(v -> v.seed = newSeed);
    }

    private KitThresholds copy(Consumer<Values> change) {
        Values v = new Values(this);
        change.accept(v);
        return v.build();
    }

    /** The components as mutable fields, so each {@code with*} method names only what it changes. */
    private static final class Values {
        double cleanAccuracy;
        double classAccuracy;
        double attackEpsilon;
        double fgsmRobustAccuracy;
        double pgdRobustAccuracy;
        double cascadeRobustAccuracy;
        int corruptionSeverity;
        double corruptionAccuracy;
        double maxEce;
        double trustAuroc;
        double oodAuroc;
        double counterfactualValidity;
        double minCounterfactualDistance;
        double maxSensitivity;
        double baselineAccuracyMargin;
        double baselineClassMargin;
        double baselineRobustMargin;
        double baselineAlpha;
        double certifiedAccuracy;
        double maxOpenFraction;
        int certificationSamples;
        int attackSamples;
        int searchSamples;
        long seed;

        Values(KitThresholds t) {
            cleanAccuracy = t.cleanAccuracy;
            classAccuracy = t.classAccuracy;
            attackEpsilon = t.attackEpsilon;
            fgsmRobustAccuracy = t.fgsmRobustAccuracy;
            pgdRobustAccuracy = t.pgdRobustAccuracy;
            cascadeRobustAccuracy = t.cascadeRobustAccuracy;
            corruptionSeverity = t.corruptionSeverity;
            corruptionAccuracy = t.corruptionAccuracy;
            maxEce = t.maxEce;
            trustAuroc = t.trustAuroc;
            oodAuroc = t.oodAuroc;
            counterfactualValidity = t.counterfactualValidity;
            minCounterfactualDistance = t.minCounterfactualDistance;
            maxSensitivity = t.maxSensitivity;
            baselineAccuracyMargin = t.baselineAccuracyMargin;
            baselineClassMargin = t.baselineClassMargin;
            baselineRobustMargin = t.baselineRobustMargin;
            baselineAlpha = t.baselineAlpha;
            certifiedAccuracy = t.certifiedAccuracy;
            maxOpenFraction = t.maxOpenFraction;
            certificationSamples = t.certificationSamples;
            attackSamples = t.attackSamples;
            searchSamples = t.searchSamples;
            seed = t.seed;
        }

        KitThresholds build() {
            return new KitThresholds(cleanAccuracy, classAccuracy, attackEpsilon, fgsmRobustAccuracy,
                    pgdRobustAccuracy, cascadeRobustAccuracy, corruptionSeverity, corruptionAccuracy, maxEce,
                    trustAuroc, oodAuroc, counterfactualValidity, minCounterfactualDistance, maxSensitivity,
                    baselineAccuracyMargin, baselineClassMargin, baselineRobustMargin, baselineAlpha,
                    certifiedAccuracy, maxOpenFraction, certificationSamples, attackSamples, searchSamples, seed);
        }
    }
}

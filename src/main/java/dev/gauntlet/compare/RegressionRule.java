package dev.gauntlet.compare;

/**
 * When a candidate counts as worse than its baseline by more than a margin δ, decided on paired
 * predictions. Two rules, for two questions a release gate can ask.
 *
 * <p>{@link #SIGNIFICANT_REGRESSION} (the default) asks "is there evidence that the candidate got
 * worse by more than δ?": it fails when the observed difference is below −δ <em>and</em> the one-sided
 * McNemar mid-p value (alternative: more regressions than improvements) is below α. Both are needed:
 * the margin keeps a real but immaterial drop (0.2 points on 100,000 samples) from failing, the test
 * keeps a material-looking drop that is only noise (3 flips on 40 samples) from failing. A gate under
 * this rule fails rarely by chance (at most α when the models are equally good), so it can run on every
 * build; on small test sets it lets regressions through, which the evidence's interval shows.
 *
 * <p>{@link #NON_INFERIORITY} asks "has the candidate shown it is not worse by more than δ?": it fails
 * when the lower bound of Newcombe's interval of candidate − baseline is below −δ (the comparison's
 * interval at level 1 − 2α, so the bound is a one-sided 1 − α bound; the assertions set that level).
 * This is the non-inferiority test of clinical trials: the burden of proof is on the candidate, and a
 * small test set fails until it is large enough to rule out a drop of δ.
 *
 * <p>For calibration the same two rules apply to the ECE difference (higher is worse) with the paired
 * bootstrap: a significant regression is {@code ECE diff > δ} and bootstrap p below α; non-inferiority
 * fails when the interval's upper bound is above δ.
 */
public enum RegressionRule {

    /** Fail when the drop exceeds δ and McNemar's one-sided mid-p value is below α (the default). */
    SIGNIFICANT_REGRESSION,
    /** Fail when the interval's lower bound of candidate − baseline is below −δ (non-inferiority). */
    NON_INFERIORITY;

    /**
     * Tells whether the candidate regressed by more than {@code margin} on a group.
     *
     * @param comparison the paired comparison
     * @param margin δ, the largest acceptable drop, in [0, 1]
     * @param alpha α, the significance level
     * @param holm whether to use the Holm-adjusted p-value (when several classes are judged together)
     * @return true when the gate should fail
     */
    public boolean regressed(PairedComparison comparison, double margin, double alpha, boolean holm) {
        return switch (this) {
            case SIGNIFICANT_REGRESSION -> comparison.difference().estimate() < -margin
                    && (holm ? comparison.holmMidP() : comparison.test().midPOneSided()) < alpha;
            case NON_INFERIORITY -> comparison.difference().lower() < -margin;
        };
    }

    /**
     * Tells whether the candidate's calibration got worse by more than {@code margin}.
     *
     * @param comparison the calibration comparison
     * @param margin δ, the largest acceptable ECE increase
     * @param alpha α
     * @return true when the gate should fail
     */
    public boolean regressed(CalibrationComparison comparison, double margin, double alpha) {
        return switch (this) {
            case SIGNIFICANT_REGRESSION -> comparison.difference() > margin && comparison.pNotWorse() < alpha;
            case NON_INFERIORITY -> comparison.upper() > margin;
        };
    }

    /**
     * Describes the rule with its parameters, for evidence and failure messages.
     *
     * @param margin δ
     * @param alpha α
     * @return the rule in words
     */
    public String describe(double margin, double alpha) {
        return switch (this) {
            case SIGNIFICANT_REGRESSION -> "fail when the candidate is worse by more than " + margin
                    + " and McNemar's one-sided mid-p < " + alpha;
            case NON_INFERIORITY -> "fail when the " + Math.round((1 - 2 * alpha) * 100)
                    + "% Newcombe interval's lower bound is below -" + margin;
        };
    }
}

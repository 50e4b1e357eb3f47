package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sanity checks of an attack evaluation, after Carlini et al. (2019), "On Evaluating Adversarial
 * Robustness", and AutoAttack's flags: a robust accuracy that fails them reflects a broken
 * attack or a model that hides its gradients (gradient masking), not robustness.
 *
 * <p>Checks, in order (each a {@link SanityFinding} named by the constant):
 * {@value #LOGITS}, {@value #DETERMINISTIC}, {@value #GRADIENTS}, {@value #EPSILON_ZERO},
 * {@value #WITHIN_BUDGET}, {@value #INPUTS_UNCHANGED}, {@value #ROBUST_AT_MOST_CLEAN},
 * {@value #MONOTONE_IN_EPSILON}, {@value #ITERATIVE_BEATS_SINGLE_STEP},
 * {@value #MORE_STEPS_CHANGE_LITTLE}, {@value #LARGE_EPSILON_BREAKS},
 * {@value #BLACK_BOX_NOT_STRONGER}. Accuracy comparisons allow a tolerance [0.02].
 */
public final class SanityChecks {

    /** The model's outputs must be logits, not probabilities. */
    public static final String LOGITS = "outputs are logits";
    /** Identical inputs must give identical outputs. */
    public static final String DETERMINISTIC = "outputs are deterministic";
    /** Input gradients must be finite and not all zero. */
    public static final String GRADIENTS = "gradients are informative";
    /** ε = 0 must leave the inputs unchanged. */
    public static final String EPSILON_ZERO = "epsilon 0 changes nothing";
    /** Perturbations must stay within ε and the bounds. */
    public static final String WITHIN_BUDGET = "perturbations within epsilon and bounds";
    /** The attack must not modify its input arrays. */
    public static final String INPUTS_UNCHANGED = "inputs not mutated";
    /** Robust accuracy must not exceed clean accuracy. */
    public static final String ROBUST_AT_MOST_CLEAN = "robust accuracy at most clean";
    /** Robust accuracy must not rise as ε grows. */
    public static final String MONOTONE_IN_EPSILON = "robust accuracy non-increasing in epsilon";
    /** An iterative attack must do at least as well as a single step. */
    public static final String ITERATIVE_BEATS_SINGLE_STEP = "iterative at least as strong as single-step";
    /** Doubling steps and restarts must change robust accuracy little. */
    public static final String MORE_STEPS_CHANGE_LITTLE = "more steps and restarts change little";
    /** An unbounded budget must drive accuracy to about zero. */
    public static final String LARGE_EPSILON_BREAKS = "large epsilon drives accuracy to zero";
    /** A black-box attack must not beat the white-box one. */
    public static final String BLACK_BOX_NOT_STRONGER = "black-box not stronger than white-box";

    private SanityChecks() {}

    /**
     * Runs every check with tolerance 0.02.
     *
     * @param classifier the model
     * @param data the samples (their size drives the cost: the checks run about six attacks)
     * @param attack the attack whose evaluation is checked
     * @param seed the seed
     * @return the findings
     */
    public static SanityReport run(Classifier classifier, Dataset data, Attack attack, long seed) {
        return run(classifier, data, attack, seed, 0.02);
    }

    /**
     * Runs every check.
     *
     * @param classifier the model
     * @param data the samples
     * @param attack the attack whose evaluation is checked
     * @param seed the seed
     * @param tolerance the accuracy difference comparisons allow, in [0, 1]
     * @return the findings
     */
    public static SanityReport run(Classifier classifier, Dataset data, Attack attack, long seed, double tolerance) {
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1], got " + tolerance);
        }
        List<SanityFinding> findings = new ArrayList<>();
        checkOutputsAndGradients(classifier, data, findings);

        RobustnessReport report = RobustnessEvaluator.evaluate(classifier, data, attack, seed);
        RobustnessReport zero = RobustnessEvaluator.evaluate(classifier, data, attack.withEpsilon(0), seed);
        findings.add(new SanityFinding(EPSILON_ZERO, zero.maxLinf() == 0,
                "largest change at epsilon 0: " + zero.maxLinf()));
        double slack = 1e-5 + 1e-6 * attack.epsilon();
        findings.add(new SanityFinding(WITHIN_BUDGET, report.maxBudgetExcess() <= slack && report.maxBoundsExcess() <= 1e-6,
                String.format(Locale.ROOT, "largest excess over epsilon %.3g, over the bounds %.3g",
                        Math.max(0, report.maxBudgetExcess()), report.maxBoundsExcess())));
        findings.add(new SanityFinding(INPUTS_UNCHANGED, report.inputsUnchanged(),
                report.inputsUnchanged() ? "input arrays unchanged" : "the attack modified its input arrays"));
        findings.add(new SanityFinding(ROBUST_AT_MOST_CLEAN, report.robustAccuracy() <= report.cleanAccuracy(),
                String.format(Locale.ROOT, "robust %.4f, clean %.4f", report.robustAccuracy(), report.cleanAccuracy())));
        if (Double.isFinite(attack.epsilon()) && attack.epsilon() > 0) {
            double half = RobustnessEvaluator.evaluate(classifier, data, attack.withEpsilon(attack.epsilon() / 2), seed)
                    .robustAccuracy();
            findings.add(new SanityFinding(MONOTONE_IN_EPSILON, report.robustAccuracy() <= half + tolerance,
                    String.format(Locale.ROOT, "robust %.4f at epsilon %s, %.4f at epsilon/2", report.robustAccuracy(),
                            Attacks.format(attack.epsilon()), half)));
            double fgsm = RobustnessEvaluator.evaluate(classifier, data,
                    attack.norm() == Norm.LINF ? Attacks.fgsm().linf(attack.epsilon()) : Attacks.fgsm().l2(attack.epsilon()),
                    seed).robustAccuracy();
            findings.add(new SanityFinding(ITERATIVE_BEATS_SINGLE_STEP, report.robustAccuracy() <= fgsm + tolerance,
                    String.format(Locale.ROOT, "robust %.4f under %s, %.4f under FGSM", report.robustAccuracy(),
                            attack.name(), fgsm)));
            if (attack instanceof PgdAttack pgd) {
                double stronger = RobustnessEvaluator.evaluate(classifier, data,
                        pgd.steps(2 * pgd.steps()).restarts(2 * pgd.restarts()), seed).robustAccuracy();
                findings.add(new SanityFinding(MORE_STEPS_CHANGE_LITTLE,
                        report.robustAccuracy() - stronger <= tolerance, String.format(Locale.ROOT,
                        "robust %.4f with %d steps x %d restarts, %.4f with twice both", report.robustAccuracy(),
                        pgd.steps(), pgd.restarts(), stronger)));
            }
            if (attack.norm() == Norm.LINF) {
                double blackBox = RobustnessEvaluator.evaluate(classifier, data,
                        Attacks.square().linf(attack.epsilon()).queries(300), seed).robustAccuracy();
                findings.add(new SanityFinding(BLACK_BOX_NOT_STRONGER, blackBox >= report.robustAccuracy() - tolerance,
                        String.format(Locale.ROOT, "robust %.4f under Square (300 queries), %.4f under %s", blackBox,
                                report.robustAccuracy(), attack.name())));
            }
        }
        // the margin loss, not the cross-entropy: at such budgets the softmax saturates and the
        // cross-entropy's gradient underflows to zero, which would blame the model for the attack
        double large = RobustnessEvaluator.evaluate(classifier, data,
                Attacks.apgd().linf(largeEpsilon(data.bounds())).steps(20).loss(ApgdAttack.Loss.MARGIN), seed)
                .robustAccuracy();
        findings.add(new SanityFinding(LARGE_EPSILON_BREAKS, large <= tolerance, String.format(Locale.ROOT,
                "robust %.4f under APGD-20 (margin loss) with epsilon %s (%s)", large,
                Attacks.format(largeEpsilon(data.bounds())), Double.isFinite(data.bounds().upper()
                        - data.bounds().lower()) ? "the whole value range" : "unbounded data")));
        return new SanityReport(attack.name(), data.size(), findings);
    }

    private static double largeEpsilon(ValueBounds bounds) {
        return Double.isFinite(bounds.upper() - bounds.lower()) ? bounds.upper() - bounds.lower() : 100;
    }

    private static void checkOutputsAndGradients(Classifier classifier, Dataset data, List<SanityFinding> findings) {
        Batch batch = data.batches(Math.min(classifier.batchSize(), 128)).get(0);
        try (NDManager scope = classifier.newScope()) {
            NDArray x = batch.features(scope);
            float[] first = classifier.logits(x).toFloatArray();
            float[] second = classifier.logits(x).toFloatArray();
            int classes = classifier.numClasses();
            boolean probabilities = true;
            for (int i = 0; i < batch.size() && probabilities; i++) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    float v = first[i * classes + c];
                    probabilities &= v >= 0 && v <= 1;
                    sum += v;
                }
                probabilities &= Math.abs(sum - 1) < 1e-3;
            }
            findings.add(new SanityFinding(LOGITS, !probabilities, probabilities
                    ? "every output row lies in [0, 1] and sums to 1: the model returns probabilities; remove its final"
                            + " softmax so attacks and losses see logits"
                    : "outputs are not probability rows"));
            double drift = 0;
            for (int i = 0; i < first.length; i++) {
                drift = Math.max(drift, Math.abs(first[i] - second[i]));
            }
            findings.add(new SanityFinding(DETERMINISTIC, drift <= 1e-6, String.format(Locale.ROOT,
                    "largest difference between two identical calls: %.3g%s", drift, drift <= 1e-6 ? ""
                            : " (randomness at inference, e.g. active dropout or input noise, hides gradients)")));
            NDArray labels = classifier.logits(x).argMax(1).toType(DataType.INT32, false);
            float[] gradient = classifier.inputGradient(x, labels, GradientLoss.classLogit()).toFloatArray();
            int width = gradient.length / batch.size();
            int zero = 0;
            boolean nan = false;
            for (int i = 0; i < batch.size(); i++) {
                boolean allZero = true;
                for (int j = 0; j < width; j++) {
                    float g = gradient[i * width + j];
                    nan |= Float.isNaN(g) || Float.isInfinite(g);
                    allZero &= g == 0;
                }
                zero += allZero ? 1 : 0;
            }
            boolean informative = !nan && zero <= batch.size() / 100;
            findings.add(new SanityFinding(GRADIENTS, informative, String.format(Locale.ROOT,
                    "%d of %d samples have an all-zero gradient of their predicted logit%s", zero, batch.size(),
                    nan ? "; some gradients are NaN or infinite" : "")));
        }
    }
}

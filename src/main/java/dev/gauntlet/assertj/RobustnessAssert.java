package dev.gauntlet.assertj;

import dev.gauntlet.assertj.error.ShouldPassSanityChecks;
import dev.gauntlet.attack.AccuracyCurve;
import dev.gauntlet.attack.AdversarialExample;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.attack.SanityChecks;
import dev.gauntlet.attack.SanityReport;
import dev.gauntlet.certify.BoundMethod;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Assertions on a classifier under an adversarial attack. The attack runs once per assertion
 * object, on first use; every check records the metrics JSON and the adversarial grid (original
 * | perturbation | adversarial, with true and predicted labels and confidences) before it can fail.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).underAttack(pgd().linf(0.1).steps(20)).hasRobustAccuracyAtLeast(0.6);
 * }</pre>
 */
public class RobustnessAssert extends GauntletAssert<RobustnessAssert, ModelUnderAttack> {

    private RobustnessReport report;
    private SanityReport sanity;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).underAttack(attack)}.
     *
     * @param actual the model, data and attack
     */
    public RobustnessAssert(ModelUnderAttack actual) {
        super(actual, RobustnessAssert.class);
    }

    /**
     * Verifies that the robust accuracy (correct both clean and attacked) is at least {@code threshold}.
     *
     * @param threshold the least acceptable robust accuracy, in [0, 1]
     * @return this assertion
     */
    public RobustnessAssert hasRobustAccuracyAtLeast(double threshold) {
        return hasRate("robust accuracy", "under", threshold, true, RobustnessReport::robustAccuracy);
    }

    /**
     * Verifies that the robust accuracy is at most {@code threshold}: the attack does break the
     * model, e.g. to show that a standard-trained baseline is vulnerable where a defended one is not.
     *
     * @param threshold the largest acceptable robust accuracy, in [0, 1]
     * @return this assertion
     */
    public RobustnessAssert hasRobustAccuracyAtMost(double threshold) {
        return hasRate("robust accuracy", "under", threshold, false, RobustnessReport::robustAccuracy);
    }

    /**
     * Verifies that the attack fools at most {@code threshold} of the correctly classified samples.
     *
     * @param threshold the largest acceptable success rate, in [0, 1]
     * @return this assertion
     */
    public RobustnessAssert hasAttackSuccessRateAtMost(double threshold) {
        return hasRate("attack success rate", "of", threshold, false, RobustnessReport::attackSuccessRate);
    }

    /**
     * Measures a rate in [0, 1] and holds it to a bar.
     *
     * @param metric the rate's name, which also names the check
     * @param preposition how the check's name joins the attack's: "under", "of"
     * @param threshold the bar, in [0, 1]
     * @param atLeast whether the rate must reach the bar (or stay at most at it)
     * @param rate the rate, read from the report
     * @return this assertion
     */
    private RobustnessAssert hasRate(String metric, String preposition, double threshold, boolean atLeast,
            ToDoubleFunction<RobustnessReport> rate) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        RobustnessReport result = measure(metric, parameters);
        String check = metric + " " + preposition + " " + actual.attack().name();
        failUnless(atLeast, check, parameters, result.samples(), metric, threshold, rate.applyAsDouble(result));
        return myself;
    }

    /**
     * Verifies that the median minimal perturbation is at least {@code threshold}: half of the
     * correctly classified samples need a change at least that large (in the attack's norm) to be
     * misclassified. Use a minimal-perturbation attack, {@code Attacks.deepFool()} or
     * {@code Attacks.carliniWagner()}, whose per-sample norms estimate the distance to the decision
     * boundary; samples the attack cannot fool count as infinitely far.
     *
     * @param threshold the least acceptable median, at least 0
     * @return this assertion
     */
    public RobustnessAssert hasMinimalEpsilonMedianAtLeast(double threshold) {
        isNotNull();
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number >= 0, got " + threshold);
        }
        Map<String, Object> parameters = parameters("threshold", threshold);
        RobustnessReport result = measure("minimal epsilon", parameters);
        failUnlessAtLeast("minimal epsilon under " + actual.attack().name(), parameters, result.samples(),
                "median minimal perturbation (" + actual.attack().norm().label() + ")", threshold,
                result.medianMinimalPerturbation());
        return myself;
    }

    /**
     * Verifies that robust accuracy does not rise as the budget grows (Carlini et al. 2019: a
     * rising curve means the attack, not the model, is failing), within one sample's worth of
     * accuracy. Records the accuracy-vs-ε chart.
     *
     * @param epsilons increasing budgets to evaluate the attack at
     * @return this assertion
     */
    public RobustnessAssert hasAccuracyCurveNonIncreasing(double... epsilons) {
        isNotNull();
        Map<String, Object> parameters = parameters("epsilons", Arrays.toString(epsilons));
        Evidence evidence = evidence();
        ModelOnData target = actual.target();
        AccuracyCurve curve = evidence.step("accuracy vs epsilon", parameters, () -> {
            AccuracyCurve measured = AccuracyCurve.measure(target.classifier(), target.data(), actual.attack(),
                    target.seed(), epsilons);
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            metrics.put("epsilons", measured.epsilons());
            metrics.put("robustAccuracy", measured.robustAccuracy());
            evidence.metrics("accuracy vs epsilon metrics", metrics);
            evidence.chart(new LineChart("robust accuracy vs epsilon", "epsilon (" + actual.attack().norm().label()
                    + ")", "robust accuracy", List.of(new LineChart.Series(actual.attack().name(), measured.epsilons(),
                    measured.robustAccuracy()))));
            return measured;
        });
        failUnlessAtMost("accuracy vs epsilon of " + actual.attack().name(), parameters, target.data().size(),
                "largest rise of robust accuracy", 1.0 / target.data().size(), curve.largestRise());
        return myself;
    }

    /**
     * Verifies that the evaluation passes every sanity check of {@link SanityChecks} (Carlini et
     * al. 2019; AutoAttack's flags), failing with the list of findings that did not pass. The
     * checks run about six more attacks on the data: use a modest sample.
     *
     * <pre>{@code
     * assertThatModel(cnn).on(sample).underAttack(pgd().linf(0.1).steps(20)).passesSanityChecks();
     * }</pre>
     *
     * @return this assertion
     */
    public RobustnessAssert passesSanityChecks() {
        isNotNull();
        Map<String, Object> parameters = parameters("tolerance", 0.02);
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        SanityReport result = evidence.step("sanity checks of " + actual.attack().name(), parameters, () -> {
            SanityReport measured = sanityReport();
            evidence.metrics("sanity check findings", measured.toMap());
            evidence.table(new Table("sanity checks", List.of("check", "verdict", "detail"), measured.findings().stream()
                    .map(f -> List.of(f.check(), f.passed() ? "passed" : "FAILED", f.detail())).toList()));
            return measured;
        });
        if (!result.passed()) {
            throwAssertionError(ShouldPassSanityChecks.shouldPassSanityChecks(String.valueOf(actual), result));
        }
        return myself;
    }

    /**
     * Continues with the bracket: the attack's robust accuracy as the upper bound and the fraction
     * CROWN certifies within the same L∞ ball as the lower bound. Needs an L∞ attack and a model
     * with a layer view.
     *
     * <pre>{@code
     * assertThatModel(mlp).on(test).underAttack(pgd().linf(0.03)).certified().hasOpenFractionAtMost(0.1);
     * }</pre>
     *
     * @return bracket assertions
     */
    public BracketAssert certified() {
        return certified(BoundMethod.CROWN);
    }

    /**
     * Continues with the bracket, certified by the given method.
     *
     * @param method {@code BoundMethod.IBP} or {@code BoundMethod.CROWN}
     * @return bracket assertions
     */
    public BracketAssert certified(BoundMethod method) {
        isNotNull();
        Objects.requireNonNull(method, "method must not be null: pass BoundMethod.CROWN or BoundMethod.IBP");
        return factory.create(BracketAssert.class, ModelUnderCertification.class,
                new ModelUnderCertification(actual, method));
    }

    /**
     * Verifies that robust accuracy is known to lie in {@code [lower, upper]}: CROWN certifies at
     * least {@code lower} of the samples and the attack leaves at most {@code upper} robust.
     *
     * <pre>{@code
     * assertThatModel(mlp).on(test).underAttack(pgd().linf(0.03).steps(20)).hasRobustAccuracyBetween(0.5, 0.8);
     * }</pre>
     *
     * @param lower the least acceptable certified accuracy, in [0, 1]
     * @param upper the largest acceptable attacked robust accuracy, in [lower, 1]
     * @return this assertion
     */
    public RobustnessAssert hasRobustAccuracyBetween(double lower, double upper) {
        certified().hasRobustAccuracyBetween(lower, upper);
        return myself;
    }

    /**
     * Returns the sanity checks' findings on the attack (running them if no check has yet).
     *
     * @return the sanity report
     */
    public SanityReport sanityReport() {
        if (sanity == null) {
            ModelOnData target = actual.target();
            sanity = SanityChecks.run(target.classifier(), target.data(), actual.attack(), target.seed());
        }
        return sanity;
    }

    /**
     * Returns the report of the attack (running it if no check has yet).
     *
     * @return the robustness report
     */
    public RobustnessReport report() {
        if (report == null) {
            ModelOnData target = actual.target();
            report = RobustnessEvaluator.evaluate(target.classifier(), target.data(), actual.attack(), target.seed());
        }
        return report;
    }

    private Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "attack", actual.attack().name(),
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size(),
                "seed", actual.target().seed());
    }

    private RobustnessReport measure(String check, Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        return evidence.step(check + " under " + actual.attack().name(), parameters, () -> {
            RobustnessReport result = report();
            evidence.metrics(check + " metrics", parameters, result.toMap());
            if (evidence.isRecording()) {
                recordExamples(evidence, result, actual.target().data());
            }
            return result;
        });
    }

    private static void recordExamples(Evidence evidence, RobustnessReport result, Dataset data) {
        int[] size = greyImageSize(data);
        if (size != null) {
            int height = size[0];
            int width = size[1];
            List<ImageGrid.Tile> tiles = new ArrayList<>();
            for (AdversarialExample example : result.examples()) {
                float[] perturbation = new float[example.original().length];
                for (int i = 0; i < perturbation.length; i++) {
                    perturbation[i] = example.adversarial()[i] - example.original()[i];
                }
                tiles.add(new ImageGrid.Tile(String.format("true %d, pred %d\np = %.2f", example.label(),
                        example.cleanPrediction(), example.cleanConfidence()), width, height, example.original(),
                        ImageGrid.Palette.GREY));
                tiles.add(new ImageGrid.Tile("perturbation\n(colour-scaled)", width, height, perturbation,
                        ImageGrid.Palette.DIVERGING));
                tiles.add(new ImageGrid.Tile(String.format("adversarial: pred %d\np = %.2f", example.adversarialPrediction(),
                        example.adversarialConfidence()), width, height, example.adversarial(), ImageGrid.Palette.GREY));
            }
            evidence.imageGrid(new ImageGrid("adversarial examples: original | perturbation | adversarial", 3, tiles));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (AdversarialExample example : result.examples()) {
                rows.add(List.of(Integer.toString(example.label()),
                        String.format("%d (%.3f)", example.cleanPrediction(), example.cleanConfidence()),
                        String.format("%d (%.3f)", example.adversarialPrediction(), example.adversarialConfidence())));
            }
            evidence.table(new Table("adversarial examples", List.of("true class", "clean prediction (confidence)",
                    "adversarial prediction (confidence)"), rows));
        }
    }
}

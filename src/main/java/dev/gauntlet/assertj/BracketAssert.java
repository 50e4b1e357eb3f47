package dev.gauntlet.assertj;

import dev.gauntlet.certify.BracketCurve;
import dev.gauntlet.certify.CertificationEvaluator;
import dev.gauntlet.certify.CertificationReport;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Assertions on robust accuracy bracketed from both sides: the attack's robust accuracy is an
 * upper bound, the fraction a sound bound (IBP or CROWN) certifies a lower bound, and the open
 * fraction between them what neither settles. The measurement ({@link CertificationEvaluator})
 * runs once per assertion object, on first use; every check records the bracket's metrics and
 * verdict counts before it can fail, and every check fails if a sample is both certified and
 * attacked (a broken bound).
 *
 * <pre>{@code
 * assertThatModel(mlp).on(test).underAttack(pgd().linf(0.03).steps(20)).certified()
 *         .hasCertifiedAccuracyAtLeast(0.5)       // passes at 0.62
 *         .hasOpenFractionAtMost(0.1);            // fails if 15% are neither certified nor attacked
 * }</pre>
 */
public class BracketAssert extends GauntletAssert<BracketAssert, ModelUnderCertification> {

    private CertificationReport report;

    /**
     * Creates the assertion; prefer {@code assertThatModel(m).on(data).underAttack(attack).certified()}.
     *
     * @param actual the model, data, attack and bound method
     */
    public BracketAssert(ModelUnderCertification actual) {
        super(actual, BracketAssert.class);
    }

    /**
     * Verifies that at least {@code threshold} of the samples are certified (correct, and proven
     * robust within the attack's ε): a lower bound on the true robust accuracy.
     *
     * <pre>{@code
     * .certified().hasCertifiedAccuracyAtLeast(0.5);  // passes when 62% are certified
     * .certified().hasCertifiedAccuracyAtLeast(0.7);  // fails: certified accuracy >= 0.7 but was 0.62
     * }</pre>
     *
     * @param threshold the least acceptable certified accuracy, in [0, 1]
     * @return this assertion
     */
    public BracketAssert hasCertifiedAccuracyAtLeast(double threshold) {
        return hasFraction("certified accuracy", () -> "(" + actual.method() + ")", threshold, true,
                CertificationReport::certifiedAccuracy);
    }

    /**
     * Verifies that at most {@code threshold} of the samples are open: neither certified nor
     * broken by the attack, so that the bracket is narrow enough to trust.
     *
     * <pre>{@code
     * .certified().hasOpenFractionAtMost(0.2);   // passes when 8% are open
     * .certified().hasOpenFractionAtMost(0.05);  // fails: open fraction <= 0.05 but was 0.08
     * }</pre>
     *
     * @param threshold the largest acceptable open fraction, in [0, 1]
     * @return this assertion
     */
    public BracketAssert hasOpenFractionAtMost(double threshold) {
        return hasFraction("open fraction", () -> "(" + actual.method() + " vs " + actual.attacked().attack().name()
                + ")", threshold, false, CertificationReport::openFraction);
    }

    /**
     * Measures a fraction of the samples and holds it to a bar.
     *
     * @param metric the fraction's name, which also opens the check's name
     * @param against what the check's name adds to the metric's, read once the subject is known not null
     * @param threshold the bar, in [0, 1]
     * @param atLeast whether the fraction must reach the bar (or stay at most at it)
     * @param fraction the fraction, read from the report
     * @return this assertion
     */
    private BracketAssert hasFraction(String metric, Supplier<String> against, double threshold, boolean atLeast,
            ToDoubleFunction<CertificationReport> fraction) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        CertificationReport result = measure(metric, parameters);
        String check = metric + " " + against.get();
        failUnless(atLeast, check, parameters, result.samples(), metric, threshold, fraction.applyAsDouble(result));
        return myself;
    }

    /**
     * Verifies that the whole bracket lies in {@code [lower, upper]}: the certified accuracy is at
     * least {@code lower} and the attack's robust accuracy at most {@code upper}, so the true
     * robust accuracy is known to lie in the interval.
     *
     * <pre>{@code
     * .certified().hasRobustAccuracyBetween(0.5, 0.8);  // passes with bracket [0.62, 0.70]
     * .certified().hasRobustAccuracyBetween(0.65, 0.8); // fails: certified accuracy >= 0.65 but was 0.62
     * }</pre>
     *
     * @param lower the least acceptable certified accuracy, in [0, 1]
     * @param upper the largest acceptable attacked robust accuracy, in [lower, 1]
     * @return this assertion
     */
    public BracketAssert hasRobustAccuracyBetween(double lower, double upper) {
        isNotNull();
        requireFraction(lower, "lower");
        requireFraction(upper, "upper");
        if (lower > upper) {
            throw new IllegalArgumentException("lower " + lower + " must not exceed upper " + upper);
        }
        Map<String, Object> parameters = parameters("lower", lower);
        parameters.put("upper", upper);
        CertificationReport result = measure("robust accuracy bracket", parameters);
        failUnlessAtLeast("robust accuracy bracket, lower end (" + actual.method() + ")", parameters, result.samples(),
                "certified accuracy", lower, result.certifiedAccuracy());
        failUnlessAtMost("robust accuracy bracket, upper end (" + actual.attacked().attack().name() + ")", parameters,
                result.samples(), "attacked robust accuracy", upper, result.robustAccuracyUpperBound());
        return myself;
    }

    /**
     * Verifies that the bracket is sound at every ε given — no sample both certified and attacked,
     * certified accuracy never above the attack's robust accuracy — and records the chart of both
     * curves (and the open fraction) over ε.
     *
     * <pre>{@code
     * .certified().hasSoundBracketAt(0.01, 0.03, 0.1);
     * }</pre>
     *
     * @param epsilons the L∞ radii, increasing
     * @return this assertion
     */
    public BracketAssert hasSoundBracketAt(double... epsilons) {
        isNotNull();
        if (epsilons.length == 0) {
            throw new IllegalArgumentException("give at least one epsilon");
        }
        for (int i = 0; i < epsilons.length; i++) {
            if (!(epsilons[i] >= 0) || Double.isInfinite(epsilons[i]) || i > 0 && !(epsilons[i] > epsilons[i - 1])) {
                throw new IllegalArgumentException("epsilons must be finite, >= 0 and increasing, got "
                        + Arrays.toString(epsilons));
            }
        }
        Map<String, Object> parameters = parameters("epsilons", Arrays.toString(epsilons));
        Evidence evidence = evidence();
        ModelOnData target = actual.attacked().target();
        ModelLabels.record(evidence, target.classifier(), target.data());
        BracketCurve curve = evidence.step("robust accuracy bracket vs epsilon", parameters, () -> {
            BracketCurve measured = CertificationEvaluator.curve(target.classifier(), target.data(),
                    actual.attacked().attack(), actual.method(), target.seed(), epsilons);
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            metrics.put("epsilons", epsilons);
            metrics.put("certifiedAccuracy", measured.certifiedAccuracy());
            metrics.put("robustAccuracyUpperBound", measured.robustAccuracyUpperBound());
            metrics.put("openFraction", measured.openFraction());
            metrics.put("contradictions", measured.contradictionsPerRadius());
            evidence.metrics("robust accuracy bracket vs epsilon metrics", metrics);
            evidence.chart(bracketChart(actual.attacked().attack().name(), actual.method().name(), epsilons,
                    measured.certifiedAccuracy(), measured.robustAccuracyUpperBound(), measured.openFraction()));
            return measured;
        });
        failUnlessAtMost("soundness of the bracket (" + actual.method() + ")", parameters, target.data().size(),
                "samples both certified and attacked", 0, curve.contradictions());
        failUnlessAtMost("soundness of the bracket (" + actual.method() + ")", parameters, target.data().size(),
                "samples certified beyond the attacked robust accuracy", 0, curve.worstExcessInSamples());
        return myself;
    }

    /**
     * Returns the bracket at the attack's ε (measuring it if no check has yet).
     *
     * @return the report
     */
    public CertificationReport report() {
        if (report == null) {
            ModelOnData target = actual.attacked().target();
            report = CertificationEvaluator.evaluate(target.classifier(), target.data(), actual.attacked().attack(),
                    actual.method(), target.seed());
        }
        return report;
    }

    /**
     * Draws the bracket over ε: the attack's robust accuracy (upper bound), the certified accuracy
     * (lower bound) and the open fraction between them.
     *
     * @param attack the attack's name
     * @param method the bound method's name
     * @param epsilons the radii
     * @param certified the certified accuracy at each
     * @param attacked the attack's robust accuracy at each
     * @param open the open fraction at each
     * @return the chart
     */
    static LineChart bracketChart(String attack, String method, double[] epsilons, double[] certified,
            double[] attacked, double[] open) {
        return new LineChart("robust accuracy bracket vs epsilon", "epsilon (Linf)", "fraction of samples", List.of(
                new LineChart.Series("upper bound: " + attack, epsilons, attacked),
                new LineChart.Series("lower bound: certified (" + method + ")", epsilons, certified),
                new LineChart.Series("open (neither)", epsilons, open)));
    }

    private Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "method", actual.method().name(),
                "attack", actual.attacked().attack().name(),
                "epsilon", actual.attacked().attack().epsilon(),
                "dataset", actual.attacked().target().data().name(),
                "samples", actual.attacked().target().data().size(),
                "seed", actual.attacked().target().seed());
    }

    private CertificationReport measure(String check, Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.attacked().target().classifier(), actual.attacked().target().data());
        CertificationReport result = evidence.step(check + " (" + actual.method() + " vs "
                + actual.attacked().attack().name() + ")", parameters, () -> {
                    CertificationReport r = report();
                    evidence.metrics(check + " metrics", parameters, r.toMap());
                    evidence.table(new Table("verdicts", List.of("verdict", "fraction", "meaning"), List.of(
                            List.of("certified", fraction(r.certifiedAccuracy()), "proven robust by " + r.method()),
                            List.of("attacked", fraction(r.attackedFraction()), "misclassified clean or broken by the attack"),
                            List.of("open", fraction(r.openFraction()), "neither"))));
                    return r;
                });
        failUnlessAtMost("soundness of the bracket (" + actual.method() + ")", parameters, result.samples(),
                "samples both certified and attacked", 0, result.contradictions());
        return result;
    }

    private static String fraction(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}

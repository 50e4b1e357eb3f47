package dev.gauntlet.testkits.kits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.attack.ApgdAttack;
import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.counterfactual.CounterfactualMethod;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.quality.Stability;
import dev.gauntlet.explain.quality.StabilityCriterion;
import dev.gauntlet.assertj.BracketAssert;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.InputGradients;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.model.UnsupportedCapabilityException;
import dev.gauntlet.shift.Corruption;
import dev.gauntlet.shift.Drifts;
import dev.gauntlet.uncertainty.UncertaintyMethod;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds a kit's dynamic tests; the model (and the baseline, if any) is loaded once, on the first test
 * that needs it, and closed with the stream.
 */
final class Battery {

    /** The hint of every comparison test skipped for want of a baseline. */
    static final String NO_BASELINE = "no baseline given: override baselineModel() to return the model in"
            + " production (or the last release) to compare the candidate with it";

    private final Supplier<Classifier> modelSupplier;
    private final DatasetSplit data;
    private final KitThresholds t;
    private final List<DynamicTest> tests = new ArrayList<>();
    private Classifier model;
    private Supplier<Classifier> baselineSupplier;
    private Classifier baseline;
    private boolean baselineAsked;
    private BracketAssert bracket;

    Battery(Supplier<Classifier> model, DatasetSplit data, KitThresholds thresholds) {
        this.modelSupplier = Objects.requireNonNull(model, "model");
        this.data = Objects.requireNonNull(data, "data() must return the training and held-out data");
        this.t = Objects.requireNonNull(thresholds, "thresholds() must not return null");
    }

    private Classifier model() {
        if (model == null) {
            model = Objects.requireNonNull(modelSupplier.get(), "model() must not return null");
        }
        return model;
    }

    /** The baseline, asked for once; skips the calling test when there is none. */
    private Classifier baseline() {
        if (!baselineAsked) {
            baselineAsked = true;
            baseline = baselineSupplier.get();
        }
        Assumptions.assumeTrue(baseline != null, NO_BASELINE);
        return baseline;
    }

    private Dataset heldOut() {
        return data.test();
    }

    private Dataset attackSample() {
        return data.test().size() > t.attackSamples() ? data.test().sample(t.attackSamples(), t.seed()) : data.test();
    }

    private Dataset searchSample() {
        return data.test().size() > t.searchSamples() ? data.test().sample(t.searchSamples(), t.seed()) : data.test();
    }

    /** The training data, or a seeded sample of it for searches over neighbours. */
    private Dataset reference(int atMost) {
        return data.train().size() > atMost ? data.train().sample(atMost, t.seed()) : data.train();
    }

    private void add(String name, Runnable check) {
        tests.add(DynamicTest.dynamicTest(name, check::run));
    }

    /**
     * Adds a check that needs input gradients; on a model without them (ONNX Runtime) the test is
     * reported as skipped, with the reason, instead of failing.
     */
    private void addWhiteBox(String name, Runnable check) {
        add(name, () -> {
            if (!model().hasInputGradients()) {
                Assumptions.abort("needs input gradients, which " + model() + " cannot give: "
                        + model().missingCapabilityReason(InputGradients.class));
            }
            check.run();
        });
    }

    Battery accuracy() {
        add("clean accuracy >= " + t.cleanAccuracy(), () ->
                assertThatModel(model()).on(heldOut()).hasAccuracyAtLeast(t.cleanAccuracy()));
        return this;
    }

    /** The per-class bar, unless it is 0. */
    Battery perClass() {
        if (t.classAccuracy() > 0) {
            add("accuracy of every class >= " + t.classAccuracy() + " (Wilson 95%)", () ->
                    assertThatModel(model()).on(heldOut()).forEveryClass().hasAccuracyAtLeast(t.classAccuracy()));
        }
        return this;
    }

    /**
     * Candidate vs baseline on the same samples: held-out accuracy, every class's recall, and robust
     * accuracy under FGSM at the attack budget (the cheapest attack: both models are attacked). Each
     * test is skipped, with the way to enable it, when {@code baseline} gives null.
     */
    Battery comparison(Supplier<Classifier> baselineModel) {
        this.baselineSupplier = Objects.requireNonNull(baselineModel, "baselineModel");
        double alpha = t.baselineAlpha();
        add("accuracy not worse than the baseline's by more than " + t.baselineAccuracyMargin(), () ->
                assertThatModel(model()).comparedTo(baseline()).on(heldOut()).withSignificance(alpha)
                        .hasAccuracyNotWorseBy(t.baselineAccuracyMargin()));
        add("recall of every class not worse than the baseline's by more than " + t.baselineClassMargin(), () ->
                assertThatModel(model()).comparedTo(baseline()).on(heldOut()).withSignificance(alpha)
                        .hasRecallOfEveryClassNotWorseBy(t.baselineClassMargin()));
        double eps = t.attackEpsilon();
        add("FGSM eps " + eps + ": robust accuracy not worse than the baseline's by more than "
                + t.baselineRobustMargin(), () -> {
                    Classifier base = baseline();
                    for (Classifier c : new Classifier[] {model(), base}) {
                        if (!c.hasInputGradients()) {
                            Assumptions.abort("needs input gradients, which " + c + " cannot give: "
                                    + c.missingCapabilityReason(InputGradients.class));
                        }
                    }
                    assertThatModel(model()).comparedTo(base).on(attackSample()).withSignificance(alpha)
                            .hasRobustAccuracyNotWorseBy(Attacks.fgsm().linf(eps), t.baselineRobustMargin());
                });
        return this;
    }

    /**
     * Certified bounds at the attack budget on a seeded sample, when a bar is set: CROWN's certified
     * accuracy and the fraction open between it and PGD-20. Both tests share one measurement. A model
     * without a layer view of supported layers is skipped with the reason.
     */
    Battery certification() {
        if (!t.certifies()) {
            return this;
        }
        double eps = t.attackEpsilon();
        String sample = " (CROWN vs PGD-20, eps " + eps + ", " + t.certificationSamples() + " samples)";
        if (!Double.isNaN(t.certifiedAccuracy())) {
            addWhiteBox("certified accuracy >= " + t.certifiedAccuracy() + sample, () ->
                    certifiable(() -> bracket().hasCertifiedAccuracyAtLeast(t.certifiedAccuracy())));
        }
        if (!Double.isNaN(t.maxOpenFraction())) {
            addWhiteBox("open fraction <= " + t.maxOpenFraction() + sample, () ->
                    certifiable(() -> bracket().hasOpenFractionAtMost(t.maxOpenFraction())));
        }
        return this;
    }

    /** One bracket assertion for both certification tests: it measures once, on first use. */
    private BracketAssert bracket() {
        if (bracket == null) {
            Dataset sample = data.test().size() > t.certificationSamples()
                    ? data.test().sample(t.certificationSamples(), t.seed()) : data.test();
            bracket = assertThatModel(model()).on(sample)
                    .underAttack(Attacks.pgd().linf(t.attackEpsilon()).steps(20)).certified();
        }
        return bracket;
    }

    /** Runs a certification check, skipping it when the model cannot be bounded. */
    private void certifiable(Runnable check) {
        if (model().capability(LayerView.class).isEmpty()) {
            Assumptions.abort("certification needs the model's layer view, which " + model() + " cannot give: "
                    + model().missingCapabilityReason(LayerView.class));
        }
        try {
            check.run();
        } catch (UnsupportedCapabilityException e) {
            Assumptions.abort(e.getMessage());
        }
    }

    Battery robustness() {
        double eps = t.attackEpsilon();
        addWhiteBox("FGSM eps " + eps + ": robust accuracy >= " + t.fgsmRobustAccuracy(), () ->
                assertThatModel(model()).on(attackSample()).underAttack(Attacks.fgsm().linf(eps))
                        .hasRobustAccuracyAtLeast(t.fgsmRobustAccuracy()));
        addWhiteBox("PGD-20 eps " + eps + ": robust accuracy >= " + t.pgdRobustAccuracy(), () ->
                assertThatModel(model()).on(attackSample()).underAttack(Attacks.pgd().linf(eps).steps(20))
                        .hasRobustAccuracyAtLeast(t.pgdRobustAccuracy()));
        // a quick AutoAttack-style cascade: half of APGD's 100 steps per stage and 300 Square queries instead
        // of 5,000 keep the battery within a minute on 1,000 images; Attacks.autoAttackStyle(eps) has the full budget
        Attack cascade = Attacks.cascade(Attacks.apgd().linf(eps).steps(50),
                Attacks.apgd().linf(eps).steps(50).loss(ApgdAttack.Loss.DLR_OR_MARGIN),
                Attacks.square().linf(eps).queries(300));
        addWhiteBox("AutoAttack-style cascade (quick) eps " + eps + ": robust accuracy >= " + t.cascadeRobustAccuracy(), () ->
                assertThatModel(model()).on(attackSample()).underAttack(cascade)
                        .hasRobustAccuracyAtLeast(t.cascadeRobustAccuracy()));
        addWhiteBox("attack evaluation passes the gradient-masking sanity checks", () ->
                assertThatModel(model()).on(attackSample().head(Math.min(200, attackSample().size())))
                        .underAttack(Attacks.pgd().linf(eps).steps(10)).passesSanityChecks());
        return this;
    }

    Battery corruptions(List<Corruption> corruptions) {
        for (Corruption corruption : corruptions) {
            add("accuracy under " + corruption.name() + " >= " + t.corruptionAccuracy(), () ->
                    assertThatModel(model()).on(attackSample()).hasAccuracyUnder(corruption, t.corruptionAccuracy()));
        }
        return this;
    }

    Battery drift() {
        add("held-out data has not drifted from the training data (KS, FDR)", () -> {
            Dataset train = data.train().size() > t.attackSamples() ? data.train().sample(t.attackSamples(),
                    t.seed() + 1) : data.train();
            assertThatData(train).comparedTo(attackSample()).showsNoDrift(Drifts.Named.KS.standard());
        });
        return this;
    }

    Battery confidence(Supplier<Classifier> dropoutModel, Supplier<Dataset> outOfDistribution) {
        add("calibration: ECE <= " + t.maxEce(), () ->
                assertThatModel(model()).on(heldOut()).calibration().hasEceAtMost(t.maxEce()));
        add("trust score separates errors: AUROC >= " + t.trustAuroc(), () -> {
            Dataset train = data.train().size() > 10_000 ? data.train().sample(10_000, t.seed()) : data.train();
            assertThatModel(model()).on(attackSample()).trustScores(train)
                    .separatesErrorsWithAurocAtLeast(t.trustAuroc());
        });
        if (dropoutModel != null) {
            add("MC dropout detects out-of-distribution data: AUROC >= " + t.oodAuroc(), () -> {
                Classifier dropout = dropoutModel.get();
                Dataset ood = outOfDistribution == null ? null : outOfDistribution.get();
                Assumptions.assumeTrue(dropout != null && ood != null,
                        "no dropout model or out-of-distribution data given: override dropoutModel() and"
                                + " outOfDistribution() to run this check");
                try (Classifier closing = dropout) {
                    assertThatModel(closing).on(attackSample()).uncertainty(UncertaintyMethod.mcDropout(30))
                            .detectsOutOfDistributionWithAurocAtLeast(ood, t.oodAuroc());
                }
            });
        }
        return this;
    }

    Battery counterfactuals(CounterfactualMethod method) {
        addWhiteBox("counterfactuals: " + Math.round(100 * t.counterfactualValidity()) + "% valid, median L2 >= "
                + t.minCounterfactualDistance(), () ->
                assertThatModel(model()).on(searchSample()).counterfactuals(method, reference(5_000))
                        .areValidFor(t.counterfactualValidity())
                        .haveMedianDistanceAtLeast(Distance.L2, t.minCounterfactualDistance()));
        return this;
    }

    Battery explanations(Explainer explainer) {
        addWhiteBox("explanations are stable: " + explainer.name() + " max-sensitivity <= " + t.maxSensitivity(), () ->
                assertThatModel(model()).on(searchSample()).explanations(explainer)
                        .areStable(new StabilityCriterion(Stability.maxSensitivity(), t.maxSensitivity())));
        return this;
    }

    Stream<DynamicTest> stream() {
        return tests.stream().onClose(() -> {
            try (Classifier closingModel = model; Classifier closingBaseline = baseline == model ? null : baseline) {
                // both closed, the baseline first
            } catch (Exception e) {
                throw new IllegalStateException("closing the model or the baseline failed", e);
            }
        });
    }
}

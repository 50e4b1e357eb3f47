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
import dev.gauntlet.explain.Stability;
import dev.gauntlet.explain.StabilityCriterion;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.InputGradients;
import dev.gauntlet.shift.Corruption;
import dev.gauntlet.shift.KsDriftTest;
import dev.gauntlet.uncertainty.UncertaintyMethod;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Builds a kit's dynamic tests; the model is loaded once, on the first test, and closed with the stream. */
final class Battery {

    private final Supplier<Classifier> modelSupplier;
    private final DatasetSplit data;
    private final KitThresholds t;
    private final List<DynamicTest> tests = new ArrayList<>();
    private Classifier model;

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
            assertThatData(train).comparedTo(attackSample()).showsNoDrift(KsDriftTest.ks().fdr());
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
            if (model != null) {
                try {
                    model.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the model failed", e);
                }
            }
        });
    }
}

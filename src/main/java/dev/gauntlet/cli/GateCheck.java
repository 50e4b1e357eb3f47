package dev.gauntlet.cli;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import dev.gauntlet.assertj.DataComparison;
import dev.gauntlet.assertj.DriftAssert;
import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.SquareAttack;
import dev.gauntlet.certify.BoundMethod;
import dev.gauntlet.counterfactual.CounterfactualMethod;
import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.quality.Stability;
import dev.gauntlet.explain.quality.StabilityCriterion;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.InputGradients;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.shift.Chi2Drift;
import dev.gauntlet.shift.Corruption;
import dev.gauntlet.shift.DriftDetector;
import dev.gauntlet.shift.Drifts;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.shift.ImageCorruption;
import dev.gauntlet.shift.MixedDrift;
import dev.gauntlet.shift.TabularCorruption;
import dev.gauntlet.slice.SliceResult;
import dev.gauntlet.stats.IntervalMethod;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/** One check of a gate spec, parsed and ready to run. */
interface GateCheck {

    /** The check kinds a spec may name. */
    Set<String> KINDS = Set.of("accuracy", "class-accuracy", "robustness", "certified", "sanity", "corruption",
            "calibration", "drift", "trust", "counterfactuals", "explanations", "comparison");

    String name();

    /** Runs the check; a failed threshold is a result, not an exception, and so is a skipped check. */
    CheckResult run(Classifier model, Classifier baseline, Dataset test, Dataset train, long seed);

    /**
     * What about this check on this data deserves a warning, e.g. an attack radius that covers the data's whole
     * value range (the check cannot pass, whatever the model).
     *
     * @param test the test data
     * @return warnings naming the check, empty if none
     */
    default List<String> warnings(Dataset test) {
        return List.of();
    }

    /**
     * Parses one item of {@code checks:}. Every field must be one the check uses; a bar outside the metric's
     * range is an error, a bar that cannot fail (accuracy at least 0, ECE at most 1) a warning added to
     * {@code warnings}.
     */
    static GateCheck parse(SpecNode spec, boolean hasTrain, boolean hasBaseline, List<String> warnings) {
        SpecNode kind = spec.required("check");
        String check = kind.text();
        if (!KINDS.contains(check)) {
            throw kind.error("unknown check '" + check + "'; known: " + KINDS);
        }
        if (Set.of("drift", "trust", "counterfactuals").contains(check) && !hasTrain) {
            throw kind.error("the " + check + " check compares with training data: add data.train to the spec");
        }
        if (check.equals("comparison") && !hasBaseline) {
            throw kind.error("the comparison check compares the model with a baseline: add baseline: (the model in"
                    + " production, in the same form as model:) to the spec");
        }
        SpecNode warnNode = spec.optional("warn");
        boolean warn = warnNode != null && bool(warnNode);
        GateCheck parsed = switch (check) {
            case "accuracy" -> {
                spec.only(fields("check", "atLeast"));
                double t = bar(spec.required("atLeast"), ">=", warnings);
                yield measured("accuracy", "accuracy", ">=", t, false, (m, baseline, test, train, seed) -> {
                    var assertion = assertThatModel(m).withSeed(seed).on(test);
                    return judged(() -> assertion.hasAccuracyAtLeast(t), () -> assertion.accuracyReport().accuracy());
                });
            }
            case "class-accuracy" -> {
                spec.only(fields("check", "atLeast", "interval"));
                double t = bar(spec.required("atLeast"), ">=", warnings);
                SpecNode intervalNode = spec.optional("interval");
                IntervalMethod interval = intervalNode == null ? IntervalMethod.WILSON
                        : switch (intervalNode.text()) {
                            case "wilson" -> IntervalMethod.WILSON;
                            case "clopper-pearson" -> IntervalMethod.CLOPPER_PEARSON;
                            default -> throw intervalNode.error("unknown interval; use wilson or clopper-pearson");
                        };
                yield measured("accuracy of every class (" + interval.label() + " 95%)", "worst class accuracy", ">=",
                        t, false, (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test).forEveryClass()
                                    .withInterval(interval);
                            return judged(() -> assertion.hasAccuracyAtLeast(t), () -> assertion.accuracyReport()
                                    .worst().map(SliceResult::value).orElse(Double.NaN));
                        });
            }
            case "certified" -> {
                spec.only(fields("check", "attack", "epsilon", "steps", "method", "samples", "certifiedAtLeast",
                        "openAtMost"));
                Attack attack = attack(spec, warnings);
                SpecNode methodNode = spec.optional("method");
                BoundMethod method = methodNode == null ? BoundMethod.CROWN : switch (methodNode.text()) {
                    case "crown" -> BoundMethod.CROWN;
                    case "ibp" -> BoundMethod.IBP;
                    default -> throw methodNode.error("unknown bound method; use crown (tighter) or ibp (cheaper)");
                };
                SpecNode certifiedNode = spec.optional("certifiedAtLeast");
                SpecNode openNode = spec.optional("openAtMost");
                if (certifiedNode == null && openNode == null) {
                    throw spec.error("names no bar; give certifiedAtLeast (the proven lower bound of robust accuracy)"
                            + " and/or openAtMost (the fraction neither certified nor attacked)");
                }
                double certifiedBar = certifiedNode == null ? Double.NaN : bar(certifiedNode, ">=", warnings);
                double openBar = openNode == null ? Double.NaN : bar(openNode, "<=", warnings);
                SpecNode samplesNode = spec.optional("samples");
                int samples = samplesNode == null ? Integer.MAX_VALUE : samplesNode.integer(1, Integer.MAX_VALUE,
                        "samples to certify, a seeded subset");
                boolean certifiedBarGiven = certifiedNode != null;
                String on = samplesNode == null ? "" : " on " + samples + " samples";
                yield measured((method == BoundMethod.CROWN ? "CROWN" : "IBP") + " bounds under "
                        + attack.name() + on, certifiedBarGiven ? "certified accuracy" : "open fraction",
                        certifiedBarGiven ? ">=" : "<=", certifiedBarGiven ? certifiedBar : openBar, true,
                        LayerView.class, (m, baseline, test, train, seed) -> {
                            Dataset data = samples < test.size() ? test.sample(samples, seed) : test;
                            var bracket = assertThatModel(m).withSeed(seed).on(data).underAttack(attack).certified(method);
                            return judged(() -> {
                                if (certifiedBarGiven) {
                                    bracket.hasCertifiedAccuracyAtLeast(certifiedBar);
                                }
                                if (!Double.isNaN(openBar)) {
                                    bracket.hasOpenFractionAtMost(openBar);
                                }
                            }, () -> certifiedBarGiven ? bracket.report().certifiedAccuracy()
                                    : bracket.report().openFraction());
                        });
            }
            case "comparison" -> {
                spec.only(fields("check", "metric", "notWorseBy", "alpha", "rule", "attack", "epsilon", "steps"));
                SpecNode metricNode = spec.required("metric");
                String metric = metricNode.text();
                if (!Set.of("accuracy", "class-recall", "robust-accuracy", "ece").contains(metric)) {
                    throw metricNode.error("unknown metric; use accuracy, class-recall, robust-accuracy or ece");
                }
                boolean attacked = metric.equals("robust-accuracy");
                if (!attacked && spec.optional("attack") != null) {
                    throw spec.optional("attack").error("applies to metric robust-accuracy only: remove it");
                }
                Attack attack = attacked ? attack(spec, warnings) : null;
                double margin = spec.required("notWorseBy").fraction();
                SpecNode alphaNode = spec.optional("alpha");
                double alpha = alphaNode == null ? 0.05 : alphaNode.number();
                if (!(alpha > 0 && alpha <= 0.5)) {
                    throw alphaNode.error("must be in (0, 0.5], the significance level of the paired test");
                }
                SpecNode ruleNode = spec.optional("rule");
                boolean nonInferiority = ruleNode != null && switch (ruleNode.text()) {
                    case "significant-regression" -> false;
                    case "non-inferiority" -> true;
                    default -> throw ruleNode.error("unknown rule; use significant-regression (fail on a drop larger"
                            + " than notWorseBy that McNemar finds significant) or non-inferiority (fail unless the"
                            + " interval proves the drop is smaller)");
                };
                boolean ece = metric.equals("ece");
                String what = switch (metric) {
                    case "accuracy" -> "accuracy";
                    case "class-recall" -> "recall of every class";
                    case "robust-accuracy" -> "robust accuracy under " + attack.name();
                    default -> "calibration (ECE)";
                };
                yield measured(what + " vs baseline" + (nonInferiority ? " (non-inferiority)" : ""),
                        ece ? "ECE increase" : metric.equals("class-recall") ? "worst class change" : "change",
                        ece ? "<=" : ">=", ece ? margin : -margin, attacked,
                        (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).comparedTo(baseline).on(test).withSignificance(alpha);
                            if (nonInferiority) {
                                assertion.requiringNonInferiority();
                            }
                            return switch (metric) {
                                case "accuracy" -> judged(() -> assertion.hasAccuracyNotWorseBy(margin),
                                        () -> assertion.accuracyReport().overall().difference().estimate());
                                case "class-recall" -> judged(() -> assertion.hasRecallOfEveryClassNotWorseBy(margin),
                                        () -> assertion.accuracyReport().worstClass()
                                                .map(c -> c.difference().estimate()).orElse(Double.NaN));
                                case "robust-accuracy" -> judged(() -> assertion.hasRobustAccuracyNotWorseBy(attack,
                                        margin), () -> assertion.robustAccuracyReport(attack).overall().difference()
                                        .estimate());
                                default -> judged(() -> assertion.hasEceNotWorseBy(margin),
                                        () -> assertion.calibrationReport().difference());
                            };
                        });
            }
            case "sanity" -> {
                spec.only(fields("check", "attack", "epsilon", "steps", "samples"));
                Attack attack = attack(spec, warnings);
                // the sanity checks run about six attacks (APGD and Square among them): a seeded sample keeps them
                // affordable on a large test set
                SpecNode samplesNode = spec.optional("samples");
                int samples = samplesNode == null ? Integer.MAX_VALUE : samplesNode.integer();
                if (samples < 1) {
                    throw samplesNode.error("must be >= 1");
                }
                String on = samplesNode == null ? "" : " on " + samples + " samples";
                yield measured("sanity checks of " + attack.name() + on, "sanity checks passed (1 = all)", ">=", 1,
                        true, (m, baseline, test, train, seed) -> {
                            Dataset data = samples < test.size() ? test.sample(samples, seed) : test;
                            var assertion = assertThatModel(m).withSeed(seed).on(data).underAttack(attack);
                            return judged(assertion::passesSanityChecks,
                                    () -> assertion.sanityReport().passed() ? 1 : 0);
                        });
            }
            case "robustness" -> {
                spec.only(fields("check", "attack", "epsilon", "steps", "atLeast"));
                Attack attack = attack(spec, warnings);
                double t = bar(spec.required("atLeast"), ">=", warnings);
                GateCheck robustness = measured("robust accuracy under " + attack.name(), "robust accuracy", ">=", t,
                        !(attack instanceof SquareAttack), (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test).underAttack(attack);
                            return judged(() -> assertion.hasRobustAccuracyAtLeast(t),
                                    () -> assertion.report().robustAccuracy());
                        });
                yield withRadiusWarning(robustness, spec.required("epsilon"));
            }
            case "corruption" -> {
                spec.only(fields("check", "kind", "severity", "sigma", "atLeast"));
                Corruption corruption = corruption(spec);
                double t = bar(spec.required("atLeast"), ">=", warnings);
                yield measured("accuracy under " + corruption.name(), "accuracy", ">=", t, false,
                        (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test);
                            return judged(() -> assertion.hasAccuracyUnder(corruption, t),
                                    () -> assertion.accuracyReportUnder(corruption).accuracy());
                        });
            }
            case "calibration" -> {
                spec.only(fields("check", "eceAtMost"));
                double t = bar(spec.required("eceAtMost"), "<=", warnings);
                yield measured("calibration", "expected calibration error", "<=", t, false,
                        (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test).calibration();
                            return judged(() -> assertion.hasEceAtMost(t),
                                    () -> assertion.report().expectedCalibrationError());
                        });
            }
            case "drift" -> {
                spec.only(fields("check", "test"));
                SpecNode which = spec.required("test");
                DriftDetector drift = Drifts.Named.of(which.text()).orElseThrow(() -> which.error("unknown drift test;"
                        + " use " + Drifts.Named.labels() + " (" + Drifts.Named.MIXED.description() + ")"))
                        .standard();
                boolean categoricalOnly = drift instanceof Chi2Drift;
                yield measured("no drift by " + drift.name(), "p-value", ">=", Double.NaN, false,
                        (m, baseline, test, train, seed) -> {
                            if (categoricalOnly) {
                                requireCategorical(train, test);
                            }
                            DriftAssert assertion = new DriftAssert(new DataComparison(train, test, seed));
                            return new Judged(() -> assertion.showsNoDrift(drift),
                                    () -> assertion.result(drift).pValue(), () -> assertion.result(drift).threshold());
                        });
            }
            case "trust" -> {
                spec.only(fields("check", "aurocAtLeast"));
                double t = bar(spec.required("aurocAtLeast"), ">=", warnings);
                if (t <= 0.5) {
                    warnings.add(spec.required("aurocAtLeast").warning("an AUROC bar of " + t + " accepts trust"
                            + " scores no better than chance (0.5)"));
                }
                yield measured("trust score separates errors", "AUROC correct vs wrong", ">=", t, false,
                        (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test).trustScores(train);
                            return judged(() -> assertion.separatesErrorsWithAurocAtLeast(t),
                                    () -> assertion.report().trustScoreAuroc());
                        });
            }
            case "counterfactuals" -> {
                spec.only(fields("check", "method", "validAtLeast"));
                SpecNode method = spec.required("method");
                CounterfactualMethod cf = switch (method.text()) {
                    case "wachter" -> Counterfactuals.wachter().distance(Distance.MAD_L1);
                    case "prototype" -> Counterfactuals.prototypeGuided().budget(3, 100);
                    default -> throw method.error("unknown method; use wachter or prototype");
                };
                double t = bar(spec.required("validAtLeast"), ">=", warnings);
                yield measured("counterfactuals by " + cf.name(), "valid fraction", ">=", t, true,
                        (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test).counterfactuals(cf, train);
                            return judged(() -> assertion.areValidFor(t), () -> assertion.report().validity());
                        });
            }
            default -> {
                spec.only(fields("check", "method", "maxSensitivityAtMost"));
                SpecNode method = spec.required("method");
                Explainer explainer = switch (method.text()) {
                    case "saliency" -> Explainers.saliency();
                    case "integrated-gradients" -> Explainers.integratedGradients(32);
                    case "smoothgrad" -> Explainers.smoothGrad(0.15, 10);
                    default -> throw method.error("unknown method; use saliency, integrated-gradients or smoothgrad");
                };
                SpecNode bar = spec.required("maxSensitivityAtMost");
                double t = bar.number();
                if (t < 0) {
                    throw bar.error("must be >= 0: max-sensitivity is a ratio of norms, so a negative bar can never"
                            + " pass");
                }
                if (t > MAX_SENSITIVITY_BAR) {
                    warnings.add(bar.warning("a bar of " + t + " lets an explanation change by more than "
                            + MAX_SENSITIVITY_BAR + " times its own size under a 0.02 perturbation; it can hardly"
                            + " fail"));
                }
                yield measured("stability of " + explainer.name(), "mean max-sensitivity", "<=", t, true,
                        (m, baseline, test, train, seed) -> {
                            var assertion = assertThatModel(m).withSeed(seed).on(test).explanations(explainer);
                            StabilityCriterion criterion = new StabilityCriterion(Stability.maxSensitivity(), t);
                            return judged(() -> assertion.areStable(criterion),
                                    () -> assertion.stability(criterion.metric()).mean());
                        });
            }
        };
        return warn ? softened(parsed) : parsed;
    }

    /**
     * Chi-squared counts categories: on a continuous column every value is its own category and the test says
     * nothing. Refuses the data naming the first column that is not categorical (non-integer values, or more
     * distinct values than {@link MixedDrift#DEFAULT_MAX_CATEGORIES} or the rows support): the data does
     * not fit the check, so the gate stops with exit 2.
     */
    private static void requireCategorical(Dataset train, Dataset test) {
        for (int j = 0; j < train.featureCount(); j++) {
            if (!MixedDrift.looksCategorical(column(train, j), column(test, j),
                    MixedDrift.DEFAULT_MAX_CATEGORIES)) {
                throw new InvalidDataException("chi2 drift needs categorical features, but feature " + j + " holds"
                        + " non-integer values or more than " + MixedDrift.DEFAULT_MAX_CATEGORIES + " distinct"
                        + " values; use test: ks for numeric data, or test: mixed for tables of both kinds");
            }
        }
    }

    private static double[] column(Dataset data, int j) {
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.features(i)[j];
        }
        return values;
    }

    /** The fields a check of this kind takes, plus {@code warn} (a soft bar), which every check takes. */
    private static Set<String> fields(String... names) {
        Set<String> fields = new HashSet<>(List.of(names));
        fields.add("warn");
        return fields;
    }

    private static boolean bool(SpecNode node) {
        return switch (node.text()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw node.error("must be true or false, got '" + node.text() + "'");
        };
    }

    /**
     * A soft bar ({@code warn: true}): a missed bar is reported as a warning (WARN, {@code "status": "warned"})
     * and does not fail the gate; a check that breaks still fails, and a skipped one stays skipped.
     */
    private static GateCheck softened(GateCheck check) {
        return new Forwarding(check) {
            @Override
            public CheckResult run(Classifier model, Classifier baseline, Dataset test, Dataset train, long seed) {
                CheckResult result = check.run(model, baseline, test, train, seed);
                return result.failed() ? result.asWarning() : result;
            }
        };
    }

    /** A check that does what another does, but for what a subclass overrides: a decorator's base. */
    abstract class Forwarding implements GateCheck {
        final GateCheck check;

        Forwarding(GateCheck check) {
            this.check = check;
        }

        @Override
        public String name() {
            return check.name();
        }

        @Override
        public CheckResult run(Classifier model, Classifier baseline, Dataset test, Dataset train, long seed) {
            return check.run(model, baseline, test, train, seed);
        }

        @Override
        public List<String> warnings(Dataset test) {
            return check.warnings(test);
        }
    }

    /** Above this, a max-sensitivity bar tests nothing (the explanation may change by ten times its size). */
    double MAX_SENSITIVITY_BAR = 10;

    /** A fraction bar in [0, 1]; one that cannot fail (at least 0, at most 1) is a warning. */
    private static double bar(SpecNode node, String comparison, List<String> warnings) {
        double t = node.fraction();
        if (comparison.equals(">=") ? t == 0 : t == 1) {
            warnings.add(node.warning("a bar of " + comparison + " " + t + " can never fail; the check tests"
                    + " nothing"));
        }
        return t;
    }

    private static Attack attack(SpecNode spec, List<String> warnings) {
        SpecNode epsilonNode = spec.required("epsilon");
        double epsilon = epsilonNode.number();
        if (epsilon < 0) {
            throw epsilonNode.error("must be >= 0");
        }
        if (epsilon == 0) {
            warnings.add(epsilonNode.warning("an attack of radius 0 changes nothing: robust accuracy is clean"
                    + " accuracy"));
        }
        SpecNode kind = spec.required("attack");
        String attack = kind.text().toLowerCase(Locale.ROOT);
        SpecNode stepsNode = spec.optional("steps");
        if (stepsNode != null && !attack.equals("pgd")) {
            throw stepsNode.error("applies to pgd only; " + attack + " does not take steps (the cascade and square"
                    + " use their own budgets): remove it");
        }
        int steps = stepsNode == null ? 20 : stepsNode.integer(1, 100_000, "gradient steps");
        return switch (attack) {
            case "fgsm" -> Attacks.fgsm().linf(epsilon);
            case "pgd" -> Attacks.pgd().linf(epsilon).steps(steps);
            case "cascade" -> Attacks.autoAttackStyle(epsilon);
            case "square" -> Attacks.square().linf(epsilon);
            default -> throw kind.error("unknown attack '" + kind.text() + "'; use fgsm, pgd, cascade or square");
        };
    }

    /** Warns when the attack radius covers the test data's whole value range: no model can pass then. */
    private static GateCheck withRadiusWarning(GateCheck check, SpecNode epsilonNode) {
        double epsilon = epsilonNode.number();
        return new Forwarding(check) {
            @Override
            public List<String> warnings(Dataset test) {
                double range = test.bounds().upper() - test.bounds().lower();
                return Double.isFinite(range) && epsilon >= range / 2 ? List.of(epsilonNode.warning("epsilon "
                        + epsilon + " is at least half the data's value range [" + test.bounds().lower() + ", "
                        + test.bounds().upper() + "]: the ball reaches inputs of every class, so the check says"
                        + " nothing about robustness")) : List.of();
            }
        };
    }

    private static Corruption corruption(SpecNode spec) {
        SpecNode kind = spec.required("kind");
        if (kind.text().equals("gaussian")) {
            if (spec.optional("severity") != null) {
                throw spec.optional("severity").error("does not apply to gaussian noise, which takes sigma: remove"
                        + " it");
            }
            SpecNode sigma = spec.required("sigma");
            if (sigma.number() < 0) {
                throw sigma.error("must be >= 0 (the noise's standard deviation)");
            }
            return new GaussianNoise(sigma.number());
        }
        if (spec.optional("sigma") != null) {
            throw spec.optional("sigma").error("applies to kind gaussian only; " + kind.text() + " takes severity"
                    + " 1..5: remove it");
        }
        int severity = spec.integerOr("severity", 2);
        if (severity < 1 || severity > 5) {
            throw spec.required("severity").error("must be in 1..5");
        }
        String name = kind.text().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ImageCorruption.Kind image : ImageCorruption.Kind.values()) {
            if (image.name().equals(name)) {
                return new ImageCorruption(image, severity);
            }
        }
        for (TabularCorruption.Kind tabular : TabularCorruption.Kind.values()) {
            if (("TABULAR_" + tabular.name()).equals(name)) {
                return new TabularCorruption(tabular, severity);
            }
        }
        throw kind.error("unknown corruption '" + kind.text() + "'; use gaussian (with sigma), an image kind "
                + Arrays.toString(ImageCorruption.Kind.values()).toLowerCase(Locale.ROOT).replace('_', '-')
                + " or tabular-gaussian-noise, tabular-scaling, tabular-missing-values");
    }

    /**
     * The body of a check: builds its assertion and says what it judges. Nothing is measured here: the assertion
     * measures once, inside its evidence step, and the value is read from its typed report afterwards.
     */
    interface Step {
        Judged check(Classifier model, Classifier baseline, Dataset test, Dataset train, long seed);
    }

    /**
     * What a check judges: the assertion to run and, read after it (passed or failed), the value it judged and,
     * where the check derives its own bar (a drift test's corrected significance level), that bar.
     *
     * @param assertion runs the assertion; an {@link AssertionError} is a failed check
     * @param value the value judged, from the assertion's report
     * @param bar the bar the check derived, or null for the spec's threshold
     */
    record Judged(Runnable assertion, DoubleSupplier value, DoubleSupplier bar) {}

    /** A check judged against the spec's own threshold. */
    private static Judged judged(Runnable assertion, DoubleSupplier value) {
        return new Judged(assertion, value, null);
    }

    /**
     * A check that measures one value against a bar. {@code needsInputGradients}: every attack but Square (the
     * cascade holds APGD), the sanity checks (whatever the attack, they inspect gradients and compare with FGSM and
     * APGD), counterfactuals and the gradient explainers; on a model without input gradients (ONNX) such a check is
     * skipped with the model's reason instead of failing.
     */
    private static GateCheck measured(String name, String metric, String comparison, double threshold,
            boolean needsInputGradients, Step step) {
        return measured(name, metric, comparison, threshold, needsInputGradients, null, step);
    }

    /** As above; a check that also needs a capability (e.g. the layer view) is skipped without it, with the reason. */
    private static GateCheck measured(String name, String metric, String comparison, double threshold,
            boolean needsInputGradients, Class<?> capability, Step step) {
        return new GateCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run(Classifier model, Classifier baseline, Dataset test, Dataset train, long seed) {
                if (needsInputGradients && !model.hasInputGradients()) {
                    return CheckResult.skipped(name, metric, comparison, threshold, "needs input gradients: "
                            + model.missingCapabilityReason(InputGradients.class));
                }
                if (capability != null && model.capability(capability).isEmpty()) {
                    return CheckResult.skipped(name, metric, comparison, threshold, "needs the model's "
                            + capability.getSimpleName() + ": " + model.missingCapabilityReason(capability));
                }
                long start = System.nanoTime();
                String message = "";
                CheckResult.Status status = CheckResult.Status.PASSED;
                Judged judged = step.check(model, baseline, test, train, seed);
                try {
                    judged.assertion().run();
                } catch (AssertionError e) {
                    status = CheckResult.Status.FAILED;
                    message = Objects.toString(e.getMessage(), e.toString());
                }
                double value = judged.value().getAsDouble();
                double bar = judged.bar() == null ? threshold : judged.bar().getAsDouble();
                return new CheckResult(name, status, metric, value, comparison, bar,
                        (System.nanoTime() - start) / 1e9, message);
            }
        };
    }
}

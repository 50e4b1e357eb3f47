package dev.gauntlet.assertj;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.certify.RandomizedSmoothing;
import dev.gauntlet.counterfactual.CounterfactualMethod;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.anchor.AnchorImage;
import dev.gauntlet.explain.concept.ActivationMaps;
import dev.gauntlet.explain.concept.Spray;
import dev.gauntlet.model.AccuracyReport;
import dev.gauntlet.report.BarChart;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Verdicts;
import dev.gauntlet.shift.ConsistencyReport;
import dev.gauntlet.shift.Corruption;
import dev.gauntlet.shift.ImageCorruption;
import dev.gauntlet.shift.SeverityCurve;
import dev.gauntlet.slice.Slice;
import dev.gauntlet.slice.SliceMetrics;
import dev.gauntlet.uncertainty.UncertaintyMethod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Assertions on a classifier judged on one dataset. Every check records its evidence (a step
 * with its parameters, a metrics JSON, a picture) before it can fail, and fails with a message
 * naming the check, its parameters, the sample size, the threshold and the actual value.
 */
public class ModelOnDataAssert extends GauntletAssert<ModelOnDataAssert, ModelOnData> {

    private AccuracyReport accuracy;
    private final Map<Corruption, AccuracyReport> accuracyUnder = new HashMap<>();

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data)}.
     *
     * @param actual the model and data under test
     */
    public ModelOnDataAssert(ModelOnData actual) {
        super(actual, ModelOnDataAssert.class);
    }

    /**
     * Returns the clean accuracy report (measuring it if no check has yet).
     *
     * @return the report
     */
    public AccuracyReport accuracyReport() {
        if (accuracy == null) {
            accuracy = AccuracyReport.of(actual.classifier(), actual.data());
        }
        return accuracy;
    }

    /**
     * Returns the accuracy report on the data under a corruption seeded with this assertion's seed (measuring it
     * if no check has yet under that corruption).
     *
     * @param corruption the shift to apply
     * @return the report
     */
    public AccuracyReport accuracyReportUnder(Corruption corruption) {
        Objects.requireNonNull(corruption, "corruption");
        return accuracyUnder.computeIfAbsent(corruption, c -> AccuracyReport.of(actual.classifier(),
                c.apply(actual.data(), actual.seed())));
    }

    /**
     * Verifies that the clean accuracy is at least {@code threshold}.
     *
     * <pre>{@code
     * assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.85);  // passes at 0.90
     * assertThatModel(cnn).on(test).hasAccuracyAtLeast(0.95);  // fails: accuracy >= 0.95 but was 0.90
     * }</pre>
     *
     * @param threshold the least acceptable accuracy, in [0, 1]
     * @return this assertion
     */
    public ModelOnDataAssert hasAccuracyAtLeast(double threshold) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        AccuracyReport report = measure("accuracy", parameters, this::accuracyReport);
        failUnlessAtLeast("accuracy", parameters, report.samples(), "accuracy", threshold, report.accuracy());
        return myself;
    }

    /**
     * Verifies that the accuracy on corrupted data is at least {@code threshold}.
     *
     * @param corruption the shift to apply, seeded with this assertion's seed
     * @param threshold the least acceptable accuracy, in [0, 1]
     * @return this assertion
     */
    public ModelOnDataAssert hasAccuracyUnder(Corruption corruption, double threshold) {
        isNotNull();
        Objects.requireNonNull(corruption, "corruption");
        requireFraction(threshold, "threshold");
        String check = "accuracy under " + corruption.name();
        Map<String, Object> parameters = parameters("threshold", threshold);
        parameters.put("corruption", corruption.name());
        AccuracyReport report = measure(check, parameters, () -> accuracyReportUnder(corruption));
        failUnlessAtLeast(check, parameters, report.samples(), "accuracy", threshold, report.accuracy());
        return myself;
    }

    /**
     * Starts a check of the accuracy under a corruption, finished by {@code atLeast(threshold)}:
     * <pre>{@code
     * assertThatModel(cnn).on(test).hasAccuracyUnder(gaussianNoise(3)).atLeast(0.7);
     * }</pre>
     *
     * @param corruption the shift to apply, seeded with this assertion's seed
     * @return the pending check
     */
    public AccuracyUnder hasAccuracyUnder(Corruption corruption) {
        Objects.requireNonNull(corruption, "corruption");
        return threshold -> hasAccuracyUnder(corruption, threshold);
    }

    /** A pending accuracy-under-corruption check. */
    @FunctionalInterface
    public interface AccuracyUnder {

        /**
         * Verifies that the accuracy under the corruption is at least {@code threshold}.
         *
         * @param threshold the least acceptable accuracy, in [0, 1]
         * @return the model assertion, to chain more checks
         */
        ModelOnDataAssert atLeast(double threshold);
    }

    /**
     * Verifies that at least {@code threshold} of the predictions stay the same under a corruption
     * (whatever the labels), i.e. the model is stable under that shift.
     *
     * @param corruption the shift to apply, seeded with this assertion's seed
     * @param threshold the least acceptable fraction of unchanged predictions, in [0, 1]
     * @return this assertion
     */
    public ModelOnDataAssert predictionsAreConsistentUnder(Corruption corruption, double threshold) {
        isNotNull();
        Objects.requireNonNull(corruption, "corruption");
        requireFraction(threshold, "threshold");
        String check = "prediction consistency under " + corruption.name();
        Map<String, Object> parameters = parameters("threshold", threshold);
        parameters.put("corruption", corruption.name());
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.classifier(), actual.data());
        ConsistencyReport report = evidence.step(check, parameters, () -> {
            ConsistencyReport result = ConsistencyReport.of(actual.classifier(), actual.data(), corruption,
                    actual.seed());
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            metrics.put("consistency", result.consistency());
            evidence.metrics(check + " metrics", metrics);
            return result;
        });
        failUnlessAtLeast(check, parameters, actual.data().size(), "fraction of unchanged predictions", threshold,
                report.consistency());
        return myself;
    }

    /**
     * Verifies that accuracy at the worst severity (5) of an image corruption is at least
     * {@code threshold}; records the accuracy-by-severity chart and a grid of corrupted examples.
     *
     * @param kind the corruption
     * @param threshold the least acceptable accuracy at severity 5, in [0, 1]
     * @return this assertion
     */
    public ModelOnDataAssert hasAccuracyAcrossSeverities(ImageCorruption.Kind kind, double threshold) {
        isNotNull();
        Objects.requireNonNull(kind, "kind");
        requireFraction(threshold, "threshold");
        String check = "accuracy by severity of " + kind.name().toLowerCase(Locale.ROOT);
        Map<String, Object> parameters = parameters("threshold", threshold);
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.classifier(), actual.data());
        SeverityCurve curve = evidence.step(check, parameters, () -> {
            SeverityCurve result = SeverityCurve.of(actual.classifier(), actual.data(), kind, actual.seed());
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            metrics.put("accuracyBySeverity", result.accuracy());
            evidence.metrics(check + " metrics", metrics);
            evidence.chart(new LineChart(check, "severity (0 = clean)", "accuracy", List.of(new LineChart.Series(
                    kind.name().toLowerCase(Locale.ROOT), new double[] {0, 1, 2, 3, 4, 5}, result.accuracy()))));
            long[] shape = actual.data().sampleShape().getShape();
            int height = (int) shape[shape.length - 2];
            int width = (int) shape[shape.length - 1];
            if (evidence.isRecording() && actual.data().featureCount() == height * width
                    && !result.examples().isEmpty()) {
                List<ImageGrid.Tile> tiles = new ArrayList<>();
                for (int s = 1; s <= SeverityCurve.MAX_SEVERITY; s++) {
                    tiles.add(new ImageGrid.Tile("severity " + s, width, height, result.examples().get(s - 1),
                            ImageGrid.Palette.GREY));
                }
                evidence.imageGrid(new ImageGrid("corrupted examples: " + kind.name().toLowerCase(Locale.ROOT),
                        5, tiles));
            }
            return result;
        });
        failUnlessAtLeast(check, parameters, actual.data().size(), "accuracy at severity 5", threshold,
                curve.worst());
        return myself;
    }

    /**
     * Continues with the same model on corrupted data, e.g. to run several checks under one shift.
     *
     * @param corruption the shift to apply, seeded with this assertion's seed
     * @return assertions on the model on the corrupted data
     */
    public ModelOnDataAssert underCorruption(Corruption corruption) {
        isNotNull();
        Objects.requireNonNull(corruption, "corruption");
        ModelOnData shifted = new ModelOnData(actual.classifier(), corruption.apply(actual.data(), actual.seed()),
                actual.seed());
        return factory.create(ModelOnDataAssert.class, ModelOnData.class, shifted);
    }

    /**
     * Starts the parameter map every check of this assertion shows: its own parameter, the
     * dataset, the sample size and the seed.
     *
     * @param name the check's main parameter
     * @param value its value
     * @return a mutable, ordered map
     */
    protected Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "dataset", actual.data().name(),
                "samples", actual.data().size(),
                "seed", actual.seed());
    }

    /**
     * Continues with the model under an adversarial attack.
     *
     * <pre>{@code
     * assertThatModel(cnn).on(test).underAttack(pgd().linf(0.1).steps(20)).hasRobustAccuracyAtLeast(0.6);
     * }</pre>
     *
     * @param attack the attack, e.g. {@code Attacks.pgd().linf(0.1).steps(20)}
     * @return assertions on the model under that attack
     */
    public RobustnessAssert underAttack(Attack attack) {
        isNotNull();
        Objects.requireNonNull(attack, "attack must not be null: pass e.g. Attacks.pgd().linf(0.1)");
        return factory.create(RobustnessAssert.class, ModelUnderAttack.class, new ModelUnderAttack(actual, attack));
    }

    /**
     * Continues with the model smoothed by Gaussian noise (Cohen et al. 2019): certified L2 radii,
     * black-box, for any model.
     *
     * <pre>{@code
     * assertThatModel(model).on(sample).smoothed(RandomizedSmoothing.gaussian(0.25)).hasCertifiedAccuracyAtLeast(0.5, 0.6);
     * }</pre>
     *
     * @param smoothing the smoothing, e.g. {@code RandomizedSmoothing.gaussian(0.25)}
     * @return smoothing assertions
     */
    public SmoothingAssert smoothed(RandomizedSmoothing smoothing) {
        isNotNull();
        Objects.requireNonNull(smoothing, "smoothing must not be null: pass e.g. RandomizedSmoothing.gaussian(0.25)");
        return factory.create(SmoothingAssert.class, SmoothingSubject.class, new SmoothingSubject(actual, smoothing));
    }

    /**
     * Continues with the calibration of the model's confidence on this data.
     *
     * @return calibration assertions
     */
    public CalibrationAssert calibration() {
        isNotNull();
        return factory.create(CalibrationAssert.class, ModelOnData.class, actual);
    }

    /**
     * Continues with explanations of this data's predicted classes: their stability, faithfulness
     * and sanity.
     *
     * <pre>{@code
     * assertThatModel(cnn).on(test).explanations(integratedGradients(50)).passCompleteness(0.05)
     *         .areStable(maxSensitivityAtMost(0.2)).passModelRandomizationCheck();
     * }</pre>
     *
     * @param explainer e.g. {@code Explainers.integratedGradients(50)}
     * @return explanation assertions
     */
    public ExplanationAssert explanations(Explainer explainer) {
        isNotNull();
        Objects.requireNonNull(explainer, "explainer must not be null: use e.g. Explainers.saliency()");
        return factory.create(ExplanationAssert.class, ExplanationSubject.class, new ExplanationSubject(actual, explainer));
    }

    /**
     * Continues with anchors of this data's predictions, fitted on {@code train}'s quartile bins.
     *
     * @param train the model's training data
     * @return anchor assertions
     */
    public AnchorAssert anchors(Dataset train) {
        isNotNull();
        Objects.requireNonNull(train, "train must not be null: pass the model's training data");
        return factory.create(AnchorAssert.class, TrustSubject.class, new TrustSubject(actual, train));
    }

    /**
     * Continues with image anchors (alibi's {@code AnchorImage}) of this data's predictions.
     *
     * <pre>{@code
     * assertThatModel(cnn).on(images).imageAnchors(AnchorImage.defaults()).reachPrecisionWithAtMostSuperpixels(0.95, 3);
     * }</pre>
     *
     * @param explainer e.g. {@code AnchorImage.defaults().segmenter(Segmenter.slic(50, 0.1))}
     * @return image-anchor assertions
     */
    public ImageAnchorAssert imageAnchors(AnchorImage explainer) {
        isNotNull();
        Objects.requireNonNull(explainer, "explainer must not be null: use AnchorImage.defaults()");
        return factory.create(ImageAnchorAssert.class, ImageAnchorAssert.Subject.class,
                new ImageAnchorAssert.Subject(actual, explainer));
    }

    /**
     * Continues with the activation maps of a layer on this data: which channels respond where.
     *
     * @param maps e.g. {@code ActivationMaps.ofLayer(0)}
     * @return activation assertions
     */
    public ActivationAssert activations(ActivationMaps maps) {
        isNotNull();
        Objects.requireNonNull(maps, "maps must not be null: use ActivationMaps.ofLayer(index)");
        return factory.create(ActivationAssert.class, ActivationAssert.Subject.class,
                new ActivationAssert.Subject(actual, maps));
    }

    /**
     * Continues with a concept's influence on a class (TCAV), this data being the inputs whose
     * sensitivity is measured (e.g. images of that class).
     *
     * @param concept examples of the concept
     * @param randomPool examples for random counterparts (at least twice as many)
     * @param layer the top-level layer whose activations are used
     * @param targetClass the class
     * @return concept assertions
     */
    public ConceptAssert concept(Dataset concept, Dataset randomPool, int layer, int targetClass) {
        isNotNull();
        return factory.create(ConceptAssert.class, ConceptAssert.Subject.class,
                new ConceptAssert.Subject(actual, concept, randomPool, layer, targetClass));
    }

    /**
     * Continues with SpRAy's Clever-Hans detection for one class, with its defaults.
     *
     * @param targetClass the class
     * @return SpRAy assertions
     */
    public SprayAssert spray(int targetClass) {
        isNotNull();
        return factory.create(SprayAssert.class, SprayAssert.Subject.class,
                new SprayAssert.Subject(actual, Spray.defaults(), targetClass));
    }

    /**
     * Continues with counterfactuals of this data's samples: how much change switches the class.
     *
     * <pre>{@code
     * assertThatModel(model).on(test).counterfactuals(wachter(), train).areValidFor(0.9).haveMedianDistanceAtLeast(0.5);
     * }</pre>
     *
     * @param method e.g. {@code Counterfactuals.wachter()}
     * @param reference the model's training data (or a sample of it)
     * @return counterfactual assertions
     */
    public CounterfactualAssert counterfactuals(CounterfactualMethod method,
            Dataset reference) {
        isNotNull();
        Objects.requireNonNull(method, "method must not be null: use e.g. Counterfactuals.wachter()");
        Objects.requireNonNull(reference, "reference must not be null: pass the model's training data");
        return factory.create(CounterfactualAssert.class, CounterfactualSubject.class,
                new CounterfactualSubject(actual, method, reference));
    }

    /**
     * Continues with trust scores of the model's predictions on this data, fitted on {@code train}.
     *
     * @param train the model's training data (or a sample of it)
     * @return trust-score assertions
     */
    public TrustScoreAssert trustScores(Dataset train) {
        isNotNull();
        Objects.requireNonNull(train, "train must not be null: pass the model's training data");
        return factory.create(TrustScoreAssert.class, TrustSubject.class, new TrustSubject(actual, train));
    }

    /**
     * Continues with the model's uncertainty on this data, sampled by {@code method}.
     *
     * @param method e.g. {@code UncertaintyMethod.mcDropout(30)}
     * @return uncertainty assertions
     */
    public UncertaintyAssert uncertainty(UncertaintyMethod method) {
        isNotNull();
        Objects.requireNonNull(method, "method must not be null: pass e.g. UncertaintyMethod.mcDropout(30)");
        return factory.create(UncertaintyAssert.class, UncertaintySubject.class, new UncertaintySubject(actual, method));
    }

    /**
     * Continues with bars every class must meet on its own (its recall), each judged with a confidence
     * interval so a small class neither passes nor fails on noise; the failure names the worst class.
     *
     * <pre>{@code
     * assertThatModel(cnn).on(test).forEveryClass().hasAccuracyAtLeast(0.6);
     * }</pre>
     *
     * @return per-class assertions
     */
    public SliceAssert forEveryClass() {
        isNotNull();
        return factory.create(SliceAssert.class, ModelOnSlices.class, new ModelOnSlices(actual,
                SliceMetrics.everyClass(Math.max(actual.data().numClasses(),
                        actual.classifier().numClasses())), true));
    }

    /**
     * Continues with bars every named slice of the data must meet on its own (a predicate on the
     * sample's features and label, or a feature range), each judged with a confidence interval.
     *
     * <pre>{@code
     * assertThatModel(mlp).on(test).onSlices(Slice.featureRange("radius 15-20", 0, 15, 20)).hasAccuracyAtLeast(0.9);
     * }</pre>
     *
     * @param slices the slices, e.g. {@code Slice.where("age 60+", (x, y) -> x[0] >= 60)}
     * @return per-slice assertions
     */
    public SliceAssert onSlices(Slice... slices) {
        isNotNull();
        return factory.create(SliceAssert.class, ModelOnSlices.class, new ModelOnSlices(actual, List.of(slices), false));
    }

    private AccuracyReport measure(String check, Map<String, Object> parameters, Supplier<AccuracyReport> measure) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.classifier(), actual.data());
        Dataset data = actual.data();
        return evidence.step(check, parameters, () -> {
            AccuracyReport report = measure.get();
            evidence.metrics(check + " metrics", parameters, report.toMap());
            if (evidence.isRecording()) {
                List<String> classes = new ArrayList<>();
                double[] perClass = new double[data.numClasses()];
                for (int c = 0; c < perClass.length; c++) {
                    classes.add(Integer.toString(c));
                    perClass[c] = report.classAccuracy(c);
                }
                evidence.chart(new BarChart(check + " per class", "class", "accuracy", classes, perClass));
            }
            int worst = 0;
            for (int c = 1; c < data.numClasses(); c++) {
                worst = report.classAccuracy(c) < report.classAccuracy(worst) ? c : worst;
            }
            Verdicts.worstClass(String.valueOf(actual), check, String.format(Locale.ROOT,
                    "class %d: %.3f", worst, report.classAccuracy(worst)));
            return report;
        });
    }
}

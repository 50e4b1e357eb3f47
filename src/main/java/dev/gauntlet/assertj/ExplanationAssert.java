package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.explain.IntegratedGradients;
import dev.gauntlet.explain.quality.CompletenessReport;
import dev.gauntlet.explain.quality.ModelRandomization;
import dev.gauntlet.explain.quality.StabilityCriterion;
import dev.gauntlet.explain.quality.StabilityMetric;
import dev.gauntlet.explain.quality.StabilityReport;
import dev.gauntlet.report.BarChart;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Assertions that a model's explanations are faithful, stable and sane. Every check attaches the
 * explanations: for images, original | attribution | overlay per sample; for tabular data, the
 * features ranked by mean absolute attribution; stability checks add a per-sample chart.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).explanations(integratedGradients(50))
 *         .passCompleteness(0.05).areStable(maxSensitivityAtMost(0.2)).passModelRandomizationCheck();
 * }</pre>
 */
public class ExplanationAssert extends GauntletAssert<ExplanationAssert, ExplanationSubject> {

    private static final int SHOWN = 6;

    private ExplanationBatch explanations;
    private final Map<StabilityMetric, StabilityReport> stability = new HashMap<>();

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).explanations(explainer)}.
     *
     * @param actual the model, data and explainer
     */
    public ExplanationAssert(ExplanationSubject actual) {
        super(actual, ExplanationAssert.class);
    }

    /**
     * Verifies the explanations' mean stability under small input perturbations.
     *
     * @param criterion e.g. {@code StabilityCriterion.maxSensitivityAtMost(0.2)}
     * @return this assertion
     */
    public ExplanationAssert areStable(StabilityCriterion criterion) {
        isNotNull();
        Objects.requireNonNull(criterion, "criterion");
        Map<String, Object> parameters = parameters("metric", criterion.metric().name());
        parameters.put("threshold", criterion.threshold());
        Evidence evidence = evidence();
        StabilityReport report = evidence.step("explanation stability", parameters, () -> {
            record(evidence);
            StabilityReport result = stability(criterion.metric());
            evidence.metrics("stability metrics", parameters, result.toMap());
            if (evidence.isRecording()) {
                evidence.chart(new BarChart("stability per sample: " + criterion.metric().name(), "sample",
                        criterion.metric().name(), IntStream.range(0, result.samples()).mapToObj(Integer::toString)
                                .toList(), result.perSample()));
            }
            return result;
        });
        String metric = "mean " + criterion.metric().name();
        if (criterion.atLeast()) {
            failUnlessAtLeast("explanation stability", parameters, report.samples(), metric, criterion.threshold(),
                    report.mean());
        } else {
            failUnlessAtMost("explanation stability", parameters, report.samples(), metric, criterion.threshold(),
                    report.mean());
        }
        return myself;
    }

    /**
     * Returns the explanations' stability by one metric (measuring it if no check has yet with that metric).
     *
     * @param metric e.g. {@code Stability.maxSensitivity()}
     * @return the report
     */
    public StabilityReport stability(StabilityMetric metric) {
        Objects.requireNonNull(metric, "metric");
        return stability.computeIfAbsent(metric, m -> StabilityReport.of(m, actual.explainer(), target().classifier(),
                target().data(), target().seed()));
    }

    /**
     * Verifies Integrated Gradients' completeness: for every sample, |Σ attributions − (z_c(x) − z_c(x′))|
     * is at most {@code tolerance}.
     *
     * @param tolerance the largest acceptable completeness delta, {@code >= 0}
     * @return this assertion
     * @throws IllegalStateException if the explainer is not Integrated Gradients
     */
    public ExplanationAssert passCompleteness(double tolerance) {
        isNotNull();
        if (!(actual.explainer() instanceof IntegratedGradients ig)) {
            throw new IllegalStateException("completeness is a property of Integrated Gradients; this check explains"
                    + " with " + actual.explainer().name());
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        Map<String, Object> parameters = parameters("tolerance", tolerance);
        Evidence evidence = evidence();
        CompletenessReport report = evidence.step("integrated-gradients completeness", parameters, () -> {
            ExplanationBatch e = explanations();
            record(evidence);
            CompletenessReport result = CompletenessReport.of(ig, target().classifier(), target().data(), e);
            evidence.metrics("completeness metrics", parameters, result.toMap());
            return result;
        });
        failUnlessAtMost("integrated-gradients completeness", parameters, target().data().size(),
                "largest |Σ attributions − (f(x) − f(x′))|", tolerance, report.maxAbsolute());
        return myself;
    }

    /**
     * Verifies the model-parameter randomisation test with the default bound
     * ({@value ModelRandomization#DEFAULT_BOUND}) on the last parameterised layer.
     *
     * @return this assertion
     */
    public ExplanationAssert passModelRandomizationCheck() {
        return passModelRandomizationCheck(1, ModelRandomization.DEFAULT_BOUND);
    }

    /**
     * Verifies that explanations change when the model's last layers are randomised: the mean
     * rank correlation of |attributions| between the trained and the randomised model is at most
     * {@code maxCorrelation}.
     *
     * @param layers how many of the last parameterised layers to randomise
     * @param maxCorrelation the bound, in [-1, 1]
     * @return this assertion
     */
    public ExplanationAssert passModelRandomizationCheck(int layers, double maxCorrelation) {
        isNotNull();
        Map<String, Object> parameters = parameters("maxCorrelation", maxCorrelation);
        parameters.put("randomizedLayers", layers);
        Evidence evidence = evidence();
        ModelRandomization result = evidence.step("model-parameter randomization", parameters, () -> {
            record(evidence);
            ModelRandomization run = ModelRandomization.run(actual.explainer(), target().classifier(), target().data(), layers,
                    target().seed());
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            metrics.put("meanCorrelation", run.meanCorrelation());
            metrics.put("randomizedFrom", run.randomizedFrom());
            metrics.put("correlations", run.correlations());
            evidence.metrics("randomization metrics", metrics);
            return run;
        });
        failUnlessAtMost("model-parameter randomization", parameters, target().data().size(),
                "mean rank correlation of |attributions|, trained vs randomised", maxCorrelation,
                result.meanCorrelation());
        return myself;
    }

    /**
     * Verifies that the given features are among the {@code k} with the largest mean absolute
     * attribution.
     *
     * @param k how many top features to look at
     * @param features flat feature indices that must be among them
     * @return this assertion
     */
    public ExplanationAssert topFeaturesInclude(int k, int... features) {
        isNotNull();
        if (k < 1 || features.length == 0) {
            throw new IllegalArgumentException("give k >= 1 and at least one feature");
        }
        Map<String, Object> parameters = parameters("k", k);
        parameters.put("features", Arrays.toString(features));
        Evidence evidence = evidence();
        int[] top = evidence.step("top features", parameters, () -> {
            record(evidence);
            return explanations().topFeatures(k);
        });
        int missing = (int) Arrays.stream(features).filter(f -> Arrays.stream(top).noneMatch(t -> t == f)).count();
        failUnlessAtMost("top features", parameters, target().data().size(),
                "features missing from the top " + k + " " + Arrays.toString(top), 0, missing);
        return myself;
    }

    /**
     * Returns the explanations of the data's predicted classes (computing them if no check has yet).
     *
     * @return the explanations
     */
    public ExplanationBatch explanations() {
        if (explanations == null) {
            explanations = actual.explainer().explain(target().classifier(), target().data(), target().seed());
        }
        return explanations;
    }

    private ModelOnData target() {
        return actual.target();
    }

    private Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "explainer", actual.explainer().name(),
                "dataset", target().data().name(),
                "samples", target().data().size(),
                "seed", target().seed());
    }

    private void record(Evidence evidence) {
        ModelLabels.record(evidence, target().classifier(), target().data());
        if (!evidence.isRecording()) {
            return;
        }
        ExplanationBatch e = explanations();
        Dataset data = target().data();
        int[] size = greyImageSize(data);
        if (size != null) {
            int height = size[0];
            int width = size[1];
            List<ImageGrid.Tile> tiles = new ArrayList<>();
            for (int i = 0; i < Math.min(SHOWN, e.size()); i++) {
                float[] x = data.features(i);
                float[] a = e.attributions()[i];
                tiles.add(new ImageGrid.Tile("class " + e.classes()[i], width, height, x, ImageGrid.Palette.GREY));
                tiles.add(new ImageGrid.Tile("attribution", width, height, a, ImageGrid.Palette.DIVERGING));
                tiles.add(ImageGrid.Tile.overlay("overlay", width, height, x, a));
            }
            evidence.imageGrid(new ImageGrid(actual.explainer().name() + ": original | attribution | overlay", 3,
                    tiles));
            return;
        }
        double[] mean = e.meanAbsolute();
        List<List<String>> rows = new ArrayList<>();
        for (int feature : e.topFeatures(Math.min(15, mean.length))) {
            rows.add(List.of(Integer.toString(feature), String.format("%.4g", mean[feature])));
        }
        evidence.table(new Table(actual.explainer().name() + ": features by mean |attribution|",
                List.of("feature", "mean |attribution|"), rows));
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.concept.Tcav;
import dev.gauntlet.report.BarChart;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ModelLabels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions on how much a concept drives a class (TCAV, Kim et al. 2018). Evidence: the TCAV
 * scores of the concept and of random concepts as bars with ± 1 standard deviation error bars,
 * and the metrics with the p-value.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(imagesOfClass).concept(stripes, randomImages, 4, 3).hasTcavScoreAtLeast(0.7);
 * }</pre>
 */
public class ConceptAssert extends GauntletAssert<ConceptAssert, ConceptAssert.Subject> {

    /**
     * The model and inputs, the concept examples, the random pool, the layer and the class.
     *
     * @param target the model and the inputs whose sensitivity is measured
     * @param concept examples of the concept
     * @param randomPool examples for random counterparts
     * @param layer the layer
     * @param targetClass the class
     */
    public record Subject(ModelOnData target, Dataset concept, Dataset randomPool, int layer, int targetClass) {}

    private static final double ALPHA = 0.05;

    private Tcav.Result result;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(inputs).concept(...)}.
     *
     * @param actual the subject
     */
    public ConceptAssert(Subject actual) {
        super(actual, ConceptAssert.class);
    }

    /**
     * Verifies that the concept drives the class: a mean TCAV score at least {@code threshold},
     * significantly different from random concepts (p &lt; 0.05).
     *
     * @param threshold the least mean score, in [0, 1]
     * @return this assertion
     */
    public ConceptAssert hasTcavScoreAtLeast(double threshold) {
        requireFraction(threshold, "threshold");
        Tcav.Result r = measure(threshold);
        failUnlessAtLeast("TCAV score", Map.of("threshold", threshold, "layer", actual.layer(), "class",
                actual.targetClass()), actual.target().data().size(), "mean TCAV score", threshold, r.meanScore());
        failUnlessAtMost("TCAV significance", Map.of("alpha", ALPHA), actual.target().data().size(),
                "p-value against random concepts", ALPHA, r.pValue());
        return myself;
    }

    /**
     * Verifies that the concept does not drive the class: a mean TCAV score at most
     * {@code threshold}, or no significant difference from random concepts.
     *
     * @param threshold the largest mean score, in [0, 1]
     * @return this assertion
     */
    public ConceptAssert hasTcavScoreAtMost(double threshold) {
        requireFraction(threshold, "threshold");
        Tcav.Result r = measure(threshold);
        if (r.significant(ALPHA)) {
            failUnlessAtMost("TCAV score", Map.of("threshold", threshold, "layer", actual.layer(), "class",
                    actual.targetClass()), actual.target().data().size(), "mean TCAV score (significant, p = "
                    + r.pValue() + ")", threshold, r.meanScore());
        }
        return myself;
    }

    private Tcav.Result measure(double threshold) {
        isNotNull();
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        Map<String, Object> parameters = Fields.of(
                "threshold", threshold,
                "concept", actual.concept().name() + " (" + actual.concept().size() + ")",
                "layer", actual.layer(),
                "class", actual.targetClass());
        return evidence.step("TCAV", parameters, () -> {
            if (result == null) {
                result = new Tcav(actual.layer(), 10).score(actual.target().classifier(), actual.concept(), actual.randomPool(),
                        actual.target().data(), actual.targetClass(), actual.target().seed());
            }
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            metrics.put("meanScore", result.meanScore());
            metrics.put("scoreStd", result.scoreStd());
            metrics.put("randomMeanScore", result.randomMeanScore());
            metrics.put("randomScoreStd", result.randomScoreStd());
            metrics.put("pValue", result.pValue());
            evidence.metrics("TCAV metrics", metrics);
            if (evidence.isRecording()) {
                evidence.chart(new BarChart("TCAV score: concept vs random concepts (± 1 s.d.)", "", "TCAV score",
                        List.of("concept", "random"), new double[] {result.meanScore(), result.randomMeanScore()},
                        new double[] {result.scoreStd(), result.randomScoreStd()}));
            }
            return result;
        });
    }
}

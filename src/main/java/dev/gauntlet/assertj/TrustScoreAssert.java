package dev.gauntlet.assertj;

import dev.gauntlet.report.Evidence;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.trust.TrustScores;
import dev.gauntlet.uncertainty.Auroc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions on trust scores (Jiang et al. 2018, alibi's defaults) of a classifier's predictions,
 * fitted on its training data. The evidence: the metrics JSON — with the AUROC of the max-softmax
 * confidence beside the trust score's, to show whether the trust score adds anything — and the
 * trust-score histograms of correct and wrong predictions.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).trustScores(train).separatesErrorsWithAurocAtLeast(0.75);
 * }</pre>
 */
public class TrustScoreAssert extends GauntletAssert<TrustScoreAssert, TrustSubject> {

    private double[] scores;
    private boolean[] correct;
    private double[] confidence;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).trustScores(train)}.
     *
     * @param actual the model, the data to score and the training data
     */
    public TrustScoreAssert(TrustSubject actual) {
        super(actual, TrustScoreAssert.class);
    }

    /**
     * Verifies that the trust score ranks correct predictions above wrong ones with an AUROC of
     * at least {@code threshold}.
     *
     * @param threshold the least acceptable AUROC, in [0, 1]
     * @return this assertion
     */
    public TrustScoreAssert separatesErrorsWithAurocAtLeast(double threshold) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        Map<String, Object> metrics = measure(parameters);
        failUnlessAtLeast("trust score separates errors", parameters, actual.target().data().size(),
                "AUROC (correct vs wrong)", threshold, (double) metrics.get("trustScoreAuroc"));
        return myself;
    }

    /**
     * Verifies that at most {@code fraction} of the predictions have a trust score below 1, i.e.
     * lie closer to another class's training data than to the predicted class's.
     *
     * @param fraction the largest acceptable fraction, in [0, 1]
     * @return this assertion
     */
    public TrustScoreAssert lowTrustFractionAtMost(double fraction) {
        isNotNull();
        requireFraction(fraction, "fraction");
        Map<String, Object> parameters = parameters("fraction", fraction);
        Map<String, Object> metrics = measure(parameters);
        failUnlessAtMost("low trust fraction", parameters, actual.target().data().size(), "fraction with trust score < 1",
                fraction, (double) metrics.get("lowTrustFraction"));
        return myself;
    }

    private Map<String, Object> parameters(String name, Object value) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(name, value);
        parameters.put("train", actual.train().name() + " (" + actual.train().size() + ")");
        parameters.put("dataset", actual.target().data().name());
        parameters.put("samples", actual.target().data().size());
        parameters.put("filter", "distance_knn, k_filter 10, alpha 0");
        parameters.put("k", 2);
        return parameters;
    }

    private Map<String, Object> measure(Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelOnDataAssert.labelModel(evidence, actual.target());
        return evidence.step("trust score", parameters, () -> {
            compute();
            List<Double> right = new ArrayList<>();
            List<Double> wrong = new ArrayList<>();
            List<Double> rightConfidence = new ArrayList<>();
            List<Double> wrongConfidence = new ArrayList<>();
            int low = 0;
            for (int i = 0; i < scores.length; i++) {
                (correct[i] ? right : wrong).add(scores[i]);
                (correct[i] ? rightConfidence : wrongConfidence).add(confidence[i]);
                low += scores[i] < 1 ? 1 : 0;
            }
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            double trustAuroc = right.isEmpty() || wrong.isEmpty() ? Double.NaN : Auroc.of(array(right), array(wrong));
            double confidenceAuroc = right.isEmpty() || wrong.isEmpty() ? Double.NaN
                    : Auroc.of(array(rightConfidence), array(wrongConfidence));
            metrics.put("trustScoreAuroc", trustAuroc);
            metrics.put("maxSoftmaxAuroc", confidenceAuroc);
            metrics.put("lowTrustFraction", (double) low / scores.length);
            metrics.put("correct", right.size());
            metrics.put("wrong", wrong.size());
            evidence.metrics("trust score metrics", metrics);
            if (evidence.isRecording()) {
                Map<String, double[]> groups = new LinkedHashMap<>();
                groups.put("correct", right.stream().mapToDouble(d -> Math.log10(d + 1e-12)).toArray());
                groups.put("wrong", wrong.stream().mapToDouble(d -> Math.log10(d + 1e-12)).toArray());
                evidence.chart(histogram("trust score of correct and wrong predictions", "log10(trust score)",
                        groups, 30));
            }
            return metrics;
        });
    }

    private void compute() {
        if (scores != null) {
            return;
        }
        float[][] probabilities = actual.target().classifier().probabilities(actual.target().data());
        int[] predicted = new int[probabilities.length];
        correct = new boolean[probabilities.length];
        confidence = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            for (int k = 1; k < probabilities[i].length; k++) {
                predicted[i] = probabilities[i][k] > probabilities[i][predicted[i]] ? k : predicted[i];
            }
            confidence[i] = probabilities[i][predicted[i]];
            correct[i] = predicted[i] == actual.target().data().label(i);
        }
        TrustScores result = TrustScore.fit(actual.train()).score(actual.target().data(), predicted);
        scores = result.scores();
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

package dev.gauntlet.explain.quality;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LayerRandomization;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.model.UnsupportedCapabilityException;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.ExplanationBatch;

/**
 * The model-parameter randomisation test of Adebayo et al. (2018): an explanation that reflects
 * what the model learned must change when the model's top layers are replaced by random weights.
 * Each sample's explanation of the trained model is compared with that of a copy whose last
 * {@code layers} parameterised layers are randomised ({@link LayerRandomization#withRandomizedLayers}),
 * by Spearman's rank correlation of the absolute attributions (as the paper's figures); the
 * check passes when the mean correlation is at most a bound. An "explanation" that ignores the
 * model (an edge detector, the input itself) keeps a correlation near 1 and fails.
 *
 * @param meanCorrelation the mean rank correlation over samples
 * @param correlations each sample's correlation
 * @param randomizedFrom the first randomised top-level layer
 */
public record ModelRandomization(double meanCorrelation, double[] correlations, int randomizedFrom) {

    /** The default bound on the mean rank correlation. */
    public static final double DEFAULT_BOUND = 0.5;

    /**
     * Runs the test.
     *
     * @param explainer the attribution method
     * @param classifier the trained model (built from an architecture)
     * @param samples the samples
     * @param parameterisedLayers how many of the last layers with parameters to randomise, at least 1
     * @param seed the seed of the random weights and of the explainer
     * @return the correlations
     */
    public static ModelRandomization run(Explainer explainer, Classifier classifier, Dataset samples,
            int parameterisedLayers, long seed) {
        if (parameterisedLayers < 1) {
            throw new IllegalArgumentException("parameterisedLayers must be >= 1, got " + parameterisedLayers);
        }
        LayerRandomization randomization = UnsupportedCapabilityException.require(classifier,
                LayerRandomization.class, "model-parameter randomisation");
        var layers = UnsupportedCapabilityException.require(classifier, LayerView.class,
                "model-parameter randomisation").layers();
        int from = layers.size();
        int found = 0;
        while (from > 0 && found < parameterisedLayers) {
            from--;
            if (!layers.block(from).getParameters().isEmpty()) {
                found++;
            }
        }
        int[] classes = classifier.predict(samples);
        ExplanationBatch trained = explainer.explain(classifier, samples, classes, seed);
        ExplanationBatch random;
        try (Classifier randomized = randomization.withRandomizedLayers(from, seed)) {
            random = explainer.explain(randomized, samples, classes, seed);
        }
        double[] correlations = new double[samples.size()];
        double sum = 0;
        for (int i = 0; i < correlations.length; i++) {
            correlations[i] = Stability.spearman(abs(trained.attributions()[i]), abs(random.attributions()[i]));
            sum += correlations[i];
        }
        return new ModelRandomization(sum / correlations.length, correlations, from);
    }

    private static double[] abs(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.abs(values[i]);
        }
        return result;
    }
}

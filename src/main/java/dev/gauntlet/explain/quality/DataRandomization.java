package dev.gauntlet.explain.quality;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.ExplanationBatch;

/**
 * The data randomisation test of Adebayo et al. (2018): a model trained on the same inputs with
 * randomly permuted labels has learned nothing about the task, so an explanation that reflects
 * the task must differ between it and the real model. Each sample's explanation (for the real
 * model's predicted class) is compared by Spearman's rank correlation of the absolute
 * attributions; the check passes when the mean correlation is at most a bound
 * ({@link ModelRandomization#DEFAULT_BOUND} by default). Training the permuted-label model is the
 * caller's: it needs the training recipe.
 *
 * @param meanCorrelation the mean rank correlation
 * @param correlations each sample's correlation
 */
public record DataRandomization(double meanCorrelation, double[] correlations) {

    /**
     * Runs the test.
     *
     * @param explainer the attribution method
     * @param trained the real model
     * @param permutedLabels the same architecture trained on permuted labels
     * @param samples the samples
     * @param seed the explainer's seed
     * @return the correlations
     */
    public static DataRandomization run(Explainer explainer, Classifier trained, Classifier permutedLabels,
            Dataset samples, long seed) {
        int[] classes = trained.predict(samples);
        ExplanationBatch real = explainer.explain(trained, samples, classes, seed);
        ExplanationBatch random = explainer.explain(permutedLabels, samples, classes, seed);
        double[] correlations = new double[samples.size()];
        double sum = 0;
        for (int i = 0; i < correlations.length; i++) {
            correlations[i] = Stability.spearman(abs(real.attributions()[i]), abs(random.attributions()[i]));
            sum += correlations[i];
        }
        return new DataRandomization(sum / correlations.length, correlations);
    }

    private static double[] abs(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.abs(values[i]);
        }
        return result;
    }
}

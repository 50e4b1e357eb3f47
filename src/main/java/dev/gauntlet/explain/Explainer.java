package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.Arrays;

/**
 * An attribution method: how much each input feature contributes to one class's score of a
 * sample. Get one from {@link Explainers}. Scores are logits unless a method says otherwise.
 */
public interface Explainer {

    /**
     * Returns a short description with the settings, for reports.
     *
     * @return e.g. {@code integrated-gradients(steps=50, baseline=0.0)}
     */
    String name();

    /**
     * Attributes a batch.
     *
     * @param classifier the model
     * @param inputs the samples, shape {@code (n, sample shape...)}; not modified
     * @param classes the class to explain per sample, int shape {@code (n)}
     * @param seed the seed of any random choice (noise, perturbations, coalitions)
     * @return attributions of the inputs' shape, in the inputs' manager
     */
    NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed);

    /**
     * Explains each sample's predicted class, batch by batch.
     *
     * @param classifier the model
     * @param samples the samples; not modified
     * @param seed the seed
     * @return the attributions
     */
    default ExplanationBatch explain(Classifier classifier, Dataset samples, long seed) {
        return explain(classifier, samples, classifier.predict(samples), seed);
    }

    /**
     * Explains the given class of each sample, batch by batch.
     *
     * @param classifier the model
     * @param samples the samples; not modified
     * @param classes one class per sample
     * @param seed the seed
     * @return the attributions
     */
    default ExplanationBatch explain(Classifier classifier, Dataset samples, int[] classes, long seed) {
        if (classes.length != samples.size()) {
            throw new IllegalArgumentException(classes.length + " classes given for " + samples.size() + " samples");
        }
        float[][] rows = new float[samples.size()][];
        for (Batch batch : samples.batches(classifier.batchSize())) {
            try (NDManager scope = classifier.newScope()) {
                NDArray x = batch.features(scope);
                NDArray c = scope.create(Arrays.copyOfRange(classes, batch.from(), batch.to()));
                float[] flat = attribute(classifier, x, c.toType(DataType.INT32, false), seed + batch.from())
                        .toFloatArray();
                int width = flat.length / batch.size();
                for (int i = 0; i < batch.size(); i++) {
                    rows[batch.from() + i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
                }
            }
        }
        return new ExplanationBatch(name(), samples.sampleShape().getShape(), classes.clone(), rows);
    }
}

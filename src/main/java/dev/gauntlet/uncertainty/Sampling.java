package dev.gauntlet.uncertainty;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DropoutSampling;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Samples of a model's predictive distribution, {@code [t][i][k]}, for {@link UncertaintyMeasures}:
 * MC-dropout passes (Gal &amp; Ghahramani 2016) or the members of a deep ensemble
 * (Lakshminarayanan et al. 2017).
 */
public final class Sampling {

    private Sampling() {}

    /**
     * Runs {@code passes} stochastic forward passes with dropout active; pass t of batch b draws
     * its masks from seed {@code seed + 1,000,003·t + b}, so the same seed gives the same samples.
     *
     * @param model a model with dropout layers
     * @param data the samples
     * @param passes T, at least 2
     * @param seed the seed
     * @return softmax probabilities {@code [T][n][classes]}
     */
    public static float[][][] mcDropout(Classifier model, Dataset data, int passes, long seed) {
        Objects.requireNonNull(model, "model");
        DropoutSampling dropout = UnsupportedCapabilityException.require(model, DropoutSampling.class, "MC dropout");
        if (passes < 2) {
            throw new IllegalArgumentException("passes must be >= 2 for MC dropout, got " + passes);
        }
        float[][][] samples = new float[passes][data.size()][];
        List<Batch> batches = data.batches(model.batchSize());
        for (int t = 0; t < passes; t++) {
            for (int b = 0; b < batches.size(); b++) {
                Batch batch = batches.get(b);
                try (NDManager scope = model.newScope()) {
                    float[] p = dropout.logitsWithDropout(batch.features(scope), seed + 1_000_003L * t + b).softmax(1)
                            .toFloatArray();
                    split(p, model.numClasses(), samples[t], batch.from());
                }
            }
        }
        return samples;
    }

    /**
     * Collects each ensemble member's probabilities.
     *
     * @param members the ensemble, at least 2 classifiers of one input shape and class count
     * @param data the samples
     * @return softmax probabilities {@code [members][n][classes]}
     */
    public static float[][][] ensemble(List<? extends Classifier> members, Dataset data) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members, got " + members.size());
        }
        float[][][] samples = new float[members.size()][][];
        for (int m = 0; m < members.size(); m++) {
            samples[m] = members.get(m).probabilities(data);
        }
        return samples;
    }

    private static void split(float[] flat, int classes, float[][] into, int from) {
        for (int i = 0; i < flat.length / classes; i++) {
            into[from + i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
        }
    }
}

package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;

/**
 * Capability: stochastic forward passes with dropout active and every other layer in inference
 * mode, for MC dropout (Gal &amp; Ghahramani 2016). Ask for it with
 * {@code classifier.capability(DropoutSampling.class)}; a {@link DjlClassifier} whose DJL block holds
 * {@code Dropout} layers has it.
 */
public interface DropoutSampling {

    /**
     * Computes logits with dropout active; the masks come from {@code seed}.
     *
     * @param inputs float32 inputs of shape {@code (n, inputShape...)}; not modified
     * @param seed the seed of the dropout masks
     * @return logits of shape {@code (n, numClasses)}, owned by the inputs' manager
     */
    NDArray logitsWithDropout(NDArray inputs, long seed);
}

package dev.gauntlet.model;

/**
 * Capability: a copy of the model with the parameters of its top layers replaced by noise, for the
 * cascading model-parameter randomisation test of Adebayo et al. (2018). Ask for it with
 * {@code classifier.capability(LayerRandomization.class)}; a {@link DjlClassifier} built from an
 * architecture has it.
 */
public interface LayerRandomization {

    /**
     * Returns how many top-level layers the model has, the range of {@code fromLayer}.
     *
     * @return the layer count
     */
    int layerCount();

    /**
     * Copies the model with every top-level layer from {@code fromLayer} on randomised; this model is
     * not changed.
     *
     * @param fromLayer the first layer to randomise, 0-based
     * @param seed the noise's seed
     * @return a new classifier that owns its copy; close it
     */
    Classifier withRandomizedLayers(int fromLayer, long seed);
}

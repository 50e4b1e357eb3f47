package dev.gauntlet.model;

/**
 * Capability: the model's top-level layers can be run one range at a time, as Grad-CAM, guided
 * backpropagation, relevance propagation and TCAV need. Ask for it with
 * {@code classifier.capability(LayerView.class)}; a {@link DjlClassifier} over a DJL
 * {@code SequentialBlock} has it, model files from other frameworks (TorchScript, ONNX, MXNet
 * symbols) do not.
 */
public interface LayerView {

    /**
     * Returns the layer-by-layer view.
     *
     * @return the view
     */
    Layers layers();
}

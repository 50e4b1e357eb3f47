package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;

import dev.gauntlet.GauntletException;
import dev.gauntlet.model.internal.EngineSelfCheck;
import dev.gauntlet.model.internal.GradientLock;
import dev.gauntlet.model.internal.InferenceForward;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A {@link DjlClassifier}'s top-level layers, run one range at a time in inference mode with the
 * parameters cut from the graph: what Grad-CAM, guided backpropagation and relevance propagation
 * need. Layer {@code i}'s activations are the outputs of layers {@code 0..i}.
 */
public final class Layers {

    private final DjlClassifier classifier;
    private final List<Block> layers;
    private final List<String> names;

    Layers(DjlClassifier classifier, Block block) {
        if (!(block instanceof SequentialBlock)) {
            throw new GauntletException("layer-wise methods need the model's block to be a SequentialBlock, but it is a "
                    + block.getClass().getSimpleName());
        }
        this.classifier = classifier;
        this.layers = new ArrayList<>(block.getChildren().values());
        this.names = new ArrayList<>(block.getChildren().keys());
    }

    /** @return the number of top-level layers */
    public int size() {
        return layers.size();
    }

    /**
     * Returns a layer's name, e.g. {@code 01Conv2d}.
     *
     * @param layer the index
     * @return the name DJL gives it
     */
    public String name(int layer) {
        return names.get(check(layer));
    }

    /**
     * Returns the layer block itself, e.g. to recognise its type.
     *
     * @param layer the index
     * @return the block
     */
    public Block block(int layer) {
        return layers.get(check(layer));
    }

    /**
     * Runs layers {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param inputs the inputs of layer {@code from}; not modified
     * @param from the first layer
     * @param to one past the last layer
     * @return the outputs of layer {@code to - 1}, in the inputs' manager
     */
    public NDArray forward(NDArray inputs, int from, int to) {
        if (from < 0 || to > layers.size() || from > to) {
            throw new IllegalArgumentException("layer range [" + from + ", " + to + ") is outside [0, " + layers.size()
                    + "]");
        }
        NDList current = new NDList(inputs);
        for (int i = from; i < to; i++) {
            current = InferenceForward.forwardLayer(layers.get(i), classifier.detachedStore(inputs.getManager()),
                    current);
        }
        return current.singletonOrThrow();
    }

    /**
     * Computes a layer's activations and the gradient of the summed per-sample loss of the logits
     * with respect to them.
     *
     * @param inputs the model inputs; not modified
     * @param layer the layer whose outputs are differentiated
     * @param labels int labels for the loss
     * @param loss e.g. {@link GradientLoss#classLogit()}
     * @return the activations and their gradient, in the inputs' manager
     */
    public Activations gradientAt(NDArray inputs, int layer, NDArray labels, GradientLoss loss) {
        check(layer);
        Objects.requireNonNull(loss, "loss");
        NDArray activations = forward(inputs, 0, layer + 1).duplicate();
        EngineSelfCheck.verifyConvolutionGradient(classifier.computeTarget().engine(), classifier.device());
        return GradientLock.around(classifier.computeTarget().engine(), () -> {
            activations.setRequiresGradient(true);
            try (GradientCollector collector = classifier.computeTarget().engine().newGradientCollector()) {
                NDArray logits = forward(activations, layer + 1, layers.size());
                collector.backward(loss.perSample(logits, labels).sum());
            }
            NDArray gradient = activations.getGradient().duplicate();
            NDArray values = activations.stopGradient().duplicate();
            activations.close();
            return new Activations(values, gradient);
        });
    }

    /**
     * Propagates a gradient back through one layer: the vector-Jacobian product
     * {@code (∂out/∂in)ᵀ · outputGradient} at {@code input}.
     *
     * @param layer the layer
     * @param input the layer's input
     * @param outputGradient the gradient with respect to its output
     * @return the gradient with respect to its input, in the input's manager
     */
    public NDArray backward(int layer, NDArray input, NDArray outputGradient) {
        check(layer);
        EngineSelfCheck.verifyConvolutionGradient(classifier.computeTarget().engine(), classifier.device());
        return GradientLock.around(classifier.computeTarget().engine(), () -> {
            NDArray variable = input.duplicate();
            variable.setRequiresGradient(true);
            try (GradientCollector collector = classifier.computeTarget().engine().newGradientCollector()) {
                NDArray output = InferenceForward.forwardLayer(layers.get(layer),
                        classifier.detachedStore(input.getManager()), new NDList(variable)).singletonOrThrow();
                collector.backward(output.mul(outputGradient).sum());
            }
            NDArray gradient = variable.getGradient().duplicate();
            variable.close();
            return gradient;
        });
    }

    /**
     * The vector-Jacobian product of any function of a layer's input, e.g. a layer re-run with
     * modified weights (relevance propagation's z⁺ rule).
     *
     * @param input the function's input
     * @param outputGradient the gradient with respect to its output
     * @param function the function, built from NDArray operations
     * @return the gradient with respect to the input, in the input's manager
     */
    public NDArray backward(NDArray input, NDArray outputGradient, UnaryOperator<NDArray> function) {
        EngineSelfCheck.verifyConvolutionGradient(classifier.computeTarget().engine(), classifier.device());
        return GradientLock.around(classifier.computeTarget().engine(), () -> {
            NDArray variable = input.duplicate();
            variable.setRequiresGradient(true);
            try (GradientCollector collector = classifier.computeTarget().engine().newGradientCollector()) {
                collector.backward(function.apply(variable).mul(outputGradient).sum());
            }
            NDArray gradient = variable.getGradient().duplicate();
            variable.close();
            return gradient;
        });
    }

    /**
     * Tells whether a layer is an element-wise ReLU, by probing it with values of both signs.
     *
     * @param layer the layer
     * @param exampleInput an input of the layer's input shape (e.g. its activations)
     * @return true if the layer maps every value v to max(v, 0)
     */
    public boolean isRelu(int layer, NDArray exampleInput) {
        check(layer);
        if (!layers.get(layer).getParameters().isEmpty()) {
            return false;
        }
        try (NDManager scope = exampleInput.getManager().newSubManager()) {
            NDArray probe = scope.randomNormal(exampleInput.getShape());
            NDArray output = InferenceForward.forwardLayer(layers.get(layer), classifier.detachedStore(scope),
                    new NDList(probe)).singletonOrThrow();
            return output.getShape().equals(probe.getShape())
                    && output.sub(probe.maximum(0f)).abs().max().getFloat() == 0f;
        }
    }

    private int check(int layer) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IllegalArgumentException("layer " + layer + " is outside the model's " + layers.size()
                    + " top-level layers " + names);
        }
        return layer;
    }

    /**
     * A layer's activations and the gradient with respect to them.
     *
     * @param values the activations
     * @param gradient their gradient
     */
    public record Activations(NDArray values, NDArray gradient) {}
}

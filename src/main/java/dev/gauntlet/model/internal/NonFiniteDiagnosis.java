package dev.gauntlet.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Internal: do not use. Says where non-finite logits or gradients come from — the inputs, a
 * parameter, or the first top-level layer whose outputs are not finite — so that the error a
 * check raises tells the user what to fix. Runs on the error path only.
 */
public final class NonFiniteDiagnosis {

    private NonFiniteDiagnosis() {}

    /**
     * Explains non-finite logits ({@code forGradient} false) or input gradients (true). Never throws.
     *
     * @param block the model's block
     * @param prepare the model's declared preprocessing, applied to raw inputs
     * @param inputs the raw inputs of the failing pass; not modified
     * @param forGradient whether the gradient (rather than the logits) was not finite
     * @param engineName the engine's name, for models whose weights it keeps to itself
     * @return one sentence and what to do
     */
    public static String explain(Block block, UnaryOperator<NDArray> prepare, NDArray inputs, boolean forGradient,
            String engineName) {
        try {
            if (!NonFinite.isFinite(inputs)) {
                return "the inputs hold " + NonFinite.count(inputs) + "; clean the data (drop or impute NaN) before"
                        + " the check";
            }
            List<String> bad = NonFinite.badParameters(block);
            if (!bad.isEmpty()) {
                return "its parameters changed to non-finite values after the classifier was built: "
                        + String.join("; ", bad) + "; load a checkpoint from before training diverged";
            }
            String layer = forGradient ? null : firstNonFiniteLayer(block, prepare, inputs);
            if (layer != null) {
                return layer;
            }
        } catch (RuntimeException e) {
            // the diagnosis is a courtesy: the caller's error stands without it
        }
        if (!weightsVisible(block)) {
            return "the inputs are finite; " + engineName + " does not expose this model's weights, so"
                    + " one of them is NaN or infinite or a layer overflowed: check the exported model's weights, or"
                    + " inputs far outside the training range";
        }
        return forGradient ? "inputs and weights are finite, so the backward pass overflowed; check for huge weights"
                + " or inputs far outside the training range"
                : "inputs and weights are finite, so a layer overflowed; check for huge weights or inputs far outside"
                + " the training range";
    }

    private static boolean weightsVisible(Block block) {
        try {
            return block != null && !block.getParameters().isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs the top-level layers one by one and names the first with non-finite outputs, or returns null. */
    private static String firstNonFiniteLayer(Block block, UnaryOperator<NDArray> prepare, NDArray inputs) {
        if (!(block instanceof SequentialBlock)) {
            return null;
        }
        BlockList layers = block.getChildren();
        try (NDManager pass = inputs.getManager().newSubManager()) {
            NDArray x = inputs.duplicate();
            x.attach(pass);
            NDList current = new NDList(prepare.apply(x));
            ParameterStore store = new ParameterStore(pass, false);
            for (int i = 0; i < layers.size(); i++) {
                Block layer = layers.get(i).getValue();
                current = layer.forward(store, current, false);
                for (NDArray output : current) {
                    if (!NonFinite.isFinite(output)) {
                        return "layer " + (i + 1) + " of " + layers.size() + " ('" + layers.get(i).getKey() + "', a "
                                + layer.getClass().getSimpleName() + ") is the first whose outputs are not finite ("
                                + NonFinite.count(output) + ") though its inputs were" + largestWeight(layer)
                                + "; check that layer's weights for a diverged training or a bad export";
                    }
                }
            }
        }
        return null;
    }

    private static String largestWeight(Block layer) {
        float largest = 0;
        for (Pair<String, Parameter> p : layer.getParameters()) {
            if (p.getValue().isInitialized() && p.getValue().getArray().getDataType().isFloating()) {
                try (NDArray abs = p.getValue().getArray().abs(); NDArray max = abs.max();
                        NDArray value = max.toType(DataType.FLOAT32, false)) {
                    largest = Math.max(largest, value.getFloat());
                }
            }
        }
        return largest == 0 ? "" : "; its largest |weight| is " + largest;
    }
}

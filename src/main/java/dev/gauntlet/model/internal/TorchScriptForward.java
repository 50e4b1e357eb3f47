package dev.gauntlet.model.internal;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.util.Pair;

/**
 * Internal: do not use. Differentiable forward passes of a TorchScript module in eval mode.
 *
 * <p>DJL's {@code PtSymbolBlock.forward(..., training)} ties autograd to the module's mode:
 * {@code training=false} runs without autograd, {@code training=true} first switches the module to
 * train mode (dropout active, batch normalisation on batch statistics and updating its running
 * statistics), which must never happen to a user's model. {@link IValueUtils#forward} with
 * {@code isTrain=true} runs the module as it is, in the eval mode it was loaded in, with autograd
 * on: PyTorch's eval-mode gradient. The module must be loaded with {@code trainParam=true} (else
 * its weights are inference tensors that autograd refuses); {@link #freezeParameters} then stops
 * every weight from requiring a gradient, so backward stops at the input.
 */
public final class TorchScriptForward {

    private TorchScriptForward() {}

    /**
     * Tells whether a model's block is a TorchScript module; never loads PyTorch classes for
     * other engines.
     *
     * @param model the model
     * @return true for DJL PyTorch symbol blocks
     */
    public static boolean isTorchScript(Model model) {
        return "PyTorch".equals(model.getNDManager().getEngine().getEngineName())
                && model.getBlock() instanceof PtSymbolBlock;
    }

    /**
     * Stops the module's weights from requiring gradients.
     *
     * @param block a TorchScript module loaded with {@code trainParam=true}
     */
    public static void freezeParameters(Block block) {
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            parameter.getValue().getArray().setRequiresGradient(false);
        }
    }

    /**
     * Runs the module in its eval mode with autograd recording; call it inside a gradient collector.
     *
     * @param block the TorchScript module
     * @param inputs the inputs
     * @return the outputs
     */
    public static NDList forwardRecording(Block block, NDList inputs) {
        return IValueUtils.forward((PtSymbolBlock) block, inputs, true);
    }
}

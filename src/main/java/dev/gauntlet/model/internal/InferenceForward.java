package dev.gauntlet.model.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

import dev.gauntlet.GauntletException;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.SplittableRandom;

/**
 * Internal: do not use. Runs a block's forward pass in inference mode inside a gradient collector.
 *
 * <p>PyTorch takes the mode from the {@code training} argument of each layer. MXNet does not: its
 * gradient collector switches the whole engine to training mode, DJL's MXNet dropout and batch
 * normalisation refuse {@code training=false} there, and switching the engine back to inference
 * mode for the whole pass breaks backward through MKL-DNN max-pooling (measured: gradients no
 * longer match finite differences). So on MXNet, for a block tree that holds dropout or batch
 * normalisation, this walks the {@link SequentialBlock}s itself: dropout is the identity, as it
 * is at inference; batch normalisation is applied as the affine map it is at inference (running
 * statistics); every other layer runs as usual. Mode-dependent layers inside other composite
 * blocks are reported as unsupported rather than differentiated wrongly.
 */
public final class InferenceForward {

    private static final Method MXNET_SET_TRAINING = findMxnetSetTraining();

    private final Block block;
    private final boolean walk;

    /**
     * Prepares inference-mode forward passes of {@code block} on {@code engine}.
     *
     * @param block the model's block
     * @param engine the model's engine
     */
    public InferenceForward(Block block, Engine engine) {
        this.block = block;
        this.walk = "MXNet".equals(engine.getEngineName()) && hasModeDependentLayer(block);
    }

    /**
     * Runs the forward pass in inference mode; call it inside a gradient collector.
     *
     * @param parameters the parameter store
     * @param inputs the inputs
     * @return the outputs
     */
    public NDList forward(ParameterStore parameters, NDList inputs) {
        return walk ? walk(block, parameters, inputs) : block.forward(parameters, inputs, false);
    }

    /**
     * Runs one block in inference mode, handling dropout and batch norm as {@link #forward} does;
     * for layer-by-layer passes.
     *
     * @param block a layer
     * @param parameters the parameter store
     * @param inputs the layer's inputs
     * @return its outputs
     */
    public static NDList forwardLayer(Block block, ParameterStore parameters, NDList inputs) {
        return walk(block, parameters, inputs);
    }

    private static NDList walk(Block block, ParameterStore parameters, NDList inputs) {
        if (block instanceof Dropout) {
            return inputs;
        }
        if (block instanceof BatchNorm) {
            return affineBatchNorm(block, parameters, inputs.singletonOrThrow());
        }
        if (block instanceof SequentialBlock) {
            NDList current = inputs;
            for (Block child : block.getChildren().values()) {
                current = walk(child, parameters, current);
            }
            return current;
        }
        if (hasModeDependentLayer(block)) {
            throw new GauntletException("input gradients on MXNet need dropout and batch-norm layers to sit in"
                    + " SequentialBlocks, but " + block.getClass().getSimpleName() + " holds one; use the PyTorch"
                    + " engine (-Dgauntlet.engine=PyTorch) for this model");
        }
        return block.forward(parameters, inputs, false);
    }

    /**
     * At inference, batch normalisation is the per-channel affine map {@code a * x + c}. MXNet's
     * backward pass would differentiate it as if batch statistics had been used, so the map is
     * read off the layer itself ({@code c = bn(0)}, {@code a = bn(1) - bn(0)}, engine in inference
     * mode, outside the graph) and applied with ordinary, correctly differentiated operations.
     */
    private static NDList affineBatchNorm(Block block, ParameterStore parameters, NDArray x) {
        Shape probeShape = new Shape(1).addAll(x.getShape().slice(1));
        NDManager manager = x.getManager();
        NDArray offset;
        NDArray slope;
        boolean wasTraining = setMxnetTraining(false);
        try {
            offset = block.forward(parameters, new NDList(manager.zeros(probeShape)), false).singletonOrThrow()
                    .stopGradient();
            slope = block.forward(parameters, new NDList(manager.ones(probeShape)), false).singletonOrThrow()
                    .stopGradient().sub(offset);
        } finally {
            // restore the mode found: inside a gradient collector that is training, outside (a plain layer-wise
            // forward pass, e.g. certified bounds reading the layer) it is inference, and must stay so
            setMxnetTraining(wasTraining);
        }
        return new NDList(x.mul(slope).add(offset));
    }

    /**
     * Runs the forward pass with dropout active — each dropout layer multiplies by a fresh mask of
     * Bernoulli(1 − rate) / (1 − rate), drawn from {@code random} so passes are seeded and
     * engine-independent — and every other layer in inference mode, for MC dropout. Call it
     * outside a gradient collector.
     *
     * @param block the model's block
     * @param parameters the parameter store
     * @param inputs the inputs
     * @param random the source of the masks
     * @return the outputs
     */
    public static NDList withDropout(Block block, ParameterStore parameters, NDList inputs,
            SplittableRandom random) {
        if (block instanceof Dropout) {
            NDArray x = inputs.singletonOrThrow();
            float rate = dropoutRate((Dropout) block);
            float[] mask = new float[Math.toIntExact(x.size())];
            float keep = 1 - rate;
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < keep ? 1 / keep : 0;
            }
            return new NDList(x.mul(x.getManager().create(mask, x.getShape())));
        }
        if (block instanceof SequentialBlock) {
            NDList current = inputs;
            for (Block child : block.getChildren().values()) {
                current = withDropout(child, parameters, current, random);
            }
            return current;
        }
        if (!(block instanceof BatchNorm) && hasModeDependentLayer(block)) {
            throw new GauntletException("MC dropout needs dropout layers to sit in SequentialBlocks, but "
                    + block.getClass().getSimpleName() + " holds one");
        }
        return block.forward(parameters, inputs, false);
    }

    /**
     * Tells whether a block tree holds a dropout layer.
     *
     * @param block the model's block
     * @return {@code true} if MC dropout would be stochastic
     */
    public static boolean hasDropout(Block block) {
        return block instanceof Dropout || block.getChildren().values().stream().anyMatch(InferenceForward::hasDropout);
    }

    private static float dropoutRate(Dropout dropout) {
        try {
            Field field = Dropout.class.getDeclaredField("rate");
            field.setAccessible(true);
            return field.getFloat(dropout);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new GauntletException("cannot read the rate of a DJL Dropout layer (this DJL version hides it);"
                    + " MC dropout is unavailable", e);
        }
    }

    private static boolean hasModeDependentLayer(Block block) {
        if (block instanceof Dropout || block instanceof BatchNorm) {
            return true;
        }
        return block.getChildren().values().stream().anyMatch(InferenceForward::hasModeDependentLayer);
    }

    /** Sets MXNet's training mode and returns the previous one. */
    private static boolean setMxnetTraining(boolean training) {
        try {
            return (Boolean) MXNET_SET_TRAINING.invoke(null, training);
        } catch (ReflectiveOperationException | NullPointerException e) {
            throw new IllegalStateException("cannot switch MXNet's training mode", e);
        }
    }

    private static Method findMxnetSetTraining() {
        try {
            return Class.forName("ai.djl.mxnet.engine.MxGradientCollector").getMethod("setTraining", boolean.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}

package dev.gauntlet.model.internal;

import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;

import java.lang.reflect.Method;

/**
 * Internal: do not use. Lets an input gradient be taken with the model in inference mode.
 *
 * <p>MXNet's gradient collector switches MXNet to training mode, in which dropout is active and
 * batch normalisation uses batch statistics, and DJL's MXNet layers refuse a {@code training=false}
 * forward inside it. An attack must differentiate the model as it predicts, so on MXNet this
 * turns the engine's training flag off again inside the collector, by reflection so that the
 * library does not compile against an engine. Other engines take the mode from the forward call.
 */
public final class EvalModeGradients {

    private static final Method MXNET_SET_TRAINING = findMxnetSetTraining();

    private EvalModeGradients() {}

    /**
     * Opens a gradient collector on {@code engine} in which the forward pass runs in inference mode.
     *
     * @param engine the engine of the model
     * @return the collector, to close with try-with-resources
     */
    public static GradientCollector open(Engine engine) {
        GradientCollector collector = engine.newGradientCollector();
        if (MXNET_SET_TRAINING != null && "MXNet".equals(engine.getEngineName())) {
            try {
                MXNET_SET_TRAINING.invoke(null, false);
            } catch (ReflectiveOperationException e) {
                collector.close();
                throw new IllegalStateException("cannot switch MXNet to inference mode for input gradients", e);
            }
        }
        return collector;
    }

    private static Method findMxnetSetTraining() {
        try {
            return Class.forName("ai.djl.mxnet.engine.MxGradientCollector").getMethod("setTraining", boolean.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}

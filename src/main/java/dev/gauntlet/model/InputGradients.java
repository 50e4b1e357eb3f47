package dev.gauntlet.model;

/**
 * The capability to differentiate a loss with respect to the inputs, named for
 * {@link Classifier#hasInputGradients()} and {@link Classifier#missingCapabilityReason(Class)}:
 * every classifier declares {@link Classifier#inputGradient}, but a model on an inference-only
 * engine (ONNX Runtime) cannot compute it.
 */
public final class InputGradients {

    private InputGradients() {}
}

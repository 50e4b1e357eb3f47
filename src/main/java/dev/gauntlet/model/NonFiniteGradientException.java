package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/**
 * An input gradient holds NaN or infinite values. A gradient attack would otherwise step by
 * {@code sign(NaN) = 0} and report the model as robust, and an attribution would draw nothing.
 */
public class NonFiniteGradientException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was found, where (the parameter or layer when known), and how to fix it
     */
    public NonFiniteGradientException(String message) {
        super(message);
    }
}

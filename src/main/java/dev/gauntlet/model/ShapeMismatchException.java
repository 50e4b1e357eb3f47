package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/** Inputs whose shape, or data whose class count, does not match what the model expects. */
public class ShapeMismatchException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the argument, the expected and the actual shape, and the fix
     */
    public ShapeMismatchException(String message) {
        super(message);
    }
}

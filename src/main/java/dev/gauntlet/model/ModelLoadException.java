package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/** A saved model that cannot be loaded: missing, truncated or written for another architecture. */
public class ModelLoadException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be loaded, from where, and the fix
     * @param cause the underlying error, or {@code null}
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/** A model returned NaN or infinite logits, which would otherwise turn into silently wrong metrics. */
public class NonFiniteOutputException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was found and how to fix it
     */
    public NonFiniteOutputException(String message) {
        super(message);
    }
}

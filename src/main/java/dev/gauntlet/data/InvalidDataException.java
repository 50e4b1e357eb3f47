package dev.gauntlet.data;

import dev.gauntlet.GauntletException;

/**
 * Data whose values cannot be used: a label outside {@code [0, numClasses)}, a NaN or infinite
 * feature, a value outside the declared bounds, an empty dataset, or mismatched lengths.
 */
public class InvalidDataException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the argument and the offending index, and the fix
     */
    public InvalidDataException(String message) {
        super(message);
    }
}

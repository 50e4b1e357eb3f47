package dev.gauntlet.data;

import dev.gauntlet.GauntletException;

/**
 * A data file that cannot be parsed: a wrong IDX magic number, a truncated file, a non-numeric
 * CSV cell. The message names the file and, where there is one, the row and column.
 */
public class DataFormatException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file and position, and the fix
     */
    public DataFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong, naming the file and position, and the fix
     * @param cause the underlying error
     */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

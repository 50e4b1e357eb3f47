package dev.gauntlet;

/**
 * The root of every error Gauntlet raises on purpose.
 *
 * <p>Each subclass names one kind of misuse or bad input, and each message names the argument at
 * fault and how to fix it, so a failing quality gate tells its reader what to change rather than
 * showing a native stack trace. Catch this type to handle every Gauntlet error at once.
 */
public class GauntletException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what is wrong and how to fix it.
     *
     * @param message what is wrong, naming the argument, and the fix
     */
    public GauntletException(String message) {
        super(message);
    }

    /**
     * Creates an exception caused by another.
     *
     * @param message what is wrong, naming the argument, and the fix
     * @param cause the underlying error
     */
    public GauntletException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/**
 * A requested engine or device that this JVM cannot use: an engine whose jar is not on the
 * classpath, or a GPU that is not present. Gauntlet never falls back silently to another engine
 * or to the CPU when something else was asked for.
 */
public class ComputeUnavailableException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was requested, what is available, and the fix
     */
    public ComputeUnavailableException(String message) {
        super(message);
    }
}

package dev.gauntlet.data;

import dev.gauntlet.GauntletException;

/** A data file or folder that does not exist; the message says how to install it or where to point. */
public class DataNotFoundException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which file is missing and how to provide it
     */
    public DataNotFoundException(String message) {
        super(message);
    }
}

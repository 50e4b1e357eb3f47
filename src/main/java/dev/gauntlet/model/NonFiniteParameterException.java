package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/**
 * A model holds NaN or infinite weights. A ReLU can hide such a weight from the logits (so accuracy,
 * attacks and calibration would measure a broken model as if it were sound); the parameters are
 * therefore scanned when a classifier is built and before each pass over a dataset.
 */
public class NonFiniteParameterException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the model, the parameter (its layer), how many values are not finite, and the fix
     */
    public NonFiniteParameterException(String message) {
        super(message);
    }
}

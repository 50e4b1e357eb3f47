package dev.gauntlet.model;

import dev.gauntlet.GauntletException;

/**
 * A check needs something the model cannot give: input gradients from an inference-only engine, or
 * the layer view, dropout sampling or layer randomisation from a model file. The message names the
 * check, what it needs, the model and why it lacks it, and what to do instead.
 */
public class UnsupportedCapabilityException extends GauntletException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the check, the capability, the model, the reason and the way out
     */
    public UnsupportedCapabilityException(String message) {
        super(message);
    }

    /**
     * Returns the capability of {@code classifier} that {@code check} needs, or throws.
     *
     * @param classifier the model under test
     * @param type the capability, e.g. {@code LayerView.class}
     * @param check the method asking, for the message, e.g. "Grad-CAM"
     * @param <C> the capability type
     * @return the capability
     * @throws UnsupportedCapabilityException if the classifier lacks it
     */
    public static <C> C require(Classifier classifier, Class<C> type, String check) {
        return classifier.capability(type).orElseThrow(() -> new UnsupportedCapabilityException(check + " needs the"
                + " model's " + describe(type) + ", but " + classifier + " has none: "
                + classifier.missingCapabilityReason(type)));
    }

    /**
     * Throws unless the classifier computes input gradients.
     *
     * @param classifier the model under test
     * @param check the method asking, for the message
     * @throws UnsupportedCapabilityException if it does not
     */
    public static void requireInputGradients(Classifier classifier, String check) {
        if (!classifier.hasInputGradients()) {
            throw new UnsupportedCapabilityException(check + " needs input gradients, but " + classifier
                    + " computes none: " + classifier.missingCapabilityReason(InputGradients.class));
        }
    }

    static String describe(Class<?> type) {
        if (type == LayerView.class) {
            return "layer view";
        }
        if (type == DropoutSampling.class) {
            return "dropout sampling";
        }
        if (type == LayerRandomization.class) {
            return "layer randomisation";
        }
        if (type == InputGradients.class) {
            return "input gradients";
        }
        return type.getSimpleName();
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.explain.Explainer;

import java.util.Objects;

/**
 * A model on data and the attribution method that explains it.
 *
 * @param target the model and data
 * @param explainer the attribution method
 */
public record ExplanationSubject(ModelOnData target, Explainer explainer) {

    /** Validates the parts. */
    public ExplanationSubject {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(explainer, "explainer");
    }

    @Override
    public String toString() {
        return target + " explained by " + explainer.name();
    }
}

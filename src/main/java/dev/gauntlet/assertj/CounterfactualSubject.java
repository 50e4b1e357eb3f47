package dev.gauntlet.assertj;

import dev.gauntlet.counterfactual.CounterfactualMethod;
import dev.gauntlet.data.Dataset;

import java.util.Objects;

/**
 * A model on data, the counterfactual method to explain it with and the reference (training)
 * data the method draws ranges, MADs and prototypes from.
 *
 * @param target the model and data
 * @param method the counterfactual method
 * @param reference the reference data
 */
public record CounterfactualSubject(ModelOnData target, CounterfactualMethod method, Dataset reference) {

    /** Validates the parts. */
    public CounterfactualSubject {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(reference, "reference");
    }

    @Override
    public String toString() {
        return target + " explained by " + method.name() + " against " + reference.name();
    }
}

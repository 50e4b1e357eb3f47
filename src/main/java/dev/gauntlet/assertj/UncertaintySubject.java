package dev.gauntlet.assertj;

import dev.gauntlet.uncertainty.UncertaintyMethod;

import java.util.Objects;

/**
 * What an uncertainty assertion judges: a classifier on in-distribution data, and how its
 * predictive distribution is sampled.
 *
 * @param target the model and the in-distribution data
 * @param method MC dropout or an ensemble
 */
public record UncertaintySubject(ModelOnData target, UncertaintyMethod method) {

    /** Validates the parts. */
    public UncertaintySubject {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
    }

    @Override
    public String toString() {
        return target + " with " + method.name();
    }
}

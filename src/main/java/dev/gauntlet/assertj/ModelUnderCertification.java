package dev.gauntlet.assertj;

import dev.gauntlet.certify.BoundMethod;

import java.util.Objects;

/**
 * What a bracket assertion judges: a classifier on a dataset under an L∞ attack, bounded by a
 * certification method over the same ball.
 *
 * @param attacked the model, data and attack (the upper end of the bracket)
 * @param method the bound method (the lower end)
 */
public record ModelUnderCertification(ModelUnderAttack attacked, BoundMethod method) {

    /** Validates the parts. */
    public ModelUnderCertification {
        Objects.requireNonNull(attacked, "attacked");
        Objects.requireNonNull(method, "method");
    }

    @Override
    public String toString() {
        return attacked + ", certified by " + method;
    }
}

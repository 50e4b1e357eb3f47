package dev.gauntlet.assertj;

import dev.gauntlet.certify.RandomizedSmoothing;

import java.util.Objects;

/**
 * What a smoothing assertion judges: a classifier on a dataset, smoothed.
 *
 * @param target the model and data
 * @param smoothing the smoothing and its sample counts
 */
public record SmoothingSubject(ModelOnData target, RandomizedSmoothing smoothing) {

    /** Validates the parts. */
    public SmoothingSubject {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(smoothing, "smoothing");
    }

    @Override
    public String toString() {
        return target + " smoothed by " + smoothing.name();
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.slice.Slice;

import java.util.List;
import java.util.Objects;

/**
 * What a slice assertion judges: a classifier on a dataset, split into slices (or into its classes).
 *
 * @param target the model and data
 * @param slices the slices, each judged on its own
 * @param everyClass whether the slices are the data's classes (empty classes are then skipped, not failed)
 */
public record ModelOnSlices(ModelOnData target, List<Slice> slices, boolean everyClass) {

    /** Validates and copies the parts. */
    public ModelOnSlices {
        Objects.requireNonNull(target, "target");
        slices = List.copyOf(slices);
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("give at least one slice, e.g. Slice.featureRange(\"age 60+\", 0, 60, 200)");
        }
    }

    @Override
    public String toString() {
        return target + (everyClass ? " for every class" : " on slices " + slices.stream().map(Slice::name).toList());
    }
}

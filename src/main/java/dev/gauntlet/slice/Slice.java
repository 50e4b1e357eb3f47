package dev.gauntlet.slice;

import dev.gauntlet.data.Dataset;

import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A named group of a dataset's samples, chosen by a predicate on the sample's features and label:
 * a class, a feature range, or any rule ({@code age ≥ 60 and female}).
 *
 * <pre>{@code
 * Slice.featureRange("mean radius 15-20", 0, 15.0, 20.0);
 * Slice.where("large tumours, benign", (x, y) -> x[0] > 20 && y == 1);
 * }</pre>
 *
 * @param name the slice's name, shown in evidence and failures
 * @param predicate which samples belong to it
 */
public record Slice(String name, SamplePredicate predicate) {

    /** Which samples belong to a slice. */
    @FunctionalInterface
    public interface SamplePredicate {

        /**
         * Tells whether a sample belongs to the slice.
         *
         * @param features the sample's features, flattened (a copy: changing it changes nothing)
         * @param label its true class
         * @return whether it belongs
         */
        boolean test(float[] features, int label);
    }

    /** Validates the parts. */
    public Slice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(predicate, "predicate");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a slice needs a name, e.g. \"age over 60\"");
        }
    }

    /**
     * A slice chosen by any rule.
     *
     * @param name its name
     * @param predicate which samples belong to it
     * @return the slice
     */
    public static Slice where(String name, SamplePredicate predicate) {
        return new Slice(name, predicate);
    }

    /**
     * The samples of one class, named {@code class <label>}.
     *
     * @param label the class
     * @return the slice
     */
    public static Slice ofClass(int label) {
        return new Slice("class " + label, (x, y) -> y == label);
    }

    /**
     * The samples whose feature {@code feature} lies in {@code [from, to)}.
     *
     * @param name its name, e.g. {@code mean radius 15-20}
     * @param feature the feature's index in the flattened sample
     * @param from the least value included
     * @param to the first value excluded
     * @return the slice
     */
    public static Slice featureRange(String name, int feature, double from, double to) {
        if (feature < 0) {
            throw new IllegalArgumentException("feature index must be >= 0, got " + feature);
        }
        if (!(from < to)) {
            throw new IllegalArgumentException("need from < to, got [" + from + ", " + to + ")");
        }
        return new Slice(name, (x, y) -> {
            if (feature >= x.length) {
                throw new IllegalArgumentException("slice " + name + " reads feature " + feature + " but samples have "
                        + x.length + " features");
            }
            return x[feature] >= from && x[feature] < to;
        });
    }

    /**
     * Returns the indices of the samples of {@code data} in this slice, in order.
     *
     * @param data the dataset
     * @return the indices (possibly none)
     */
    public int[] indices(Dataset data) {
        return IntStream.range(0, data.size()).filter(i -> predicate.test(data.features(i), data.label(i))).toArray();
    }
}

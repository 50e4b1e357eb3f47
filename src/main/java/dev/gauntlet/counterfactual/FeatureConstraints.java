package dev.gauntlet.counterfactual;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where a counterfactual may go: a value range per feature and features that must not change.
 * Immutable: every method returns a copy.
 *
 * <pre>{@code
 * FeatureConstraints.observedRange().immutable(0, 3).range(7, 0, 10)
 * }</pre>
 */
public final class FeatureConstraints {

    private final boolean observed;
    private final int[] immutable;
    private final Map<Integer, double[]> ranges;

    private FeatureConstraints(boolean observed, int[] immutable, Map<Integer, double[]> ranges) {
        this.observed = observed;
        this.immutable = immutable;
        this.ranges = ranges;
    }

    /**
     * Each feature stays within the range observed in the reference data (and the data's value
     * bounds) — the default: a counterfactual outside every seen value is rarely actionable.
     *
     * @return the constraints
     */
    public static FeatureConstraints observedRange() {
        return new FeatureConstraints(true, new int[0], Map.of());
    }

    /**
     * Features stay only within the data's value bounds (e.g. [0, 1] pixels; none for
     * standardised tabular data), as alibi's default feature range does.
     *
     * @return the constraints
     */
    public static FeatureConstraints valueBounds() {
        return new FeatureConstraints(false, new int[0], Map.of());
    }

    /**
     * Adds features that must keep their value (e.g. age, a protected attribute).
     *
     * @param features flat feature indices
     * @return a copy with those features immutable
     */
    public FeatureConstraints immutable(int... features) {
        TreeSet<Integer> all = new TreeSet<>();
        Arrays.stream(immutable).forEach(all::add);
        for (int feature : features) {
            if (feature < 0) {
                throw new IllegalArgumentException("immutable feature index must be >= 0, got " + feature);
            }
            all.add(feature);
        }
        return new FeatureConstraints(observed, all.stream().mapToInt(Integer::intValue).toArray(), ranges);
    }

    /**
     * Sets one feature's allowed range, replacing the default for it.
     *
     * @param feature the flat feature index
     * @param lower the least value
     * @param upper the greatest value, {@code >= lower}
     * @return a copy with that range
     */
    public FeatureConstraints range(int feature, double lower, double upper) {
        if (feature < 0) {
            throw new IllegalArgumentException("feature index must be >= 0, got " + feature);
        }
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("range of feature " + feature + " must have lower <= upper, got ["
                    + lower + ", " + upper + "]");
        }
        Map<Integer, double[]> copy = new LinkedHashMap<>(ranges);
        copy.put(feature, new double[] {lower, upper});
        return new FeatureConstraints(observed, immutable, Map.copyOf(copy));
    }

    /** @return the immutable feature indices, ascending */
    public int[] immutableFeatures() {
        return immutable.clone();
    }

    /** Resolves lower bounds, upper bounds and a mutable mask for the reference data's features. */
    Resolved resolve(Dataset reference) {
        int features = reference.featureCount();
        float[] lower = new float[features];
        float[] upper = new float[features];
        Arrays.fill(lower, (float) Math.max(reference.bounds().lower(), -Float.MAX_VALUE));
        Arrays.fill(upper, (float) Math.min(reference.bounds().upper(), Float.MAX_VALUE));
        if (observed) {
            float[] min = new float[features];
            float[] max = new float[features];
            Arrays.fill(min, Float.POSITIVE_INFINITY);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < reference.size(); i++) {
                float[] row = reference.features(i);
                for (int j = 0; j < features; j++) {
                    min[j] = Math.min(min[j], row[j]);
                    max[j] = Math.max(max[j], row[j]);
                }
            }
            for (int j = 0; j < features; j++) {
                lower[j] = Math.max(lower[j], min[j]);
                upper[j] = Math.min(upper[j], max[j]);
            }
        }
        for (Map.Entry<Integer, double[]> entry : ranges.entrySet()) {
            check(entry.getKey(), features, "range");
            lower[entry.getKey()] = (float) entry.getValue()[0];
            upper[entry.getKey()] = (float) entry.getValue()[1];
        }
        float[] mutable = new float[features];
        Arrays.fill(mutable, 1f);
        for (int feature : immutable) {
            check(feature, features, "immutable");
            mutable[feature] = 0f;
        }
        return new Resolved(lower, upper, mutable);
    }

    private static void check(int feature, int features, String what) {
        if (feature >= features) {
            throw new InvalidDataException(what + " feature index " + feature + " is outside the data's " + features
                    + " features");
        }
    }

    /** Per-feature bounds and a 1/0 mutable mask. */
    record Resolved(float[] lower, float[] upper, float[] mutable) {}

    @Override
    public String toString() {
        return (observed ? "observed-range" : "value-bounds") + (immutable.length > 0 ? ", immutable "
                + Arrays.toString(immutable) : "") + (ranges.isEmpty() ? "" : ", " + ranges.size() + " custom ranges");
    }
}

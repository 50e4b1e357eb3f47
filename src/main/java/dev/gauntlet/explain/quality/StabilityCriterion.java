package dev.gauntlet.explain.quality;

import java.util.Objects;

/**
 * A stability metric and the bound its mean over samples must meet: at most the bound for
 * distances (sensitivity, Lipschitz), at least for similarities (overlap, rank correlation).
 *
 * @param metric the metric
 * @param threshold the bound
 */
public record StabilityCriterion(StabilityMetric metric, double threshold) {

    /** Validates the parts. */
    public StabilityCriterion {
        Objects.requireNonNull(metric, "metric");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite, got " + threshold);
        }
    }

    /**
     * Mean max-sensitivity (captum's defaults) at most {@code threshold}.
     *
     * @param threshold the bound
     * @return the criterion
     */
    public static StabilityCriterion maxSensitivityAtMost(double threshold) {
        return new StabilityCriterion(Stability.maxSensitivity(), threshold);
    }

    /**
     * Mean avg-sensitivity (radius 0.02, 10 perturbations) at most {@code threshold}.
     *
     * @param threshold the bound
     * @return the criterion
     */
    public static StabilityCriterion avgSensitivityAtMost(double threshold) {
        return new StabilityCriterion(Stability.avgSensitivity(0.02, 10), threshold);
    }

    /**
     * Mean local Lipschitz estimate (σ 0.1, 10 perturbations) at most {@code threshold}.
     *
     * @param threshold the bound
     * @return the criterion
     */
    public static StabilityCriterion localLipschitzAtMost(double threshold) {
        return new StabilityCriterion(Stability.localLipschitz(0.1, 10), threshold);
    }

    /**
     * Mean Spearman rank correlation (radius 0.02, 10 perturbations) at least {@code threshold}.
     *
     * @param threshold the bound
     * @return the criterion
     */
    public static StabilityCriterion rankCorrelationAtLeast(double threshold) {
        return new StabilityCriterion(Stability.spearman(0.02, 10), threshold);
    }

    /**
     * Mean top-k overlap (radius 0.02, 10 perturbations) at least {@code threshold}.
     *
     * @param k the number of top features
     * @param threshold the bound
     * @return the criterion
     */
    public static StabilityCriterion topKOverlapAtLeast(int k, double threshold) {
        return new StabilityCriterion(Stability.topKOverlap(k, 0.02, 10), threshold);
    }

    /** @return true if the metric's mean must be at least the threshold */
    public boolean atLeast() {
        return metric.higherIsStabler();
    }
}

package dev.gauntlet.counterfactual;

import java.util.function.Consumer;

/**
 * The mutable settings of a counterfactual search, owned by one immutable method object: a
 * with-method copies them, changes the copy and hands it to a new method, whose constructor
 * validates it.
 *
 * @param <S> the concrete settings type
 */
abstract class SearchSettings<S extends SearchSettings<S>> implements Cloneable {

    /** The class to reach, or {@link Wachter#ANY_OTHER}. */
    int target = Wachter.ANY_OTHER;
    /** Bisection steps over the weight of the prediction term. */
    int searchSteps = 10;
    /** Optimiser steps per weight. */
    int maxIterations = 1000;
    /** The optimiser's initial step; each search sets its default. */
    double learningRate;
    /** The feature ranges and immutable features. */
    FeatureConstraints constraints = FeatureConstraints.observedRange();

    /**
     * Returns a changed copy; this object is not modified.
     *
     * @param change what to set on the copy
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    final S changed(Consumer<S> change) {
        S copy;
        try {
            copy = (S) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("settings are Cloneable", e);
        }
        change.accept(copy);
        return copy;
    }
}

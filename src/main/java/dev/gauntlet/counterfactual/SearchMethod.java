package dev.gauntlet.counterfactual;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A counterfactual search configured by with-methods: holds its {@link SearchSettings} and the
 * with-methods every search shares (the class to reach, the budget, the optimiser's step and the
 * feature constraints). Each with-method returns a changed copy, which the search's constructor
 * validates.
 *
 * @param <M> the search type
 * @param <S> its settings type
 */
abstract class SearchMethod<M extends SearchMethod<M, S>, S extends SearchSettings<S>> implements CounterfactualMethod {

    final S settings;
    /** The class to reach, or {@link Wachter#ANY_OTHER}. */
    final int target;
    /** Optimiser steps per weight of the prediction term. */
    final int maxIterations;
    /** The optimiser's initial step. */
    final double learningRate;
    /** The feature ranges and immutable features. */
    final FeatureConstraints constraints;

    /**
     * Takes the settings; the subclass validates its own.
     *
     * @param settings the settings, owned by this search from now on
     */
    SearchMethod(S settings) {
        this.settings = settings;
        this.target = settings.target;
        this.maxIterations = settings.maxIterations;
        this.learningRate = settings.learningRate;
        this.constraints = Objects.requireNonNull(settings.constraints, "constraints");
    }

    /**
     * Returns the search with other settings.
     *
     * @param changed the settings, not yet validated
     * @return a new search, which validates them
     */
    abstract M create(S changed);

    /**
     * Returns a copy with changed settings.
     *
     * @param change what to set on the copy of the settings
     * @return the copy
     */
    final M with(Consumer<S> change) {
        return create(settings.changed(change));
    }

    /**
     * Sets the class to reach, or {@link Wachter#ANY_OTHER} (the elastic-net searches use it in
     * prototype mode).
     *
     * @param cls the class to reach, or {@link Wachter#ANY_OTHER}
     * @return a copy
     */
    public M target(int cls) {
        return with(s -> s.target = cls);
    }

    /**
     * Sets the search budget.
     *
     * @param steps bisection steps over the weight of the prediction term (λ for Wachter, c for the
     *     elastic-net searches), at least 1
     * @param iterations optimiser steps per weight: Adam steps for Wachter, at least 10 (its sweep
     *     spends a tenth per order), FISTA iterations for the elastic-net searches, at least 1
     * @return a copy
     */
    public M budget(int steps, int iterations) {
        return with(s -> {
            s.searchSteps = steps;
            s.maxIterations = iterations;
        });
    }

    /**
     * Sets the optimiser's initial step: Adam's learning rate for Wachter, the FISTA step for the
     * elastic-net searches.
     *
     * @param rate the initial step, finite and greater than 0
     * @return a copy
     */
    public M learningRate(double rate) {
        return with(s -> s.learningRate = rate);
    }

    /**
     * Sets the feature ranges and immutable features.
     *
     * @param c the feature ranges and immutable features
     * @return a copy
     */
    public M constraints(FeatureConstraints c) {
        return with(s -> s.constraints = c);
    }
}

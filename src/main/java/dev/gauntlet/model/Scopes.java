package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The rolling scope of an iterative search: each step makes its arrays in a fresh manager, keeps
 * the few it carries over and frees the rest, so native memory stays one step deep however many
 * steps run.
 */
public final class Scopes {

    private Scopes() {}

    /**
     * Ends a step: moves the arrays it keeps into the next step's manager and closes the current
     * one, freeing everything else the step made. Moving means the kept arrays now belong to
     * {@code next}: pass only arrays the search made, never one a longer-lived manager owns (the
     * caller's inputs), which the next {@code advance} would free.
     *
     * @param current the manager of the step that ends; closed
     * @param next the manager of the next step
     * @param kept the arrays the next step uses, made by the search
     * @return {@code next}, the manager now current
     */
    public static NDManager advance(NDManager current, NDManager next, NDArray... kept) {
        for (NDArray array : kept) {
            array.attach(next);
        }
        current.close();
        return next;
    }
}

package dev.gauntlet.model;

/**
 * What a model's score output holds. Gauntlet's checks work on logits; a model that outputs
 * probabilities or log-probabilities is converted once, inside the classifier, so that losses and
 * their gradients stay numerically sound: probabilities become {@code log(max(p, 1e-30))}, which
 * differ from the logits only by a per-sample constant, so softmax, cross-entropy, arg-max and
 * every gradient of them are unchanged.
 */
public enum OutputKind {

    /** Unnormalised scores, one per class (the default). */
    LOGITS,

    /** Softmax probabilities, one per class, summing to 1. */
    PROBABILITIES,

    /** Log-softmax values, one per class. */
    LOG_PROBABILITIES
}

package dev.gauntlet.model;

/**
 * What a model's score output holds. Gauntlet's checks work on logits; a model that outputs
 * probabilities or log-probabilities is converted once, inside the classifier, so that losses and
 * their gradients stay numerically sound: probabilities become {@code log(max(p, 1e-30))}, the
 * log-probabilities. Those differ from the logits by a per-sample constant, so every quantity that
 * ignores such a shift — softmax, cross-entropy and its gradient (FGSM, PGD, APGD-CE), arg-max,
 * margins between classes — is unchanged. Attributions of one class score (saliency, IG) explain
 * {@code log p_c} instead of {@code z_c}, and where float32 softmax underflowed below 1e-30 the
 * gradient is zero: declare logits when the model can export them.
 */
public enum OutputKind {

    /** Unnormalised scores, one per class (the default). */
    LOGITS,

    /** Softmax probabilities, one per class, summing to 1. */
    PROBABILITIES,

    /** Log-softmax values, one per class. */
    LOG_PROBABILITIES
}

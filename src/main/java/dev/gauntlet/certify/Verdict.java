package dev.gauntlet.certify;

/**
 * What is known about one sample's robustness within an ε-ball.
 */
public enum Verdict {

    /** A sound bound proves every input in the ball is classified as the label. */
    CERTIFIED,

    /**
     * An input in the ball is misclassified: the attack found one, or the clean sample itself is
     * wrong.
     */
    ATTACKED,

    /** Neither: the bound is too loose or the attack too weak to tell. */
    OPEN
}

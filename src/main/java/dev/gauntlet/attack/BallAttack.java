package dev.gauntlet.attack;

import java.util.Objects;

/**
 * What every attack on a norm ball shares: its norm and its budget ε, fixed at construction.
 * Subclasses validate ε (a finite budget, or an infinite cap for minimal-perturbation attacks)
 * before handing it here. Only this package's attacks extend it; implement {@link Attack} for
 * your own.
 */
public abstract class BallAttack implements Attack {

    private static final long serialVersionUID = 1L;

    /** The norm of the ball. */
    final Norm norm;
    /** The ball's radius. */
    final double epsilon;

    BallAttack(Norm norm, double epsilon) {
        this.norm = Objects.requireNonNull(norm, "norm");
        this.epsilon = epsilon;
    }

    @Override
    public final double epsilon() {
        return epsilon;
    }

    @Override
    public final Norm norm() {
        return norm;
    }

    /**
     * Checks the cap of a minimal-perturbation attack (DeepFool, C&amp;W): any ε ≥ 0, infinite for no cap.
     *
     * @param epsilon the cap
     * @return the cap
     */
    static double checkCap(double epsilon) {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0 (or infinite for no cap), got " + epsilon);
        }
        return epsilon;
    }
}

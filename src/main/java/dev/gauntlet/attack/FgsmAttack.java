package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;

/**
 * The fast gradient sign method (Goodfellow et al. 2015): {@code x + ε·sign(∇ℓ)} in L∞, or
 * {@code x + ε·∇ℓ/‖∇ℓ‖₂} in L2 (the fast gradient method), clipped to the bounds; ℓ is the
 * cross-entropy of the true label (untargeted) or minus that of the target (targeted). The
 * cheapest attack and a lower bound on what iterative attacks must achieve.
 */
public final class FgsmAttack extends BallAttack {

    private static final long serialVersionUID = 1L;

    private final int targetClass;

    FgsmAttack(Norm norm, double epsilon, int targetClass) {
        super(norm, Attacks.checkEpsilon(epsilon));
        this.targetClass = targetClass;
    }

    /**
     * Returns FGSM with an L∞ budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public FgsmAttack linf(double newEpsilon) {
        return new FgsmAttack(Norm.LINF, newEpsilon, targetClass);
    }

    /**
     * Returns the fast gradient method with an L2 budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public FgsmAttack l2(double newEpsilon) {
        return new FgsmAttack(Norm.L2, newEpsilon, targetClass);
    }

    /**
     * Returns the targeted variant, which pushes every sample towards one class.
     *
     * @param target the class to reach, at least 0
     * @return the attack
     */
    public FgsmAttack targeted(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("target class must be >= 0, got " + target);
        }
        return new FgsmAttack(norm, epsilon, target);
    }

    @Override
    public String name() {
        return "fgsm-" + norm.label() + "(eps=" + Attacks.format(epsilon)
                + (targetClass >= 0 ? ", target=" + targetClass : "") + ")";
    }

    @Override
    public FgsmAttack withEpsilon(double newEpsilon) {
        return new FgsmAttack(norm, newEpsilon, targetClass);
    }

    @Override
    public NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds,
            SampleSeeds seeds) {
        if (epsilon == 0) {
            return inputs.duplicate();
        }
        NDArray goal = targetClass >= 0 ? PgdAttack.targets(labels, targetClass, classifier) : labels;
        GradientLoss loss = targetClass >= 0 ? PgdAttack.TOWARDS_TARGET : GradientLoss.crossEntropy();
        NDArray gradient = Perturbations.gradient(classifier, inputs, goal, loss, name());
        return Perturbations.clip(Perturbations.direction(gradient, norm).mul((float) epsilon).add(inputs), bounds);
    }

    @Override
    public String toString() {
        return name();
    }
}

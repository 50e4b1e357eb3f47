package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;

import java.util.SplittableRandom;

/**
 * Projected gradient descent (Madry et al. 2018), and the basic iterative method (Kurakin et al.
 * 2017) as its variant without random start:
 * {@code x ← Π_{B(x₀,ε) ∩ [lo,hi]}(x + α·sign(∇ℓ))} in L∞, with {@code α·∇ℓ/‖∇ℓ‖₂} in L2.
 *
 * <p>Defaults: 10 steps, α = 2.5·ε/steps for PGD (Madry et al.'s choice, so the walk can cross
 * the ball) and ε/steps for BIM, one restart, random start U(−ε, ε) (L∞) or a uniform direction
 * and radius (L2). With several restarts each sample keeps the first restart that fooled the
 * model (its worst case), else the last restart's point. Every step runs in its own native
 * scope, so memory does not grow with the number of steps.
 */
public final class PgdAttack extends BallAttack {

    private static final long serialVersionUID = 1L;

    static final GradientLoss TOWARDS_TARGET = (logits, targets) ->
            GradientLoss.crossEntropy().perSample(logits, targets).neg();

    private final String family;
    private final int steps;
    private final double stepSize;
    private final int restarts;
    private final boolean randomStart;
    private final int targetClass;
    private final double momentum;

    PgdAttack(String family, Norm norm, double epsilon, int steps, double stepSize, int restarts, boolean randomStart,
            int targetClass) {
        this(family, norm, epsilon, steps, stepSize, restarts, randomStart, targetClass, 0);
    }

    PgdAttack(String family, Norm norm, double epsilon, int steps, double stepSize, int restarts, boolean randomStart,
            int targetClass, double momentum) {
        super(norm, Attacks.checkEpsilon(epsilon));
        this.family = family;
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!Double.isNaN(stepSize) && !(stepSize > 0 && Double.isFinite(stepSize))) {
            throw new IllegalArgumentException("stepSize must be a finite number > 0, got " + stepSize);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
        }
        this.steps = steps;
        this.stepSize = stepSize;
        this.restarts = restarts;
        this.randomStart = randomStart;
        this.targetClass = targetClass;
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
        this.momentum = momentum;
    }

    /**
     * Returns the attack with an L∞ budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public PgdAttack linf(double newEpsilon) {
        return new PgdAttack(family, Norm.LINF, newEpsilon, steps, stepSize, restarts, randomStart, targetClass, momentum);
    }

    /**
     * Returns the attack with an L2 budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public PgdAttack l2(double newEpsilon) {
        return new PgdAttack(family, Norm.L2, newEpsilon, steps, stepSize, restarts, randomStart, targetClass, momentum);
    }

    /**
     * Returns the attack with another number of steps.
     *
     * @param count at least 1
     * @return the attack
     */
    public PgdAttack steps(int count) {
        return new PgdAttack(family, norm, epsilon, count, stepSize, restarts, randomStart, targetClass, momentum);
    }

    /**
     * Returns the attack with a fixed step size α instead of the default that follows ε.
     *
     * @param alpha the step size, greater than 0
     * @return the attack
     */
    public PgdAttack stepSize(double alpha) {
        return new PgdAttack(family, norm, epsilon, steps, alpha, restarts, randomStart, targetClass, momentum);
    }

    /**
     * Returns the attack with several random restarts; each sample keeps its worst case.
     *
     * @param count at least 1
     * @return the attack
     */
    public PgdAttack restarts(int count) {
        return new PgdAttack(family, norm, epsilon, steps, stepSize, count, randomStart, targetClass, momentum);
    }

    /**
     * Returns the attack with or without a random start.
     *
     * @param enabled whether to start at a random point of the ε-ball
     * @return the attack
     */
    public PgdAttack randomStart(boolean enabled) {
        return new PgdAttack(family, norm, epsilon, steps, stepSize, restarts, enabled, targetClass, momentum);
    }

    /**
     * Returns the targeted variant, which pushes every sample towards one class.
     *
     * @param target the class to reach, at least 0
     * @return the attack
     */
    public PgdAttack targeted(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("target class must be >= 0, got " + target);
        }
        return new PgdAttack(family, norm, epsilon, steps, stepSize, restarts, randomStart, target, momentum);
    }

    /**
     * Returns the attack with momentum μ (Dong et al. 2018): the step follows
     * {@code g ← μ·g + ∇ℓ/‖∇ℓ‖₁} instead of the raw gradient; 0 turns it off.
     *
     * @param mu the decay factor, in [0, 1]
     * @return the attack
     */
    public PgdAttack momentum(double mu) {
        return new PgdAttack(family, norm, epsilon, steps, stepSize, restarts, randomStart, targetClass, mu);
    }

    /**
     * Returns the step size in use: the one set, else 2.5·ε/steps (PGD) or ε/steps (BIM).
     *
     * @return α
     */
    public double alpha() {
        if (!Double.isNaN(stepSize)) {
            return stepSize;
        }
        return (randomStart ? 2.5 : 1.0) * epsilon / steps;
    }

    /**
     * Returns the number of steps.
     *
     * @return the step count
     */
    public int steps() {
        return steps;
    }

    /**
     * Returns the number of restarts.
     *
     * @return the restart count
     */
    public int restarts() {
        return restarts;
    }

    @Override
    public String name() {
        return family + "-" + norm.label() + "(eps=" + Attacks.format(epsilon) + ", steps=" + steps + ", alpha="
                + Attacks.format(alpha()) + (restarts > 1 ? ", restarts=" + restarts : "")
                + (momentum > 0 ? ", momentum=" + Attacks.format(momentum) : "")
                + (randomStart ? ", random-start" : "") + (targetClass >= 0 ? ", target=" + targetClass : "") + ")";
    }

    @Override
    public PgdAttack withEpsilon(double newEpsilon) {
        return new PgdAttack(family, norm, newEpsilon, steps, stepSize, restarts, randomStart, targetClass, momentum);
    }

    @Override
    public NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds,
            SampleSeeds seeds) {
        NDManager scope = inputs.getManager();
        if (epsilon == 0) {
            return inputs.duplicate();
        }
        boolean targeted = targetClass >= 0;
        NDArray goal = targeted ? targets(labels, targetClass, classifier) : labels;
        GradientLoss loss = targeted ? TOWARDS_TARGET : GradientLoss.crossEntropy();
        float alpha = (float) alpha();
        SplittableRandom[] random = seeds.generators();
        NDArray best = null;
        NDArray bestFooled = null;
        for (int restart = 0; restart < restarts; restart++) {
            NDManager current = scope.newSubManager();
            try {
                NDArray adversarial;
                if (randomStart) {
                    adversarial = Perturbations.randomStart(inputs, epsilon, norm, bounds, random, current);
                } else {
                    adversarial = inputs.duplicate();
                    adversarial.attach(current);
                }
                NDArray velocity = null;
                for (int step = 0; step < steps; step++) {
                    NDManager next = scope.newSubManager();
                    NDArray gradient = Perturbations.gradient(classifier, adversarial, goal, loss, name());
                    if (momentum > 0) {
                        NDArray l1 = gradient.reshape(gradient.getShape().get(0), -1).abs().sum(new int[] {1}).add(1e-12f);
                        NDArray normalised = gradient.div(Perturbations.broadcastable(l1, gradient.getShape()));
                        gradient = velocity == null ? normalised : velocity.mul((float) momentum).add(normalised);
                        velocity = gradient;
                        velocity.attach(next);
                    }
                    NDArray moved = Perturbations.direction(gradient, norm).mul(alpha).add(adversarial);
                    NDArray projected = Perturbations.project(moved, inputs, epsilon, norm, bounds);
                    projected.attach(next);
                    current.close();
                    current = next;
                    adversarial = projected;
                }
                if (restarts == 1) {
                    // nothing to choose between: skip the forward pass that only restarts need
                    adversarial.attach(scope);
                    return adversarial;
                }
                NDArray fooled = fooled(classifier, adversarial, labels, goal, targeted);
                NDArray take = best == null ? fooled.onesLike() : fooled.mul(bestFooled.neg().add(1f));
                NDArray merged = best == null ? adversarial
                        : adversarial.sub(best).mul(Perturbations.broadcastable(take, adversarial.getShape())).add(best);
                NDArray fooledSoFar = best == null ? fooled : fooled.maximum(bestFooled);
                merged.attach(scope);
                fooledSoFar.attach(scope);
                if (best != null) {
                    best.close();
                    bestFooled.close();
                }
                best = merged;
                bestFooled = fooledSoFar;
            } finally {
                current.close();
            }
        }
        bestFooled.close();
        return best;
    }

    /** 1 where the attack succeeded (wrong class, or the target reached), else 0; float32 (n). */
    private static NDArray fooled(Classifier classifier, NDArray adversarial, NDArray labels, NDArray goal,
            boolean targeted) {
        NDArray predicted = classifier.logits(adversarial).argMax(1).toType(DataType.INT32, false);
        NDArray success = targeted ? predicted.eq(goal.toType(DataType.INT32, false))
                : predicted.neq(labels.toType(DataType.INT32, false));
        return success.toType(DataType.FLOAT32, false);
    }

    static NDArray targets(NDArray labels, int target, Classifier classifier) {
        if (target >= classifier.numClasses()) {
            throw new IllegalArgumentException("target class " + target + " is outside the model's "
                    + classifier.numClasses() + " classes");
        }
        return labels.getManager().full(labels.getShape(), target, DataType.INT32);
    }

    @Override
    public String toString() {
        return name();
    }
}

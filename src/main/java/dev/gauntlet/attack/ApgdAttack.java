package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.Scopes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Auto-PGD (Croce &amp; Hein 2020), the gradient attack of AutoAttack: PGD without a step size
 * to tune. It starts with step η = 2ε per sample, moves with momentum α = 0.75
 * ({@code x ← Π(x + α(z − x) + (1 − α)(x − x_prev))}, {@code z = Π(x + η·dir(∇ℓ))}), and at the
 * checkpoints {@code w_j = ⌈p_j·N⌉} ({@code p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1}
 * − 0.03, 0.06)}, computed in integers as the reference implementation does) halves a sample's η — restarting it from its best point — when fewer than
 * ρ = 0.75 of the steps since the last checkpoint raised its loss, or when neither η nor the best
 * loss changed since then.
 *
 * <p>Losses: cross-entropy, or the difference of logits ratio
 * {@code DLR = −(z_y − max_{i≠y} z_i)/(z_π1 − z_π3)}, which is invariant to shifting and
 * scaling the logits and so resists gradient masking by large logits (needs ≥ 3 classes). Each
 * sample returns the first point that fooled the model, else its highest-loss point.
 */
public final class ApgdAttack extends BallAttack {

    private static final long serialVersionUID = 1L;

    /** The loss APGD maximises. */
    public enum Loss {
        /** Softmax cross-entropy. */
        CE,
        /** The difference of logits ratio. */
        DLR,
        /** The Carlini–Wagner margin {@code max_{i≠y} z_i − z_y}, which keeps a gradient where the softmax saturates. */
        MARGIN,
        /**
         * The difference of logits ratio, or for two-class models (where it is undefined) the
         * Carlini–Wagner margin {@code max_{i≠y} z_i − z_y}: the second stage of
         * {@link Attacks#autoAttackStyle}.
         */
        DLR_OR_MARGIN
    }

    private static final double RHO = 0.75;
    private static final float MOMENTUM = 0.75f;

    private final int steps;
    private final Loss loss;
    private final int restarts;

    ApgdAttack(Norm norm, double epsilon, int steps, Loss loss, int restarts) {
        super(norm, Attacks.checkEpsilon(epsilon));
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be >= 2, got " + steps);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
        }
        this.steps = steps;
        this.loss = loss;
        this.restarts = restarts;
    }

    /**
     * Returns the attack with an L∞ budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public ApgdAttack linf(double newEpsilon) {
        return new ApgdAttack(Norm.LINF, newEpsilon, steps, loss, restarts);
    }

    /**
     * Returns the attack with an L2 budget.
     *
     * @param newEpsilon ε, at least 0
     * @return the attack
     */
    public ApgdAttack l2(double newEpsilon) {
        return new ApgdAttack(Norm.L2, newEpsilon, steps, loss, restarts);
    }

    /**
     * Returns the attack with another iteration budget.
     *
     * @param count at least 2
     * @return the attack
     */
    public ApgdAttack steps(int count) {
        return new ApgdAttack(norm, epsilon, count, loss, restarts);
    }

    /**
     * Returns the attack with another loss.
     *
     * @param newLoss CE, DLR, MARGIN or DLR_OR_MARGIN
     * @return the attack
     */
    public ApgdAttack loss(Loss newLoss) {
        return new ApgdAttack(norm, epsilon, steps, Objects.requireNonNull(newLoss, "loss"), restarts);
    }

    /**
     * Returns the attack with several random restarts.
     *
     * @param count at least 1
     * @return the attack
     */
    public ApgdAttack restarts(int count) {
        return new ApgdAttack(norm, epsilon, steps, loss, count);
    }

    @Override
    public String name() {
        return "apgd-" + (loss == Loss.DLR_OR_MARGIN ? "dlr" : loss.name().toLowerCase(Locale.ROOT)) + "-" + norm.label() + "(eps="
                + Attacks.format(epsilon) + ", steps=" + steps + (restarts > 1 ? ", restarts=" + restarts : "") + ")";
    }

    @Override
    public ApgdAttack withEpsilon(double newEpsilon) {
        return new ApgdAttack(norm, newEpsilon, steps, loss, restarts);
    }

    /**
     * The checkpoints w_j = ⌈p_j·N⌉ of Croce &amp; Hein (2020), in the integer form of their
     * reference implementation: the first after ⌊0.22·N⌋ steps, each next one ⌊0.03·N⌋ steps
     * sooner than the last, but at least ⌊0.06·N⌋ steps later (each at least 1).
     */
    static List<Integer> checkpoints(int steps) {
        int gap = Math.max((int) (0.22 * steps), 1);
        int decrease = Math.max((int) (0.03 * steps), 1);
        int minimum = Math.max((int) (0.06 * steps), 1);
        List<Integer> points = new ArrayList<>();
        for (int at = gap; at <= steps; gap = Math.max(gap - decrease, minimum), at += gap) {
            points.add(at);
        }
        return points;
    }

    static GradientLoss dlr() {
        return (logits, labels) -> {
            int classes = Math.toIntExact(logits.getShape().get(1));
            NDArray oneHot = labels.oneHot(classes);
            NDArray trueLogit = logits.mul(oneHot).sum(new int[] {1});
            NDArray bestOther = logits.sub(oneHot.mul(1e9f)).max(new int[] {1});
            NDArray first = logits.max(new int[] {1});
            NDArray withoutFirst = logits.sub(logits.argMax(1).oneHot(classes).mul(1e9f));
            NDArray withoutSecond = withoutFirst.sub(withoutFirst.argMax(1).oneHot(classes).mul(1e9f));
            NDArray third = withoutSecond.max(new int[] {1});
            return trueLogit.sub(bestOther).neg().div(first.sub(third).add(1e-12f));
        };
    }

    @Override
    public NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds,
            SampleSeeds seeds) {
        if (epsilon == 0) {
            return inputs.duplicate();
        }
        if (loss == Loss.DLR && classifier.numClasses() < 3) {
            throw new IllegalArgumentException("the DLR loss needs at least 3 classes but the model has "
                    + classifier.numClasses() + "; use loss(Loss.CE)");
        }
        NDManager scope = inputs.getManager();
        int n = Math.toIntExact(inputs.getShape().get(0));
        GradientLoss objective = switch (loss) {
            case CE -> GradientLoss.crossEntropy();
            case DLR -> dlr();
            case MARGIN -> GradientLoss.margin();
            case DLR_OR_MARGIN -> classifier.numClasses() < 3 ? GradientLoss.margin() : dlr();
        };
        List<Integer> checkpoints = checkpoints(steps);
        SplittableRandom[] random = seeds.generators();
        NDArray result = null;
        boolean[] fooledAny = new boolean[n];
        for (int restart = 0; restart < restarts; restart++) {
            NDManager state = scope.newSubManager();
            try {
                NDArray x = Perturbations.randomStart(inputs, epsilon, norm, bounds, random, state);
                Evaluation at = evaluate(classifier, x, labels, objective, name());
                float[] eta = new float[n];
                Arrays.fill(eta, (float) (2 * epsilon));
                float[] bestLoss = at.loss.clone();
                float[] lastLoss = at.loss.clone();
                float[] bestLossAtCheck = bestLoss.clone();
                boolean[] reducedAtCheck = new boolean[n];
                int[] increases = new int[n];
                NDArray xBest = x;
                NDArray gradBest = at.gradient;
                NDArray xAdv = x;
                boolean[] fooled = at.fooled.clone();
                NDArray previous = x;
                NDArray gradient = at.gradient;
                int lastCheckpoint = 0;
                for (int k = 0; k < steps; k++) {
                    NDManager next = scope.newSubManager();
                    NDArray etaArray = Perturbations.broadcastable(state.create(eta), x.getShape());
                    NDArray z = Perturbations.project(Perturbations.direction(gradient, norm).mul(etaArray).add(x),
                            inputs, epsilon, norm, bounds);
                    NDArray moved = k == 0 ? z : z.sub(x).mul(MOMENTUM).add(x.sub(previous).mul(1 - MOMENTUM)).add(x);
                    NDArray candidate = Perturbations.project(moved, inputs, epsilon, norm, bounds);
                    Evaluation result2 = evaluate(classifier, candidate, labels, objective, name());
                    float[] improved = new float[n];
                    float[] newlyFooled = new float[n];
                    for (int i = 0; i < n; i++) {
                        if (result2.loss[i] > lastLoss[i]) {
                            increases[i]++;
                        }
                        lastLoss[i] = result2.loss[i];
                        if (result2.loss[i] > bestLoss[i]) {
                            bestLoss[i] = result2.loss[i];
                            improved[i] = 1;
                        }
                        if (result2.fooled[i] && !fooled[i]) {
                            fooled[i] = true;
                            newlyFooled[i] = 1;
                        }
                    }
                    xBest = select(state, improved, candidate, xBest);
                    gradBest = select(state, improved, result2.gradient, gradBest);
                    xAdv = select(state, newlyFooled, candidate, xAdv);
                    NDArray nextX = candidate;
                    NDArray nextGradient = result2.gradient;
                    int step = k + 1;
                    if (checkpoints.contains(step)) {
                        int window = step - lastCheckpoint;
                        float[] restartFromBest = new float[n];
                        for (int i = 0; i < n; i++) {
                            boolean fewIncreases = increases[i] < RHO * window;
                            boolean stalled = !reducedAtCheck[i] && bestLossAtCheck[i] >= bestLoss[i];
                            reducedAtCheck[i] = fewIncreases || stalled;
                            if (reducedAtCheck[i]) {
                                eta[i] /= 2;
                                restartFromBest[i] = 1;
                            }
                            increases[i] = 0;
                            bestLossAtCheck[i] = bestLoss[i];
                        }
                        nextX = select(state, restartFromBest, xBest, candidate);
                        nextGradient = select(state, restartFromBest, gradBest, result2.gradient);
                        lastCheckpoint = step;
                    }
                    NDArray keptPrevious = x.duplicate();
                    state = Scopes.advance(state, next, nextX, nextGradient, xBest, gradBest, xAdv, keptPrevious);
                    previous = keptPrevious;
                    x = nextX;
                    gradient = nextGradient;
                }
                float[] takeFromThisRestart = new float[n];
                for (int i = 0; i < n; i++) {
                    takeFromThisRestart[i] = result == null || fooled[i] && !fooledAny[i] ? 1 : 0;
                    fooledAny[i] |= fooled[i];
                }
                float[] fooledMask = new float[n];
                for (int i = 0; i < n; i++) {
                    fooledMask[i] = fooled[i] ? 1 : 0;
                }
                NDArray output = select(state, fooledMask, xAdv, xBest);
                NDArray merged = result == null ? output : select(state, takeFromThisRestart, output, result);
                merged.attach(scope);
                if (result != null) {
                    result.close();
                }
                result = merged;
            } finally {
                state.close();
            }
        }
        return result;
    }

    /** Per sample: {@code a} where mask is 1, else {@code b}; in {@code manager}'s scope. */
    private static NDArray select(NDManager manager, float[] mask, NDArray a, NDArray b) {
        NDArray m = Perturbations.broadcastable(manager.create(mask), a.getShape());
        return a.sub(b).mul(m).add(b);
    }

    private record Evaluation(float[] loss, boolean[] fooled, NDArray gradient) {}

    private static Evaluation evaluate(Classifier classifier, NDArray x, NDArray labels, GradientLoss objective,
            String attack) {
        NDArray logits = classifier.logits(x);
        float[] loss = objective.perSample(logits, labels).toFloatArray();
        int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        int[] truth = labels.toType(DataType.INT32, false).toIntArray();
        boolean[] fooled = new boolean[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            fooled[i] = predicted[i] != truth[i];
        }
        return new Evaluation(loss, fooled, Perturbations.gradient(classifier, x, labels, objective, attack));
    }

    @Override
    public String toString() {
        return name();
    }
}

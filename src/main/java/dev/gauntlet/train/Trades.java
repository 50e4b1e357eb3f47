package dev.gauntlet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;

import java.util.SplittableRandom;

/**
 * The TRADES objective (Zhang et al. 2019): {@code CE(f(x), y) + β·KL(softmax f(x) ‖ softmax f(x′))},
 * where {@code x′} maximises the KL term inside the L∞ ball of radius ε around {@code x}.
 *
 * <p>Defaults follow the reference implementation's {@code trades_loss}: a start at
 * {@code x + 0.001·N(0, 1)}, 10 signed-gradient steps on the summed KL, each projected on the ball
 * and the value bounds; ε = 0.031 and step 0.003 (its CIFAR-10 figures). β defaults to 6, the
 * value the paper reports for its headline CIFAR-10 result (the function's own default is 1);
 * set it with {@link #beta(double)}. The KL of the loss is averaged over the batch, and its clean
 * distribution is not detached, as in the reference code. Immutable: every setter returns a copy.
 *
 * <pre>{@code
 * AdversarialTraining.trades(trainer, Trades.linf(0.1).steps(5).stepSize(0.03).beta(6), shape, classes);
 * }</pre>
 */
public final class Trades {

    private final double epsilon;
    private final int steps;
    private final double stepSize;
    private final double beta;

    private Trades(double epsilon, int steps, double stepSize, double beta) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException("stepSize must be finite and > 0, got " + stepSize);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        this.epsilon = epsilon;
        this.steps = steps;
        this.stepSize = stepSize;
        this.beta = beta;
    }

    /**
     * TRADES with an L∞ radius; 10 steps of 0.003 and β = 6 until changed.
     *
     * @param epsilon the L∞ radius, {@code >= 0}
     * @return the configuration
     */
    public static Trades linf(double epsilon) {
        return new Trades(epsilon, 10, 0.003, 6.0);
    }

    /**
     * Sets the number of KL-ascent steps.
     *
     * @param count the steps, at least 1
     * @return a copy with that many steps
     */
    public Trades steps(int count) {
        return new Trades(epsilon, count, stepSize, beta);
    }

    /**
     * Sets the L∞ step of the KL ascent.
     *
     * @param size the step, {@code > 0}
     * @return a copy with that step
     */
    public Trades stepSize(double size) {
        return new Trades(epsilon, steps, size, beta);
    }

    /**
     * Sets the weight of the robustness (KL) term; 0 is plain training on clean inputs.
     *
     * @param weight β, {@code >= 0}
     * @return a copy with that β
     */
    public Trades beta(double weight) {
        return new Trades(epsilon, steps, stepSize, weight);
    }

    /** @return the L∞ radius */
    public double epsilon() {
        return epsilon;
    }

    /** @return the number of KL-ascent steps */
    public int steps() {
        return steps;
    }

    /** @return the step of the KL ascent */
    public double stepSize() {
        return stepSize;
    }

    /** @return β, the weight of the KL term */
    public double beta() {
        return beta;
    }

    /**
     * The inner maximisation: inputs within ε of {@code inputs} whose predicted distribution is as
     * far (in KL) from the clean one as the steps find. Labels are not used.
     *
     * @param classifier the model, in inference mode (its current weights)
     * @param inputs the clean inputs; not modified
     * @param bounds the valid value range
     * @param seed the seed of the start's noise
     * @return the crafted inputs, in the inputs' manager
     */
    public NDArray craft(Classifier classifier, NDArray inputs, ValueBounds bounds, long seed) {
        NDManager manager = inputs.getManager();
        NDArray logClean = classifier.logits(inputs).logSoftmax(1);
        NDArray clean = logClean.exp();
        GradientLoss kl = (logits, labels) -> clean.mul(logClean.sub(logits.logSoftmax(1))).sum(new int[] {1});
        NDArray unusedLabels = manager.zeros(new Shape(inputs.getShape().get(0)),
                DataType.INT32);
        SplittableRandom random = new SplittableRandom(seed);
        float[] noise = new float[Math.toIntExact(inputs.size())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.001 * StandardNormal.draw(random));
        }
        NDArray lower = inputs.sub(epsilon);
        NDArray upper = inputs.add(epsilon);
        if (Double.isFinite(bounds.lower())) {
            lower = lower.maximum((float) bounds.lower());
        }
        if (Double.isFinite(bounds.upper())) {
            upper = upper.minimum((float) bounds.upper());
        }
        NDArray adversarial = inputs.add(manager.create(noise, inputs.getShape())).maximum(lower).minimum(upper);
        for (int step = 0; step < steps; step++) {
            NDArray gradient = classifier.inputGradient(adversarial, unusedLabels, kl);
            adversarial = adversarial.add(gradient.sign().mul(stepSize)).maximum(lower).minimum(upper);
        }
        return adversarial;
    }

    @Override
    public String toString() {
        return "TRADES(linf eps=" + epsilon + ", steps=" + steps + ", step=" + stepSize + ", beta=" + beta + ")";
    }
}

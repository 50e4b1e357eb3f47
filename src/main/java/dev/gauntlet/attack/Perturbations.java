package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.NonFiniteGradientException;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The geometry attacks share: steps, projections onto ε-balls and bounds, per-sample norms. */
final class Perturbations {

    private static final float TINY = 1e-12f;

    private Perturbations() {}

    /**
     * Takes the input gradient an attack steps along and refuses a non-finite one: {@code sign(NaN)}
     * is 0, so the attack would stand still and report robustness it never tested. The check is one
     * reduction on the gradient; only a non-finite sum is examined further.
     */
    static NDArray gradient(Classifier classifier, NDArray x, NDArray labels, GradientLoss loss, String attack) {
        NDArray gradient = classifier.inputGradient(x, labels, loss);
        try (NDArray sum = gradient.sum()) {
            if (!Float.isFinite(sum.getFloat()) && !finiteDespiteOverflow(gradient)) {
                throw new NonFiniteGradientException(attack + " got a NaN or infinite input gradient from "
                        + classifier + " for inputs " + x.getShape() + "; it would step by sign(NaN) = 0 and report"
                        + " robustness it never tested. Check the model's weights for a diverged training and the"
                        + " inputs for NaN");
            }
        }
        return gradient;
    }

    /** Decides a non-finite sum exactly: x − x is 0 for every finite value and NaN for NaN and ±∞. */
    private static boolean finiteDespiteOverflow(NDArray gradient) {
        try (NDArray difference = gradient.sub(gradient); NDArray sum = difference.sum()) {
            return sum.getFloat() == 0f;
        }
    }

    /** Clips to the data's bounds (infinite bounds do not clip). */
    static NDArray clip(NDArray x, ValueBounds bounds) {
        NDArray result = x;
        if (Double.isFinite(bounds.lower())) {
            result = result.maximum((float) bounds.lower());
        }
        if (Double.isFinite(bounds.upper())) {
            result = result.minimum((float) bounds.upper());
        }
        return result;
    }

    /** Projects {@code x} onto the ε-ball around {@code origin}, then onto the bounds. */
    static NDArray project(NDArray x, NDArray origin, double epsilon, Norm norm, ValueBounds bounds) {
        NDArray delta = x.sub(origin);
        if (norm == Norm.LINF) {
            delta = delta.clip(-epsilon, epsilon);
        } else {
            NDArray length = perSampleL2(delta);
            NDArray factor = length.add(TINY).pow(-1).mul((float) epsilon).minimum(1f);
            delta = delta.mul(broadcastable(factor, delta.getShape()));
        }
        return clip(delta.add(origin), bounds);
    }

    /** The ascent direction of one step: sign(g) for L∞, g / ‖g‖₂ for L2. */
    static NDArray direction(NDArray gradient, Norm norm) {
        if (norm == Norm.LINF) {
            return gradient.sign();
        }
        NDArray length = perSampleL2(gradient).add(TINY);
        return gradient.div(broadcastable(length, gradient.getShape()));
    }

    /** ‖x_i‖₂ for each sample i, shape (n). */
    static NDArray perSampleL2(NDArray x) {
        return x.reshape(x.getShape().get(0), -1).square().sum(new int[] {1}).sqrt();
    }

    /** ‖x_i‖∞ for each sample i, shape (n). */
    static NDArray perSampleLinf(NDArray x) {
        return x.reshape(x.getShape().get(0), -1).abs().max(new int[] {1});
    }

    /** Reshapes a per-sample vector (n) to (n, 1, 1, ...) so it broadcasts over samples of {@code shape}. */
    static NDArray broadcastable(NDArray perSample, Shape shape) {
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = shape.get(0);
        return perSample.reshape(new Shape(dims));
    }

    /**
     * A uniformly random start in the ε-ball, created in {@code manager}: U(-ε, ε) per feature
     * for L∞; a uniformly random direction and a radius U(0, ε) for L2. Sample {@code i} draws
     * from {@code random[i]} only, so its start does not depend on the rest of the batch.
     */
    static NDArray randomStart(NDArray origin, double epsilon, Norm norm, ValueBounds bounds,
            SplittableRandom[] random, NDManager manager) {
        int n = random.length;
        int width = Math.toIntExact(origin.size() / Math.max(1, n));
        float[] noise = new float[n * width];
        if (norm == Norm.LINF) {
            for (int s = 0; s < n; s++) {
                SplittableRandom own = random[s];
                for (int i = s * width; i < (s + 1) * width; i++) {
                    noise[i] = (float) ((2 * own.nextDouble() - 1) * epsilon);
                }
            }
            return clip(manager.create(noise, origin.getShape()).add(origin), bounds);
        }
        float[] radii = new float[n];
        for (int s = 0; s < n; s++) {
            SplittableRandom own = random[s];
            for (int i = s * width; i < (s + 1) * width; i++) {
                noise[i] = (float) StandardNormal.draw(own);
            }
            radii[s] = (float) (epsilon * own.nextDouble());
        }
        NDArray direction = direction(manager.create(noise, origin.getShape()), Norm.L2);
        NDArray radius = broadcastable(manager.create(radii), origin.getShape());
        return clip(direction.mul(radius).add(origin), bounds);
    }

}

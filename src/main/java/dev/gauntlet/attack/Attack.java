package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.io.Serializable;

/**
 * An adversarial attack: for a batch of inputs and their labels, finds inputs within an ε-ball
 * (in {@link #norm()}) and within the data's bounds that the classifier gets wrong.
 *
 * <p>Attacks are immutable values; configure them with their with-methods, e.g.
 * {@code Attacks.pgd().linf(0.1).steps(20)}. They are serialisable, so a distributed job can
 * ship one to its workers. They never modify their inputs, and the same seed
 * gives the same result on the CPU. Each sample's random choices derive from the run seed and
 * the sample's index in the dataset ({@link SampleSeeds}), so splitting a dataset into batches or
 * shards does not change what happens to a sample.
 */
public interface Attack extends Serializable {

    /**
     * Returns the attack's name with its parameters, for reports.
     *
     * @return e.g. {@code pgd-linf(eps=0.1, steps=20, alpha=0.0125, restarts=1, random-start)}
     */
    String name();

    /**
     * Returns the perturbation budget.
     *
     * @return ε, at least 0
     */
    double epsilon();

    /**
     * Returns the norm ε is measured in.
     *
     * @return the norm
     */
    Norm norm();

    /**
     * Returns this attack with another budget (and, where the step size follows ε, the matching
     * step size), for accuracy-vs-ε curves.
     *
     * @param newEpsilon the budget, at least 0
     * @return the attack
     */
    Attack withEpsilon(double newEpsilon);

    /**
     * Crafts adversarial examples for one batch, treating it as samples {@code 0..n-1} of a run
     * seeded {@code seed}: {@code generate(classifier, inputs, labels, bounds, SampleSeeds.of(seed, 0, n))}.
     *
     * @param classifier the model under attack
     * @param inputs float32 inputs {@code (n, inputShape...)}; not modified
     * @param labels int true labels {@code (n)}
     * @param bounds the range every feature must stay in
     * @param seed the seed of every random choice
     * @return the adversarial inputs, shaped like {@code inputs}, owned by the inputs' manager
     */
    default NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds, long seed) {
        return generate(classifier, inputs, labels, bounds,
                SampleSeeds.of(seed, 0, Math.toIntExact(inputs.getShape().get(0))));
    }

    /**
     * Crafts adversarial examples for one batch, each sample's random choices drawn from its own
     * generator ({@link SampleSeeds#generators()}), so that a sample's result does not depend on
     * which other samples share its batch.
     *
     * @param classifier the model under attack
     * @param inputs float32 inputs {@code (n, inputShape...)}; not modified
     * @param labels int true labels {@code (n)}
     * @param bounds the range every feature must stay in
     * @param seeds the run seed and the dataset index of each row
     * @return the adversarial inputs, shaped like {@code inputs}, owned by the inputs' manager
     */
    NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds, SampleSeeds seeds);
}

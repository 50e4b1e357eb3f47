package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Several attacks in turn, as in AutoAttack's evaluation (Croce &amp; Hein 2020): each attack
 * runs only on the samples that are still classified correctly, so each sample ends with the
 * first successful attack's point — the per-sample worst case — and later, costlier attacks see
 * only the hard samples. Samples that no attack fools, and samples misclassified to begin with,
 * are returned unchanged. All attacks share one norm and budget.
 */
public final class CascadeAttack implements Attack {

    private static final long serialVersionUID = 1L;

    private final List<Attack> attacks;

    CascadeAttack(List<Attack> attacks) {
        if (attacks.isEmpty()) {
            throw new IllegalArgumentException("a cascade needs at least one attack");
        }
        Attack first = attacks.get(0);
        for (Attack attack : attacks) {
            if (attack.norm() != first.norm() || attack.epsilon() != first.epsilon()) {
                throw new IllegalArgumentException("the attacks of a cascade must share norm and epsilon, but "
                        + attack.name() + " differs from " + first.name());
            }
        }
        this.attacks = List.copyOf(attacks);
    }

    /**
     * Returns the attacks, in the order they run.
     *
     * @return the attacks
     */
    public List<Attack> attacks() {
        return attacks;
    }

    @Override
    public String name() {
        return "cascade[" + attacks.stream().map(Attack::name).collect(Collectors.joining(" → ")) + "]";
    }

    @Override
    public double epsilon() {
        return attacks.get(0).epsilon();
    }

    @Override
    public Norm norm() {
        return attacks.get(0).norm();
    }

    @Override
    public CascadeAttack withEpsilon(double newEpsilon) {
        return new CascadeAttack(attacks.stream().map(a -> a.withEpsilon(newEpsilon)).toList());
    }

    @Override
    public NDArray generate(Classifier classifier, NDArray inputs, NDArray labels, ValueBounds bounds,
            SampleSeeds seeds) {
        NDManager scope = inputs.getManager();
        Shape shape = inputs.getShape();
        int n = Math.toIntExact(shape.get(0));
        int d = Math.toIntExact(inputs.size() / n);
        float[] values = inputs.toFloatArray();
        float[] result = values.clone();
        int[] label = labels.toType(DataType.INT32, false).toIntArray();
        boolean[] robust = new boolean[n];
        int[] clean = predictions(classifier, inputs);
        for (int i = 0; i < n; i++) {
            robust[i] = clean[i] == label[i];
        }
        for (int a = 0; a < attacks.size(); a++) {
            int[] still = IntStream.range(0, n).filter(i -> robust[i]).toArray();
            if (still.length == 0) {
                break;
            }
            try (NDManager step = scope.newSubManager()) {
                float[] subset = new float[still.length * d];
                int[] subsetLabels = new int[still.length];
                for (int j = 0; j < still.length; j++) {
                    System.arraycopy(values, still[j] * d, subset, j * d, d);
                    subsetLabels[j] = label[still[j]];
                }
                long[] dims = shape.getShape().clone();
                dims[0] = still.length;
                NDArray x = step.create(subset, new Shape(dims));
                NDArray adversarial = attacks.get(a).generate(classifier, x, step.create(subsetLabels), bounds,
                        seeds.rows(still).stage(a));
                float[] attacked = adversarial.toFloatArray();
                int[] predicted = predictions(classifier, adversarial);
                for (int j = 0; j < still.length; j++) {
                    if (predicted[j] != subsetLabels[j]) {
                        robust[still[j]] = false;
                        System.arraycopy(attacked, j * d, result, still[j] * d, d);
                    }
                }
            }
        }
        return scope.create(result, shape);
    }

    private static int[] predictions(Classifier classifier, NDArray x) {
        return classifier.logits(x).argMax(1).toType(DataType.INT32, false).toIntArray();
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CascadeAttack cascade && cascade.attacks.equals(attacks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(attacks.toArray());
    }
}

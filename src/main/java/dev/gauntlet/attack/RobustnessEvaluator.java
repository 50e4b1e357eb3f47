package dev.gauntlet.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs an attack over a dataset, batch by batch in closed native scopes, and measures the
 * result: clean and robust accuracy, success rate, perturbation norms, and whether the attack
 * kept to its budget and the bounds and left its inputs alone.
 */
public final class RobustnessEvaluator {

    /** How many attacked samples a report keeps for its picture. */
    public static final int EXAMPLES = 6;

    private RobustnessEvaluator() {}

    /**
     * Attacks every sample of {@code data}; batch {@code b} uses the seed {@code seed + b}.
     *
     * @param classifier the model
     * @param data the labelled samples, with the bounds attacks must respect
     * @param attack the attack
     * @param seed the seed
     * @return the report
     */
    public static RobustnessReport evaluate(Classifier classifier, Dataset data, Attack attack, long seed) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(attack, "attack");
        ValueBounds bounds = data.bounds();
        int n = data.size();
        int classes = classifier.numClasses();
        int cleanCorrect = 0;
        int robust = 0;
        int fooled = 0;
        double sumL2 = 0;
        double maxLinf = 0;
        double maxBudgetExcess = Double.NEGATIVE_INFINITY;
        double maxBoundsExcess = 0;
        boolean unchanged = true;
        List<Double> fooledL2 = new ArrayList<>();
        List<Double> minimal = new ArrayList<>();
        List<AdversarialExample> fooledExamples = new ArrayList<>();
        List<AdversarialExample> otherExamples = new ArrayList<>();
        // the clean logits in one pass over the data, which also lets the model refuse broken weights a ReLU hides
        float[][] cleanLogits = classifier.logits(data);
        List<Batch> batches = data.batches(classifier.batchSize());
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            try (NDManager scope = classifier.newScope()) {
                NDArray x = batch.features(scope);
                NDArray y = batch.labels(scope);
                NDArray pristine = x.duplicate();
                NDArray adversarial = attack.generate(classifier, x, y, bounds, seed + b);
                unchanged &= x.contentEquals(pristine);
                float[] cleanRows = new float[batch.size() * classes];
                for (int i = 0; i < batch.size(); i++) {
                    System.arraycopy(cleanLogits[batch.from() + i], 0, cleanRows, i * classes, classes);
                }
                float[] clean = scope.create(cleanRows, new Shape(batch.size(), classes)).softmax(1).toFloatArray();
                float[] attacked = classifier.logits(adversarial).softmax(1).toFloatArray();
                NDArray delta = adversarial.sub(x);
                float[] l2 = Perturbations.perSampleL2(delta).toFloatArray();
                float[] linf = Perturbations.perSampleLinf(delta).toFloatArray();
                float[] advValues = adversarial.toFloatArray();
                for (float v : advValues) {
                    maxBoundsExcess = Math.max(maxBoundsExcess, Math.max(bounds.lower() - v, v - bounds.upper()));
                }
                int width = data.featureCount();
                for (int i = 0; i < batch.size(); i++) {
                    int label = data.label(batch.from() + i);
                    int cleanPrediction = argMax(clean, i * classes, classes);
                    int attackedPrediction = argMax(attacked, i * classes, classes);
                    double size = attack.norm() == Norm.LINF ? linf[i] : l2[i];
                    maxBudgetExcess = Math.max(maxBudgetExcess, size - attack.epsilon());
                    maxLinf = Math.max(maxLinf, linf[i]);
                    sumL2 += l2[i];
                    if (cleanPrediction == label) {
                        cleanCorrect++;
                        if (attackedPrediction == label) {
                            robust++;
                            minimal.add(Double.POSITIVE_INFINITY);
                        } else {
                            fooled++;
                            fooledL2.add((double) l2[i]);
                            minimal.add(size);
                        }
                    }
                    boolean wasFooled = cleanPrediction == label && attackedPrediction != label;
                    List<AdversarialExample> kept = wasFooled ? fooledExamples : otherExamples;
                    if (kept.size() < EXAMPLES) {
                        float[] original = data.features(batch.from() + i);
                        float[] changed = Arrays.copyOfRange(advValues, i * width, (i + 1) * width);
                        kept.add(new AdversarialExample(original, changed, label, cleanPrediction,
                                clean[i * classes + cleanPrediction], attackedPrediction,
                                attacked[i * classes + attackedPrediction]));
                    }
                }
            }
        }
        List<AdversarialExample> examples = new ArrayList<>(fooledExamples);
        examples.addAll(otherExamples.subList(0, Math.min(otherExamples.size(), EXAMPLES - examples.size())));
        return new RobustnessReport(attack.name(), attack.norm(), attack.epsilon(), n, (double) cleanCorrect / n,
                (double) robust / n, cleanCorrect == 0 ? 0 : (double) fooled / cleanCorrect, median(fooledL2), median(minimal),
                sumL2 / n, maxLinf, maxBudgetExcess, maxBoundsExcess, unchanged, examples);
    }

    /** The index of the largest of {@code values[offset, offset + length)}, the first on ties. */
    static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int c = 1; c < length; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

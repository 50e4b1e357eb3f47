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
import java.util.stream.IntStream;

/**
 * Runs an attack over a dataset, batch by batch in closed native scopes, and measures the
 * result: clean and robust accuracy, success rate, perturbation norms, and whether the attack
 * kept to its budget and the bounds and left its inputs alone.
 */
public final class RobustnessEvaluator {

    /** How many attacked samples a report keeps for its picture. */
    public static final int EXAMPLES = RobustnessReport.EXAMPLES;

    private RobustnessEvaluator() {}

    /**
     * Attacks every sample of {@code data}; sample {@code i} draws its random choices from
     * {@code SampleSeeds.of(seed, i, 1)}, whatever batch it is in.
     *
     * @param classifier the model
     * @param data the labelled samples, with the bounds attacks must respect
     * @param attack the attack
     * @param seed the run seed
     * @return the report
     */
    public static RobustnessReport evaluate(Classifier classifier, Dataset data, Attack attack, long seed) {
        Objects.requireNonNull(data, "data");
        return evaluate(classifier, data, 0, data.size(), attack, seed);
    }

    /**
     * Attacks one shard of {@code data} as part of a run over the whole dataset: each sample keeps
     * its dataset index, in its outcome and in its seed, so the shards' reports
     * {@link RobustnessReport#merge merge} into the report of {@link #evaluate(Classifier, Dataset,
     * Attack, long)} on all of {@code data}, bit for bit.
     *
     * <p>The shard must start at a multiple of {@code classifier.batchSize()} and end at one or at
     * the end of the data ({@link Shard#split} makes such shards), so that its batches are the
     * whole run's: an engine's float results for a sample can depend on the other samples of its
     * batch, even though the attack's random choices for a sample do not ({@link SampleSeeds}).
     *
     * @param classifier the model
     * @param data the whole dataset
     * @param shard the samples to attack
     * @param attack the attack
     * @param seed the run seed, the same for every shard
     * @return the shard's report, its outcomes indexed as in {@code data}
     * @throws IllegalArgumentException if the shard is outside the data or not on batch boundaries
     */
    public static RobustnessReport evaluate(Classifier classifier, Dataset data, Shard shard, Attack attack,
            long seed) {
        Objects.requireNonNull(shard, "shard");
        return evaluate(classifier, data, shard.from(), shard.to(), attack, seed);
    }

    /**
     * Attacks the samples {@code [from, to)} of {@code data} as one shard of a run over the whole
     * dataset; see {@link #evaluate(Classifier, Dataset, Shard, Attack, long)}.
     *
     * @param classifier the model
     * @param data the whole dataset
     * @param from the first sample of the shard, a multiple of {@code classifier.batchSize()}
     * @param to one past the last sample: a multiple of the batch size, or {@code data.size()}
     * @param attack the attack
     * @param seed the run seed, the same for every shard
     * @return the shard's report, its outcomes indexed as in {@code data}
     * @throws IllegalArgumentException if the shard is outside the data or not on batch boundaries
     */
    public static RobustnessReport evaluate(Classifier classifier, Dataset data, int from, int to, Attack attack,
            long seed) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(attack, "attack");
        if (from < 0 || from >= to) {
            throw new IllegalArgumentException("a shard is samples [from, to) with 0 <= from < to <= "
                    + data.size() + " (the dataset's size), got [" + from + ", " + to + ")");
        }
        int batchSize = classifier.batchSize();
        new Shard(from, to).checkFits(data.size(), batchSize);
        Dataset shard = from == 0 && to == data.size() ? data : data.subset(IntStream.range(from, to).toArray());
        ValueBounds bounds = data.bounds();
        int classes = classifier.numClasses();
        int width = data.featureCount();
        boolean unchanged = true;
        List<SampleOutcome> outcomes = new ArrayList<>(shard.size());
        List<AdversarialExample> fooledExamples = new ArrayList<>();
        List<AdversarialExample> otherExamples = new ArrayList<>();
        // the clean logits in one pass over the data, which also lets the model refuse broken weights a ReLU hides
        float[][] cleanLogits = classifier.logits(shard);
        for (Batch batch : shard.batches(batchSize)) {
            try (NDManager scope = classifier.newScope()) {
                NDArray x = batch.features(scope);
                NDArray y = batch.labels(scope);
                NDArray pristine = x.duplicate();
                NDArray adversarial = attack.generate(classifier, x, y, bounds,
                        SampleSeeds.of(seed, from + batch.from(), batch.size()));
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
                for (int i = 0; i < batch.size(); i++) {
                    int label = shard.label(batch.from() + i);
                    int cleanPrediction = argMax(clean, i * classes, classes);
                    int attackedPrediction = argMax(attacked, i * classes, classes);
                    double boundsExcess = 0;
                    for (int j = i * width; j < (i + 1) * width; j++) {
                        float v = advValues[j];
                        boundsExcess = Math.max(boundsExcess, Math.max(bounds.lower() - v, v - bounds.upper()));
                    }
                    SampleOutcome outcome = new SampleOutcome(from + batch.from() + i, label, cleanPrediction,
                            attackedPrediction, l2[i], linf[i], boundsExcess);
                    outcomes.add(outcome);
                    List<AdversarialExample> kept = outcome.fooled() ? fooledExamples : otherExamples;
                    if (kept.size() < EXAMPLES) {
                        float[] original = shard.features(batch.from() + i);
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
        return RobustnessReport.of(attack, seed, outcomes, unchanged, examples);
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
}

package dev.gauntlet.slice;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.SampleSeeds;
import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.Logits;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one classifier did to each sample of a dataset: its prediction, whether that was right, and
 * its confidence; the per-sample facts that per-class bars, slices and paired comparisons count.
 *
 * <p>{@link #clean} predicts by the arg-max of the logits (as {@code AccuracyReport}), and keeps the
 * largest softmax probability and its own arg-max for calibration (as {@code Calibration}).
 * {@link #underAttack} marks a sample correct when it is classified correctly both clean and attacked
 * (robust accuracy, as {@code RobustnessReport}), seeding each sample from the run seed and its index
 * ({@code SampleSeeds}) as {@code RobustnessEvaluator} does, so the fractions equal its report's; the prediction kept is the
 * one that was wrong (the clean one when the clean prediction already was).
 */
public final class Outcomes {

    private final String name;
    private final int numClasses;
    private final int[] labels;
    private final int[] predictions;
    private final boolean[] correct;
    private final float[] confidence;
    private final boolean[] confidentCorrect;

    private Outcomes(String name, int numClasses, int[] labels, int[] predictions, boolean[] correct,
            float[] confidence, boolean[] confidentCorrect) {
        this.name = name;
        this.numClasses = numClasses;
        this.labels = labels;
        this.predictions = predictions;
        this.correct = correct;
        this.confidence = confidence;
        this.confidentCorrect = confidentCorrect;
    }

    /**
     * Predicts every sample once.
     *
     * @param classifier the model
     * @param data labelled samples
     * @return the outcomes
     */
    public static Outcomes clean(Classifier classifier, Dataset data) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(data, "data");
        float[][] logits = classifier.logits(data);
        int n = data.size();
        int[] predictions = new int[n];
        boolean[] correct = new boolean[n];
        float[] confidence = new float[n];
        boolean[] confidentCorrect = new boolean[n];
        for (int i = 0; i < n; i++) {
            predictions[i] = Logits.argMax(logits[i]);
            correct[i] = predictions[i] == data.label(i);
            float[] p = Logits.softmax(logits[i]);
            int top = Logits.argMax(p);
            confidence[i] = p[top];
            confidentCorrect[i] = top == data.label(i);
        }
        return new Outcomes("accuracy", Math.max(data.numClasses(), classifier.numClasses()), data.labels(),
                predictions, correct, confidence, confidentCorrect);
    }

    /**
     * Attacks every sample and keeps which stay correct.
     *
     * @param classifier the model
     * @param data labelled samples, with the bounds the attack respects
     * @param attack the attack
     * @param seed the run seed; sample {@code i} draws from {@code SampleSeeds.of(seed, i, 1)}, as in
     *     {@code RobustnessEvaluator}
     * @return the outcomes, correct meaning robust
     */
    public static Outcomes underAttack(Classifier classifier, Dataset data, Attack attack, long seed) {
        Objects.requireNonNull(attack, "attack");
        Outcomes clean = clean(classifier, data);
        int[] predictions = clean.predictions.clone();
        boolean[] robust = clean.correct.clone();
        List<Batch> batches = data.batches(classifier.batchSize());
        int classes = classifier.numClasses();
        for (Batch batch : batches) {
            try (NDManager scope = classifier.newScope()) {
                NDArray adversarial = attack.generate(classifier, batch.features(scope), batch.labels(scope),
                        data.bounds(), SampleSeeds.of(seed, batch.from(), batch.size()));
                float[] logits = classifier.logits(adversarial).toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    int index = batch.from() + i;
                    if (robust[index]) {
                        float[] row = Arrays.copyOfRange(logits, i * classes, (i + 1) * classes);
                        predictions[index] = Logits.argMax(row);
                        robust[index] = predictions[index] == data.label(index);
                    }
                }
            }
        }
        return new Outcomes("robust accuracy under " + attack.name(), clean.numClasses, clean.labels, predictions,
                robust, clean.confidence, clean.confidentCorrect);
    }

    /**
     * Returns what the outcomes measure, e.g. {@code accuracy} or {@code robust accuracy under PGD...}.
     *
     * @return the metric's name
     */
    public String metric() {
        return name;
    }

    /**
     * Returns the number of samples.
     *
     * @return the sample count
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns the number of classes (the larger of the data's and the model's).
     *
     * @return the class count
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns a sample's true class.
     *
     * @param index the sample
     * @return its label
     */
    public int label(int index) {
        return labels[index];
    }

    /**
     * Returns the prediction that decided a sample (the attacked one for robust outcomes, unless the
     * clean one was already wrong).
     *
     * @param index the sample
     * @return the predicted class
     */
    public int prediction(int index) {
        return predictions[index];
    }

    /**
     * Tells whether a sample was classified correctly (robustly, for robust outcomes).
     *
     * @param index the sample
     * @return whether it was right
     */
    public boolean correct(int index) {
        return correct[index];
    }

    /**
     * Counts the correct samples among {@code indices}.
     *
     * @param indices samples
     * @return how many were right
     */
    public int correctAmong(int[] indices) {
        int count = 0;
        for (int i : indices) {
            count += correct[i] ? 1 : 0;
        }
        return count;
    }

    /**
     * Computes the expected calibration error of the clean predictions on a multiset of samples:
     * {@code Σ_b |Σ correct − Σ confidence| / N} over {@code bins} equal-width bins with membership
     * {@code conf ∈ (lo, hi]}, as {@code Calibration}.
     *
     * @param indices the samples, repeats counting again (a bootstrap resample)
     * @param bins the number of bins
     * @return the ECE, NaN for no sample
     */
    public double expectedCalibrationError(int[] indices, int bins) {
        if (indices.length == 0) {
            return Double.NaN;
        }
        double[] gap = new double[bins];
        for (int i : indices) {
            double c = confidence[i];
            int bin = Math.max(0, Math.min(bins - 1, (int) Math.ceil(c * bins) - 1));
            gap[bin] += (confidentCorrect[i] ? 1 : 0) - c;
        }
        double sum = 0;
        for (double g : gap) {
            sum += Math.abs(g);
        }
        return sum / indices.length;
    }
}

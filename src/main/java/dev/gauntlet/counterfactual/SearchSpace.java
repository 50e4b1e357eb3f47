package dev.gauntlet.counterfactual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.Logits;
import dev.gauntlet.trust.ClassNeighbour;
import dev.gauntlet.trust.TrustScore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What every search shares: the resolved constraints as engine arrays, the reference data's MADs,
 * the batch loop with timing, and the metrics of each counterfactual.
 */
final class SearchSpace {

    /** One batch's outcome: a counterfactual row per sample (null when none found) and validity. */
    record BatchResult(float[][] counterfactuals, boolean[] valid) {}

    /** A search over one batch; arrays live in {@code x}'s manager. */
    interface BatchSearch {
        BatchResult search(NDArray x, int[] originalClasses);
    }

    /**
     * What every search keeps of one batch: the samples and their classes, the constraints as
     * arrays in the batch's manager, and the closest counterfactual found so far per sample.
     */
    abstract static class BatchState {
        final SearchSpace space;
        final Classifier classifier;
        final NDArray x;
        final int[] original;
        final int n;
        final NDArray labels;
        final NDArray lower;
        final NDArray upper;
        final NDArray mutable;
        final float[][] best;
        final double[] bestDistance;

        BatchState(SearchSpace space, NDArray x, int[] original) {
            this.space = space;
            this.classifier = space.classifier;
            this.x = x;
            this.original = original;
            this.n = original.length;
            NDManager m = x.getManager();
            this.labels = m.create(original);
            this.lower = space.perFeature(m, space.lower);
            this.upper = space.perFeature(m, space.upper);
            this.mutable = space.perFeature(m, space.mutable);
            this.best = new float[n][];
            this.bestDistance = new double[n];
            Arrays.fill(bestDistance, Double.POSITIVE_INFINITY);
        }
    }

    final Classifier classifier;
    final Dataset reference;
    final float[] lower;
    final float[] upper;
    final float[] mutable;
    final float[] mad;

    SearchSpace(Classifier classifier, Dataset samples, Dataset reference, FeatureConstraints constraints, int target) {
        Objects.requireNonNull(classifier, "classifier");
        if (target >= classifier.numClasses()) {
            throw new IllegalArgumentException("target class " + target + " is outside the model's "
                    + classifier.numClasses() + " classes");
        }
        if (samples.size() == 0) {
            throw new InvalidDataException("no samples to explain: the dataset is empty");
        }
        if (reference.size() == 0) {
            throw new InvalidDataException("the reference data is empty; pass the training data");
        }
        if (!samples.sampleShape().equals(reference.sampleShape())) {
            throw new InvalidDataException("samples have shape " + samples.sampleShape()
                    + " but the reference data " + reference.sampleShape());
        }
        this.classifier = classifier;
        this.reference = reference;
        FeatureConstraints.Resolved resolved = constraints.resolve(reference);
        this.lower = resolved.lower();
        this.upper = resolved.upper();
        this.mutable = resolved.mutable();
        this.mad = mad(reference);
    }

    /** Per-feature array of sample shape with a leading 1, for broadcasting over a batch. */
    NDArray perFeature(NDManager manager, float[] values) {
        return manager.create(values, new Shape(1).addAll(reference.sampleShape()));
    }

    /** Clips {@code v} to the ranges and puts the immutable features back to {@code x}'s values. */
    static NDArray constrain(NDArray v, NDArray x, NDArray lower, NDArray upper, NDArray mutable) {
        NDArray clipped = v.maximum(lower).minimum(upper);
        return clipped.sub(x).mul(mutable).add(x);
    }

    /**
     * The median absolute deviation of each feature; where it is 0 (e.g. a mostly-constant
     * feature), the mean absolute deviation from the median, and 1 if that is 0 too.
     */
    static float[] mad(Dataset reference) {
        int features = reference.featureCount();
        int n = reference.size();
        float[] result = new float[features];
        double[] column = new double[n];
        for (int j = 0; j < features; j++) {
            for (int i = 0; i < n; i++) {
                column[i] = reference.features(i)[j];
            }
            double median = median(column.clone());
            double[] deviations = new double[n];
            double meanDeviation = 0;
            for (int i = 0; i < n; i++) {
                deviations[i] = Math.abs(column[i] - median);
                meanDeviation += deviations[i] / n;
            }
            double value = median(deviations);
            result[j] = (float) (value > 0 ? value : meanDeviation > 0 ? meanDeviation : 1.0);
        }
        return result;
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** Runs a search batch by batch and describes every counterfactual. */
    CounterfactualReport run(String method, Dataset samples, BatchSearch search) {
        int[] predicted = classifier.predict(samples);
        List<float[]> originals = new ArrayList<>();
        List<float[]> found = new ArrayList<>();
        List<Boolean> validity = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (Batch batch : samples.batches(classifier.batchSize())) {
            long start = System.nanoTime();
            BatchResult result;
            try (NDManager scope = classifier.newScope()) {
                NDArray x = batch.features(scope);
                result = search.search(x, Arrays.copyOfRange(predicted, batch.from(), batch.to()));
            }
            double perSample = (System.nanoTime() - start) / 1e9 / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                float[] original = samples.features(batch.from() + i);
                originals.add(original);
                found.add(result.counterfactuals()[i] == null ? original.clone() : result.counterfactuals()[i]);
                validity.add(result.valid()[i] && result.counterfactuals()[i] != null);
                seconds.add(perSample);
            }
        }
        return describe(method, samples, predicted, originals, found, validity, seconds);
    }

    private CounterfactualReport describe(String method, Dataset samples, int[] predicted, List<float[]> originals,
            List<float[]> found, List<Boolean> validity, List<Double> seconds) {
        Dataset counterfactualData = samples.withFeatures(flatten(found), ValueBounds.unbounded());
        float[][] probabilities = classifier.probabilities(counterfactualData);
        ClassNeighbour[][] nearest = TrustScore.fit(reference).nearestPerClass(found.toArray(new float[0][]), 1);
        List<Counterfactual> result = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            float[] x = originals.get(i);
            float[] c = found.get(i);
            double l1 = 0;
            double l2 = 0;
            double madL1 = 0;
            int changed = 0;
            for (int j = 0; j < x.length; j++) {
                double d = Math.abs((double) c[j] - x[j]);
                l1 += d;
                l2 += d * d;
                madL1 += d / mad[j];
                changed += d > Counterfactual.CHANGE_TOLERANCE ? 1 : 0;
            }
            int cls = Logits.argMax(probabilities[i]);
            boolean valid = validity.get(i);
            result.add(new Counterfactual(i, x, c, predicted[i], cls, probabilities[i], valid, l1, Math.sqrt(l2), madL1,
                    changed, valid ? nearest[i][cls].distance() : Double.NaN, seconds.get(i)));
        }
        return new CounterfactualReport(method, result);
    }

    private static float[] flatten(List<float[]> rows) {
        int width = rows.get(0).length;
        float[] flat = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * width, width);
        }
        return flat;
    }

    /** Reads a batch array into rows. */
    static float[][] rows(NDArray batch) {
        int n = Math.toIntExact(batch.getShape().get(0));
        float[] flat = batch.toFloatArray();
        int width = flat.length / n;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }
}

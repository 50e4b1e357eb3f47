package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.model.Classifier;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * LIME (Ribeiro et al. 2016) with the {@code lime} package's defaults: a ridge surrogate
 * (α = 1) of the class probability, fitted on perturbations weighted by the kernel
 * {@code sqrt(exp(−d²/width²))}; the attribution of a feature (or of every pixel of a segment) is
 * its surrogate coefficient.
 *
 * <ul>
 *   <li>Tabular: 5,000 samples {@code x + N(0, 1)·σ_train} per feature (lime's
 *       {@code sample_around_instance=True}, no discretisation), distances and coefficients on
 *       features standardised by the training data, kernel width {@code 0.75·√d}.</li>
 *   <li>Images: segments from a {@link Segmenter} — SLIC superpixels as lime's reference
 *       implementation uses (it defaults to quickshift), or square patches — 1,000 samples switching each
 *       segment off (filled with 0) with probability ½, cosine distance of the on/off vector to
 *       all-on, kernel width 0.25. Superpixels are computed per image, so an explanation follows
 *       the image's edges rather than a grid.</li>
 * </ul>
 */
final class Lime implements Explainer {

    private final double[] means;
    private final double[] scales;
    private final int patch;
    private final Segmenter segmenter;
    private final int samples;

    private Lime(double[] means, double[] scales, int patch, Segmenter segmenter, int samples) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        this.means = means;
        this.scales = scales;
        this.patch = patch;
        this.segmenter = segmenter;
        this.samples = samples;
    }

    static Lime tabular(Dataset train, int samples) {
        int d = train.featureCount();
        double[] means = new double[d];
        double[] scales = new double[d];
        for (int i = 0; i < train.size(); i++) {
            float[] row = train.features(i);
            for (int j = 0; j < d; j++) {
                means[j] += row[j] / (double) train.size();
            }
        }
        for (int i = 0; i < train.size(); i++) {
            float[] row = train.features(i);
            for (int j = 0; j < d; j++) {
                scales[j] += Math.pow(row[j] - means[j], 2) / train.size();
            }
        }
        for (int j = 0; j < d; j++) {
            scales[j] = scales[j] > 0 ? Math.sqrt(scales[j]) : 1;
        }
        return new Lime(means, scales, 0, null, samples);
    }

    static Lime image(int patch, int samples) {
        if (patch < 1) {
            throw new IllegalArgumentException("patch must be >= 1, got " + patch);
        }
        return new Lime(null, null, patch, Segmenter.patches(patch), samples);
    }

    static Lime image(Segmenter segmenter, int samples) {
        return new Lime(null, null, 0, Objects.requireNonNull(segmenter, "segmenter"), samples);
    }

    @Override
    public String name() {
        return means != null ? "lime-tabular(samples=" + samples + ")" : patch > 0 ? "lime-image(patch=" + patch
                + ", samples=" + samples + ")" : "lime-image(" + segmenter.name() + ", samples=" + samples + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        long[] shape = inputs.getShape().getShape();
        int width = SampleBySample.width(inputs);
        if (means != null && means.length != width) {
            throw new IllegalArgumentException("LIME was fitted on " + means.length + " features, samples have " + width);
        }
        SplittableRandom random = new SplittableRandom(seed);
        NDManager manager = inputs.getManager();
        return SampleBySample.attribute(inputs, classes, (x, cls) -> means != null
                ? tabular(classifier, manager, x, shape, cls, random) : image(classifier, manager, x, shape, cls, random));
    }

    private float[] tabular(Classifier classifier, NDManager manager, float[] x, long[] shape, int cls,
            SplittableRandom random) {
        int d = x.length;
        float[] perturbed = new float[samples * d];
        double[][] scaled = new double[samples][d];
        double[] weights = new double[samples];
        double kernelWidth = 0.75 * Math.sqrt(d);
        for (int s = 0; s < samples; s++) {
            double distance = 0;
            for (int j = 0; j < d; j++) {
                double noise = s == 0 ? 0 : StandardNormal.draw(random);
                perturbed[s * d + j] = (float) (x[j] + noise * scales[j]);
                scaled[s][j] = (perturbed[s * d + j] - means[j]) / scales[j];
                distance += noise * noise;
            }
            weights[s] = Math.sqrt(Math.exp(-distance / (kernelWidth * kernelWidth)));
        }
        double[] y = probabilities(classifier, manager, perturbed, shape, cls);
        double[] coefficients = LinearSolver.weightedRidge(scaled, y, weights, 1.0);
        float[] attribution = new float[d];
        for (int j = 0; j < d; j++) {
            attribution[j] = (float) coefficients[j];
        }
        return attribution;
    }

    private float[] image(Classifier classifier, NDManager manager, float[] x, long[] shape, int cls,
            SplittableRandom random) {
        Segments segments = shape.length == 4 ? Segments.of(segmenter.segment(x, (int) shape[1], (int) shape[2],
                (int) shape[3]), (int) shape[1]) : Segments.of(shape, patch);
        int m = segments.count();
        double[][] on = new double[samples][m];
        float[] perturbed = new float[samples * x.length];
        double[] weights = new double[samples];
        for (int s = 0; s < samples; s++) {
            int active = 0;
            for (int k = 0; k < m; k++) {
                on[s][k] = s == 0 || random.nextBoolean() ? 1 : 0;
                active += (int) on[s][k];
            }
            for (int j = 0; j < x.length; j++) {
                perturbed[s * x.length + j] = on[s][segments.segmentOf(j)] == 1 ? x[j] : 0f;
            }
            double cosine = active == 0 ? 1 : 1 - active / (Math.sqrt(active) * Math.sqrt(m));
            weights[s] = Math.sqrt(Math.exp(-cosine * cosine / (0.25 * 0.25)));
        }
        double[] y = probabilities(classifier, manager, perturbed, shape, cls);
        double[] coefficients = LinearSolver.weightedRidge(on, y, weights, 1.0);
        float[] attribution = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            attribution[j] = (float) coefficients[segments.segmentOf(j)];
        }
        return attribution;
    }

    /** The class probability of each perturbed sample, in batches of the classifier's size. */
    static double[] probabilities(Classifier classifier, NDManager manager, float[] rows, long[] shape, int cls) {
        return scores(classifier, manager, rows, shape, cls, true);
    }

    static double[] scores(Classifier classifier, NDManager manager, float[] rows, long[] shape, int cls,
            boolean probability) {
        int width = 1;
        for (int i = 1; i < shape.length; i++) {
            width *= (int) shape[i];
        }
        int count = rows.length / width;
        double[] result = new double[count];
        int batch = Math.max(classifier.batchSize(), 1);
        for (int from = 0; from < count; from += batch) {
            int to = Math.min(count, from + batch);
            long[] batchShape = shape.clone();
            batchShape[0] = to - from;
            try (NDManager scope = manager.newSubManager()) {
                NDArray logits = classifier.logits(scope.create(Arrays.copyOfRange(rows, from * width,
                        to * width), new Shape(batchShape)));
                float[] values = (probability ? logits.softmax(1) : logits).toFloatArray();
                int k = values.length / (to - from);
                for (int i = from; i < to; i++) {
                    result[i] = values[(i - from) * k + cls];
                }
            }
        }
        return result;
    }
}

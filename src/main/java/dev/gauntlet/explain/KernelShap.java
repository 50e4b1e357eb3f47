package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * KernelSHAP (Lundberg &amp; Lee 2017): Shapley values of the class logit, with "feature absent"
 * meaning "replaced by a background sample's value" and the value of a coalition the mean over
 * the background (the interventional expectation, as {@code shap.KernelExplainer}). The weighted
 * regression uses the Shapley kernel {@code (M−1) / (C(M, s)·s·(M−s))} with the efficiency
 * constraint {@code Σφ = v(all) − v(none)} imposed exactly. With at most 12 players every
 * coalition is enumerated, which makes the values exact; otherwise {@code samples} coalitions are
 * drawn (sizes in proportion to the kernel, each with its complement; shap's "auto" budget
 * 2M + 2048 by default). Players are features, or square patches of images.
 */
final class KernelShap implements Explainer {

    private static final int EXACT_UP_TO = 12;

    private final float[][] background;
    private final int samples;
    private final int patch;

    KernelShap(Dataset background, int maxBackground, int samples, int patch) {
        if (background.size() == 0) {
            throw new IllegalArgumentException("the background data is empty; pass training data");
        }
        if (samples < 0 || maxBackground < 1) {
            throw new IllegalArgumentException("samples must be >= 0 and maxBackground >= 1, got " + samples + ", "
                    + maxBackground);
        }
        Dataset used = background.size() > maxBackground ? background.sample(maxBackground, 0) : background;
        this.background = new float[used.size()][];
        for (int i = 0; i < used.size(); i++) {
            this.background[i] = used.features(i);
        }
        this.samples = samples;
        this.patch = patch;
    }

    @Override
    public String name() {
        return "kernel-shap(background=" + background.length + ", samples=" + (samples == 0 ? "auto" : samples)
                + (patch > 0 ? ", patch=" + patch : "") + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        long[] shape = inputs.getShape().getShape();
        int width = SampleBySample.width(inputs);
        if (background[0].length != width) {
            throw new IllegalArgumentException("background samples have " + background[0].length
                    + " features, the explained samples " + width);
        }
        Segments players = Segments.of(shape, patch);
        int m = players.count();
        if (m < 2) {
            throw new IllegalArgumentException("KernelSHAP needs at least 2 players (features or patches), got " + m);
        }
        List<double[]> coalitions = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        coalitions(m, new SplittableRandom(seed), coalitions, weights);
        return SampleBySample.attribute(inputs, classes, (x, cls) -> {
            double[] phi = shapley(classifier, inputs.getManager(), x, shape, cls, players, coalitions, weights);
            float[] attribution = new float[width];
            for (int j = 0; j < width; j++) {
                attribution[j] = (float) phi[players.segmentOf(j)];
            }
            return attribution;
        });
    }

    private void coalitions(int m, SplittableRandom random, List<double[]> coalitions, List<Double> weights) {
        if (m <= EXACT_UP_TO) {
            for (int mask = 1; mask < (1 << m) - 1; mask++) {
                double[] z = new double[m];
                int size = 0;
                for (int j = 0; j < m; j++) {
                    z[j] = (mask >> j) & 1;
                    size += (int) z[j];
                }
                coalitions.add(z);
                weights.add((m - 1) / (binomial(m, size) * size * (m - size)));
            }
            return;
        }
        int budget = samples > 0 ? samples : 2 * m + 2048;
        double[] sizeWeight = new double[m];
        double total = 0;
        for (int s = 1; s < m; s++) {
            sizeWeight[s] = (m - 1.0) / (s * (m - s));
            total += sizeWeight[s];
        }
        for (int k = 0; k < budget / 2; k++) {
            double u = random.nextDouble() * total;
            int size = 1;
            while (size < m - 1 && u > sizeWeight[size]) {
                u -= sizeWeight[size];
                size++;
            }
            int[] order = Permutations.of(m, new Random(random.nextLong()));
            double[] z = new double[m];
            double[] complement = new double[m];
            for (int j = 0; j < m; j++) {
                z[order[j]] = j < size ? 1 : 0;
                complement[order[j]] = 1 - z[order[j]];
            }
            coalitions.add(z);
            coalitions.add(complement);
            weights.add(1.0);
            weights.add(1.0);
        }
    }

    private double[] shapley(Classifier classifier, NDManager manager, float[] x, long[] shape, int cls,
            Segments players, List<double[]> coalitions, List<Double> weights) {
        int m = players.count();
        int width = x.length;
        int b = background.length;
        // rows: coalitions x background, then "all present" and "none present" per background row
        int rows = (coalitions.size() + 2) * b;
        float[] values = new float[rows * width];
        for (int k = 0; k < coalitions.size() + 2; k++) {
            double[] z = k < coalitions.size() ? coalitions.get(k) : null;
            for (int r = 0; r < b; r++) {
                int offset = (k * b + r) * width;
                for (int j = 0; j < width; j++) {
                    boolean present = z != null ? z[players.segmentOf(j)] == 1 : k == coalitions.size();
                    values[offset + j] = present ? x[j] : background[r][j];
                }
            }
        }
        long[] rowShape = shape.clone();
        rowShape[0] = rows;
        double[] scores = Lime.scores(classifier, manager, values, rowShape, cls, false);
        double[] v = new double[coalitions.size() + 2];
        for (int k = 0; k < v.length; k++) {
            for (int r = 0; r < b; r++) {
                v[k] += scores[k * b + r] / b;
            }
        }
        double all = v[coalitions.size()];
        double none = v[coalitions.size() + 1];
        double delta = all - none;
        // eliminate the last player: phi_last = delta - sum(others)
        double[][] design = new double[coalitions.size()][m - 1];
        double[] target = new double[coalitions.size()];
        double[] w = new double[coalitions.size()];
        for (int k = 0; k < coalitions.size(); k++) {
            double[] z = coalitions.get(k);
            for (int j = 0; j < m - 1; j++) {
                design[k][j] = z[j] - z[m - 1];
            }
            target[k] = v[k] - none - z[m - 1] * delta;
            w[k] = weights.get(k);
        }
        double[][] normal = new double[m - 1][m - 1];
        double[] right = new double[m - 1];
        for (int k = 0; k < design.length; k++) {
            for (int j = 0; j < m - 1; j++) {
                double wd = w[k] * design[k][j];
                right[j] += wd * target[k];
                for (int l = 0; l < m - 1; l++) {
                    normal[j][l] += wd * design[k][l];
                }
            }
        }
        double[] head = LinearSolver.solve(normal, right);
        double[] phi = new double[m];
        double sum = 0;
        for (int j = 0; j < m - 1; j++) {
            phi[j] = head[j];
            sum += head[j];
        }
        phi[m - 1] = delta - sum;
        return phi;
    }

    private static double binomial(int n, int k) {
        double result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return result;
    }
}

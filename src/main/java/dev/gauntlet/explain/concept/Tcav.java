package dev.gauntlet.explain.concept;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.model.Layers;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Testing with concept activation vectors (Kim et al. 2018). At one layer, a concept activation
 * vector (CAV) is the normal of a linear boundary between the activations of concept examples and
 * of random examples; the TCAV score of a class is the fraction of its inputs whose class logit
 * grows along the CAV ({@code ∇_h z_k · v > 0}). Scores from {@code randomSets} random
 * counterparts are compared by Welch's two-sided t-test with the scores of random-vs-random
 * CAVs; the concept matters when the difference is significant.
 *
 * <p>Deliberate difference: the boundary is a ridge regression of ±1 labels (λ = 1, solved in
 * its dual, n × n, form) instead of the reference's SGD-trained linear classifier — deterministic
 * and fast for the few hundred examples a concept has; its normal separates the two sets the same
 * way. {@link #regressionConcept} gives regression concept vectors (Graziani et al. 2018) for
 * continuous concepts.
 *
 * @param layer the top-level layer whose activations are used
 * @param randomSets how many random counterparts (the paper uses 500; 10 is the default here)
 */
public record Tcav(int layer, int randomSets) {

    /** Validates the settings. */
    public Tcav {
        if (layer < 0 || randomSets < 2) {
            throw new IllegalArgumentException("need layer >= 0 and randomSets >= 2, got " + layer + ", " + randomSets);
        }
    }

    /**
     * A TCAV result.
     *
     * @param meanScore the mean TCAV score over the concept's CAVs
     * @param scores one score per random counterpart
     * @param randomScores the scores of random-vs-random CAVs
     * @param pValue Welch's two-sided p-value of concept against random scores
     */
    public record Result(double meanScore, double[] scores, double[] randomScores, double pValue) {

        /**
         * Tells whether the concept's scores differ from chance.
         *
         * @param alpha the significance level, e.g. 0.05
         * @return true if {@code pValue < alpha}
         */
        public boolean significant(double alpha) {
            return pValue < alpha;
        }

        /**
         * Returns the sample standard deviation of the concept's scores over runs.
         *
         * @return the standard deviation (n − 1), 0 for a single run
         */
        public double scoreStd() {
            return std(scores);
        }

        /**
         * Returns the mean score of the random concepts, chance's level.
         *
         * @return the mean, NaN without random runs
         */
        public double randomMeanScore() {
            return Arrays.stream(randomScores).average().orElse(Double.NaN);
        }

        /**
         * Returns the sample standard deviation of the random concepts' scores.
         *
         * @return the standard deviation (n − 1), 0 for a single run
         */
        public double randomScoreStd() {
            return std(randomScores);
        }

        private static double std(double[] values) {
            double mean = Arrays.stream(values).average().orElse(0);
            return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
                    / Math.max(1, values.length - 1));
        }
    }

    /**
     * Scores a concept for a class.
     *
     * @param classifier the model (a {@code SequentialBlock})
     * @param concept examples of the concept
     * @param randomPool examples to draw random counterparts from (at least twice the concept's size)
     * @param inputs the inputs whose class sensitivity is measured (e.g. images of that class)
     * @param targetClass the class
     * @param seed the seed of the random counterparts
     * @return the scores and their significance
     */
    public Result score(Classifier classifier, Dataset concept, Dataset randomPool, Dataset inputs, int targetClass,
            long seed) {
        if (randomPool.size() < 2 * concept.size()) {
            throw new IllegalArgumentException("the random pool holds " + randomPool.size() + " examples; it needs at"
                    + " least twice the concept's " + concept.size());
        }
        double[][] conceptActivations = activations(classifier, concept);
        double[][] gradients = classGradients(classifier, inputs, targetClass);
        double[] scores = new double[randomSets];
        double[] randomScores = new double[randomSets];
        for (int r = 0; r < randomSets; r++) {
            Dataset shuffled = randomPool.shuffle(seed + r);
            double[][] first = activations(classifier, shuffled.head(concept.size()));
            double[][] second = activations(classifier, shuffled.subset(IntStream
                    .range(concept.size(), 2 * concept.size()).toArray()));
            scores[r] = fractionPositive(gradients, cav(conceptActivations, first));
            randomScores[r] = fractionPositive(gradients, cav(first, second));
        }
        return new Result(Arrays.stream(scores).average().orElseThrow(), scores, randomScores,
                welchPValue(scores, randomScores));
    }

    /**
     * A regression concept vector: the direction in which a continuous concept measure (e.g.
     * brightness) grows at the layer, and the fraction of inputs whose class logit grows along it.
     *
     * @param classifier the model
     * @param examples examples spanning the concept's range
     * @param measure the concept's value for each example
     * @param inputs the inputs whose sensitivity is measured
     * @param targetClass the class
     * @return {@code {score, R² of the regression on the examples}}
     */
    public double[] regressionConcept(Classifier classifier, Dataset examples, double[] measure, Dataset inputs,
            int targetClass) {
        if (measure.length != examples.size()) {
            throw new IllegalArgumentException(measure.length + " concept values for " + examples.size() + " examples");
        }
        double[][] h = activations(classifier, examples);
        double[] direction = dualRidge(h, measure);
        double[] fitted = new double[h.length];
        double mean = Arrays.stream(measure).average().orElseThrow();
        double residual = 0;
        double total = 0;
        double intercept = mean - dot(columnMeans(h), direction);
        for (int i = 0; i < h.length; i++) {
            fitted[i] = dot(h[i], direction) + intercept;
            residual += (measure[i] - fitted[i]) * (measure[i] - fitted[i]);
            total += (measure[i] - mean) * (measure[i] - mean);
        }
        double score = fractionPositive(classGradients(classifier, inputs, targetClass), normalise(direction));
        return new double[] {score, total > 0 ? 1 - residual / total : 0};
    }

    private double[][] activations(Classifier classifier, Dataset data) {
        Layers layers = UnsupportedCapabilityException.require(classifier, LayerView.class, "TCAV").layers();
        double[][] rows = new double[data.size()][];
        for (Batch batch : data.batches(classifier.batchSize())) {
            try (NDManager scope = classifier.newScope()) {
                copyRows(layers.forward(batch.features(scope), 0, layer + 1).toFloatArray(), batch, rows);
            }
        }
        return rows;
    }

    private double[][] classGradients(Classifier classifier, Dataset inputs, int targetClass) {
        Layers layers = UnsupportedCapabilityException.require(classifier, LayerView.class, "TCAV").layers();
        double[][] rows = new double[inputs.size()][];
        for (Batch batch : inputs.batches(classifier.batchSize())) {
            try (NDManager scope = classifier.newScope()) {
                NDArray classes = scope.full(new Shape(batch.size()), targetClass, DataType.INT32);
                copyRows(layers.gradientAt(batch.features(scope), layer, classes, GradientLoss.classLogit())
                        .gradient().toFloatArray(), batch, rows);
            }
        }
        return rows;
    }

    /** Splits a batch's flat values into one double row per sample, at the batch's place in {@code rows}. */
    private static void copyRows(float[] flat, Batch batch, double[][] rows) {
        int width = flat.length / batch.size();
        for (int i = 0; i < batch.size(); i++) {
            double[] row = new double[width];
            for (int j = 0; j < width; j++) {
                row[j] = flat[i * width + j];
            }
            rows[batch.from() + i] = row;
        }
    }

    /** The unit normal of the ridge boundary between positives (+1) and negatives (−1). */
    private static double[] cav(double[][] positives, double[][] negatives) {
        double[][] x = new double[positives.length + negatives.length][];
        double[] y = new double[x.length];
        for (int i = 0; i < positives.length; i++) {
            x[i] = positives[i];
            y[i] = 1;
        }
        for (int i = 0; i < negatives.length; i++) {
            x[positives.length + i] = negatives[i];
            y[positives.length + i] = -1;
        }
        return normalise(dualRidge(x, y));
    }

    /** Ridge regression (λ = 1) with an unpenalised intercept, in dual form: w = Xcᵀ (Xc Xcᵀ + I)⁻¹ yc. */
    private static double[] dualRidge(double[][] x, double[] y) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = columnMeans(x);
        double yMean = Arrays.stream(y).average().orElseThrow();
        double[][] centred = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = x[i][j] - mean[j];
            }
        }
        double[][] gram = new double[n][n];
        double[] yc = new double[n];
        for (int i = 0; i < n; i++) {
            yc[i] = y[i] - yMean;
            for (int k = i; k < n; k++) {
                gram[i][k] = dot(centred[i], centred[k]);
                gram[k][i] = gram[i][k];
            }
            gram[i][i] += 1.0;
        }
        // the ridge system is symmetric positive definite: Cholesky, commons-math's
        double[] alpha = new CholeskyDecomposition(new Array2DRowRealMatrix(gram, false)).getSolver()
                .solve(new ArrayRealVector(yc, false)).toArray();
        double[] w = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                w[j] += alpha[i] * centred[i][j];
            }
        }
        return w;
    }

    private static double[] columnMeans(double[][] x) {
        double[] mean = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        return mean;
    }

    private static double fractionPositive(double[][] gradients, double[] direction) {
        int positive = 0;
        for (double[] g : gradients) {
            positive += dot(g, direction) > 0 ? 1 : 0;
        }
        return (double) positive / gradients.length;
    }

    private static double[] normalise(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        double[] unit = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = norm > 0 ? v[i] / norm : 0;
        }
        return unit;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * Welch's two-sided t-test p-value (commons-math's {@code TTest}); 1 when both samples are constant and
     * equal, 0 when constant and apart (where the statistic is undefined).
     */
    static double welchPValue(double[] a, double[] b) {
        double ma = StatUtils.mean(a);
        double mb = StatUtils.mean(b);
        if (StatUtils.variance(a) == 0 && StatUtils.variance(b) == 0) {
            return ma == mb ? 1.0 : 0.0;
        }
        return new TTest().tTest(a, b);
    }
}

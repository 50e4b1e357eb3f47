package dev.gauntlet.trust;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.PcaProjection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The trust score of Jiang et al. (2018), "To Trust or Not to Trust a Classifier", with alibi's
 * algorithm and defaults: per class, the training points left after a density filter; a
 * prediction's score is the distance to the k-th nearest point of the closest <em>other</em>
 * class divided by the distance to the k-th nearest point of the <em>predicted</em> class
 * (+1e-12), or with {@link Mode#MEAN} the mean of the k nearest distances. A score below 1 means
 * another class's data is closer than the predicted class's: the prediction is suspect.
 *
 * <p>Filters ({@link Filter}), as alibi 0.9's {@code TrustScore}: {@code DISTANCE_KNN} drops, per class,
 * the points whose distance to their {@code kFilter}-th nearest other same-class point (alibi's
 * {@code dist_filter_type='point'}, its default) is above the {@code (1 − alpha)} percentile;
 * {@code DISTANCE_KNN_MEAN} uses the mean distance to the {@code kFilter} nearest others instead
 * ({@code 'mean'}); {@code PROBABILITY_KNN} drops the points whose kNN-classifier ({@code kFilter}
 * neighbours over all classes, the point itself among them, as scikit-learn's {@code predict_proba} on
 * training data) probability of their most-voted class is below the {@code alpha} percentile.
 * Percentiles interpolate linearly, as numpy's. Defaults: distance filter, k_filter 10, alpha 0 (which
 * keeps every point), k 2, point mode.
 *
 * <p>Neighbours are exact: ranked by one float32 matrix product per block of queries against every class
 * on the DJL engine over centred data, the candidates' distances recomputed in float64 (see
 * {@link Neighbours}), so scores equal alibi's (scikit-learn {@code KDTree}, float64) on features of any
 * scale; {@code TrustParityTests} asserts 1e-6 relative against the reference script's outputs. Points at exactly equal distances may be taken in another order, which
 * leaves every distance, and so every score, unchanged.
 */
public final class TrustScore {

    /** How training points are filtered before scoring. */
    public enum Filter {
        /** Keep every training point. */
        NONE,
        /**
         * Drop points far from their own class: distance to the {@code kFilter}-th nearest other point of the
         * class (alibi's {@code distance_knn} with its default {@code dist_filter_type='point'}).
         */
        DISTANCE_KNN,
        /** As {@link #DISTANCE_KNN}, with the mean distance to the {@code kFilter} nearest others ({@code 'mean'}). */
        DISTANCE_KNN_MEAN,
        /** Drop points a kNN classifier is unsure about (alibi's {@code probability_knn}). */
        PROBABILITY_KNN
    }

    /** Which distance summarises a class's k nearest points. */
    public enum Mode {
        /** The distance to the k-th nearest point (alibi's 'point'). */
        POINT,
        /** The mean distance to the k nearest points (alibi's 'mean'). */
        MEAN
    }

    private final float[][][] classPoints;
    private final int featureCount;
    private final PcaProjection projection;

    private TrustScore(float[][][] classPoints, int featureCount, PcaProjection projection) {
        this.classPoints = classPoints;
        this.featureCount = featureCount;
        this.projection = projection;
    }

    /**
     * Fits with alibi's defaults: distance filter, k_filter 10, alpha 0.
     *
     * @param train the training data
     * @return the fitted trust score
     */
    public static TrustScore fit(Dataset train) {
        return fit(train, Filter.DISTANCE_KNN, 10, 0);
    }

    /**
     * Fits on training data.
     *
     * @param train the training data; its labels define the classes
     * @param filter the density filter
     * @param kFilter neighbours the filter looks at, at least 1 (2 for the probability filter)
     * @param alpha the fraction of points to drop, in [0, 1)
     * @return the fitted trust score
     */
    public static TrustScore fit(Dataset train, Filter filter, int kFilter, double alpha) {
        return fit(train, filter, kFilter, alpha, 0);
    }

    /**
     * Fits on training data projected onto its leading principal components first, which makes
     * neighbour search in high dimensions cheaper (alibi offers the same through its encoder
     * hook; the scores then refer to distances in the projected space).
     *
     * @param train the training data; its labels define the classes
     * @param filter the density filter
     * @param kFilter neighbours the filter looks at, at least 1 (2 for the probability filter)
     * @param alpha the fraction of points to drop, in [0, 1)
     * @param components principal components to keep, or 0 for no projection
     * @return the fitted trust score
     */
    public static TrustScore fit(Dataset train, Filter filter, int kFilter, double alpha, int components) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(filter, "filter");
        if (kFilter < 1 || filter == Filter.PROBABILITY_KNN && kFilter < 2) {
            throw new IllegalArgumentException("kFilter must be >= 1 (>= 2 for the probability filter), got " + kFilter);
        }
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1), got " + alpha);
        }
        if (components < 0 || components > train.featureCount()) {
            throw new IllegalArgumentException("components must be in [0, " + train.featureCount() + "], got "
                    + components);
        }
        int classes = train.numClasses();
        PcaProjection projection = components == 0 ? null : PcaProjection.fit(rows(train), components, 0);
        float[][] features = projection == null ? rows(train) : projection.project(rows(train));
        int[] labels = train.labels();
        boolean[] keep = new boolean[labels.length];
        Arrays.fill(keep, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            if (filter == Filter.PROBABILITY_KNN && alpha > 0) {
                keep = probabilityFilter(manager, features, labels, classes, kFilter, alpha);
            }
            float[][][] perClass = new float[classes][][];
            for (int c = 0; c < classes; c++) {
                List<float[]> points = new ArrayList<>();
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] == c && keep[i]) {
                        points.add(features[i]);
                    }
                }
                float[][] members = points.toArray(new float[0][]);
                if ((filter == Filter.DISTANCE_KNN || filter == Filter.DISTANCE_KNN_MEAN) && alpha > 0
                        && members.length > kFilter) {
                    members = distanceFilter(manager, members, kFilter, alpha, filter == Filter.DISTANCE_KNN_MEAN);
                }
                perClass[c] = members;
            }
            return new TrustScore(perClass, train.featureCount(), projection);
        }
    }

    /**
     * Returns how many training points each class keeps after filtering.
     *
     * @return counts indexed by class
     */
    public int[] keptPerClass() {
        return Arrays.stream(classPoints).mapToInt(points -> points.length).toArray();
    }

    /**
     * Scores predictions with alibi's defaults: k 2, point mode.
     *
     * @param data the samples (their labels are ignored)
     * @param predicted the predicted class of each sample
     * @return the scores
     */
    public TrustScoreBatch score(Dataset data, int[] predicted) {
        return score(rows(data), predicted, 2, Mode.POINT);
    }

    /**
     * Scores predictions given as one row of class scores per sample (one-hot labels or
     * probabilities, as alibi accepts): the predicted class is each row's arg-max.
     *
     * @param data the samples (their labels are ignored)
     * @param predictions one row per sample
     * @return the scores, identical to scoring the arg-max classes
     */
    public TrustScoreBatch score(Dataset data, float[][] predictions) {
        int[] classes = new int[predictions.length];
        for (int i = 0; i < predictions.length; i++) {
            for (int k = 1; k < predictions[i].length; k++) {
                classes[i] = predictions[i][k] > predictions[i][classes[i]] ? k : classes[i];
            }
        }
        return score(data, classes);
    }

    /**
     * Scores predictions.
     *
     * @param features one row of {@code featureCount} values per sample
     * @param predicted the predicted class of each sample
     * @param k the neighbour whose distance counts, at least 1
     * @param mode the k-th neighbour's distance, or the mean of the k nearest
     * @return the scores
     */
    public TrustScoreBatch score(float[][] features, int[] predicted, int k, Mode mode) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (features.length != predicted.length) {
            throw new InvalidDataException(features.length + " samples but " + predicted.length + " predictions");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != featureCount) {
                throw new InvalidDataException("a sample has " + features[i].length + " features but the trust score"
                        + " was fitted on " + featureCount);
            }
            requireFinite(features[i], "sample " + i);
        }
        if (projection != null) {
            features = projection.project(features);
        }
        int classes = classPoints.length;
        double[][] distance = new double[features.length][classes];
        requireKept(k, "lower k or alpha");
        try (NDManager manager = NDManager.newBaseManager()) {
            Neighbours.Nearest[] perClass = Neighbours.kNearest(manager, features, classPoints, k);
            for (int c = 0; c < classes; c++) {
                double[][] nearest = perClass[c].distances();
                for (int i = 0; i < features.length; i++) {
                    distance[i][c] = mode == Mode.POINT ? nearest[i][k - 1]
                            : Arrays.stream(nearest[i]).average().orElseThrow();
                }
            }
        }
        double[] scores = new double[features.length];
        int[] closest = new int[features.length];
        for (int i = 0; i < features.length; i++) {
            int p = predicted[i];
            if (p < 0 || p >= classes) {
                throw new InvalidDataException("prediction " + p + " of sample " + i + " is outside [0, " + classes + ")");
            }
            int other = -1;
            for (int c = 0; c < classes; c++) {
                if (c != p && (other < 0 || distance[i][c] < distance[i][other])) {
                    other = c;
                }
            }
            closest[i] = other;
            scores[i] = distance[i][other] / (distance[i][p] + 1e-12);
        }
        return new TrustScoreBatch(scores, closest);
    }

    /**
     * Finds, for each query and each class, the {@code k}-th nearest training point the score
     * kept for that class: the class-wise neighbour search behind the score, exposed for
     * prototype-guided counterfactuals (which alibi builds on the same per-class search).
     *
     * @param queries the points, each with the fitted feature count
     * @param k which neighbour, from 1
     * @return {@code [query][class]} neighbours
     * @throws IllegalStateException if the score was fitted on principal components, whose points
     *     are not in the input space
     */
    public ClassNeighbour[][] nearestPerClass(float[][] queries, int k) {
        if (projection != null) {
            throw new IllegalStateException("this trust score was fitted on principal components; class neighbours"
                    + " must be points of the input space, so fit one without PCA");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        for (int i = 0; i < queries.length; i++) {
            if (queries[i].length != featureCount) {
                throw new InvalidDataException("a query has " + queries[i].length + " features but the trust score"
                        + " was fitted on " + featureCount);
            }
            requireFinite(queries[i], "query " + i);
        }
        int classes = classPoints.length;
        ClassNeighbour[][] result = new ClassNeighbour[queries.length][classes];
        requireKept(k, "lower k");
        try (NDManager manager = NDManager.newBaseManager()) {
            Neighbours.Nearest[] perClass = Neighbours.kNearest(manager, queries, classPoints, k);
            for (int c = 0; c < classes; c++) {
                float[][] members = classPoints[c];
                Neighbours.Nearest nearest = perClass[c];
                for (int i = 0; i < queries.length; i++) {
                    result[i][c] = new ClassNeighbour(c, members[nearest.indices()[i][k - 1]].clone(),
                            nearest.distances()[i][k - 1]);
                }
            }
        }
        return result;
    }

    /** A NaN or infinite feature has no nearest neighbour: refuse it instead of naming one. */
    private static void requireFinite(float[] row, String what) {
        for (int j = 0; j < row.length; j++) {
            if (!Float.isFinite(row[j])) {
                throw new InvalidDataException(what + " has a non-finite feature " + j + " (" + row[j]
                        + "); trust scores need finite features: clean or drop the sample");
            }
        }
    }

    /** Every class must keep at least k points for its k-th neighbour to exist. */
    private void requireKept(int k, String remedy) {
        for (int c = 0; c < classPoints.length; c++) {
            if (classPoints[c].length < k) {
                throw new InvalidDataException("class " + c + " keeps " + classPoints[c].length
                        + " training points, fewer than k=" + k + "; " + remedy + ", or add data of that class");
            }
        }
    }

    /** alibi's {@code filter_by_distance_knn}: the k_filter + 1 nearest include the point itself, at 0. */
    private static float[][] distanceFilter(NDManager manager, float[][] members, int kFilter, double alpha,
            boolean mean) {
        double[][] nearest = Neighbours.kNearest(manager, members, members, kFilter + 1).distances();
        double[] radius = Arrays.stream(nearest).mapToDouble(row -> mean
                ? Arrays.stream(row, 1, row.length).average().orElseThrow() : row[kFilter]).toArray();
        double cutoff = percentile(radius, (1 - alpha) * 100);
        List<float[]> kept = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            if (radius[i] <= cutoff) {
                kept.add(members[i]);
            }
        }
        return kept.toArray(new float[0][]);
    }

    private static boolean[] probabilityFilter(NDManager manager, float[][] features, int[] labels, int classes,
            int kFilter, double alpha) {
        // kNN classifier over all points (each point is its own nearest neighbour, as in scikit-learn's predict_proba
        // on training data), probability of the most-voted class
        double[] maxProbability = new double[features.length];
        int[][] neighbours = Neighbours.kNearest(manager, features, features, kFilter).indices();
        for (int i = 0; i < features.length; i++) {
            int[] votes = new int[classes];
            for (int j : neighbours[i]) {
                votes[labels[j]]++;
            }
            maxProbability[i] = (double) Arrays.stream(votes).max().orElseThrow() / kFilter;
        }
        double cutoff = percentile(maxProbability, alpha * 100);
        boolean[] keep = new boolean[features.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = maxProbability[i] >= cutoff;
        }
        return keep;
    }

    /** numpy's default percentile: linear interpolation between closest ranks. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static float[][] rows(Dataset data) {
        float[][] rows = new float[data.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.features(i);
        }
        return rows;
    }

    @Override
    public String toString() {
        return "TrustScore[" + featureCount + " features, kept per class " + Arrays.toString(keptPerClass()) + "]";
    }
}

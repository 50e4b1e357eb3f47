package dev.gauntlet.explain.concept;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

/**
 * Spectral relevance analysis after Lapuschkin et al. (2019), for Clever-Hans detection: the
 * heatmaps of one class's images are pooled to a coarse grid, normalised, and clustered (k-means,
 * k-means++ seeding, seeded; the paper clusters spectrally); a cluster is flagged when its mean
 * heatmap puts more than {@code borderShare} of its relevance in the image's border band, or more
 * than {@code regionShare} in one 2 × 2-cell window — a model that decides by a frame, a corner or
 * a watermark rather than by the object. (On a 14 × 14 grid a uniform heatmap puts 27% in a
 * 1-cell band and 2% in a window.)
 *
 * @param explainer the heatmap method (e.g. {@link Explainers#lrp()})
 * @param clusters k
 * @param grid the side of the pooled heatmap (e.g. 14 for 28 × 28 images)
 * @param border the width of the border band, in pooled cells
 * @param borderShare the share of relevance in the band above which a cluster is flagged
 * @param regionShare the share of relevance in one 2 × 2-cell window above which a cluster is flagged
 */
public record Spray(Explainer explainer, int clusters, int grid, int border, double borderShare, double regionShare) {

    /** Validates the settings. */
    public Spray {
        if (clusters < 1 || grid < 2 || border < 1 || 2 * border >= grid) {
            throw new IllegalArgumentException("need clusters >= 1, grid >= 2 and 1 <= border < grid / 2, got "
                    + clusters + ", " + grid + ", " + border);
        }
        if (!(borderShare > 0 && borderShare < 1) || !(regionShare > 0 && regionShare < 1)) {
            throw new IllegalArgumentException("borderShare and regionShare must be in (0, 1), got " + borderShare
                    + ", " + regionShare);
        }
    }

    /**
     * SpRAy with LRP heatmaps, 4 clusters on a 14 × 14 grid, a 1-cell border; flagged above half
     * of the relevance in the band or 30% in one window (15 times a uniform map's share).
     *
     * @return the analysis
     */
    public static Spray defaults() {
        return new Spray(Explainers.lrp(), 4, 14, 1, 0.5, 0.3);
    }

    /**
     * One cluster of heatmaps.
     *
     * @param size how many images it holds
     * @param borderShare the share of its mean |relevance| in the border band
     * @param regionShare the largest share of its mean |relevance| in one 2 × 2-cell window
     * @param meanHeatmap its mean normalised heatmap, {@code grid × grid}
     * @param flagged whether a share exceeds its bound
     */
    public record Cluster(int size, double borderShare, double regionShare, double[] meanHeatmap, boolean flagged) {}

    /**
     * The analysis of one class.
     *
     * @param targetClass the class
     * @param images how many of the data's images the model predicts as that class
     * @param clusters the clusters, largest first
     */
    public record Result(int targetClass, int images, List<Cluster> clusters) {

        /** @return true if some cluster concentrates its relevance in the border */
        public boolean flagged() {
            return clusters.stream().anyMatch(Cluster::flagged);
        }

        /**
         * Counts the flagged clusters: those whose relevance lies on the border or in one region.
         *
         * @return how many clusters are flagged
         */
        public long flaggedClusters() {
            return clusters.stream().filter(Cluster::flagged).count();
        }
    }

    /**
     * Analyses the images the model predicts as {@code targetClass}.
     *
     * @param classifier the model
     * @param images square single-channel images
     * @param targetClass the class whose strategies are examined
     * @param seed the seed of the clustering (and of the explainer)
     * @return the clusters
     */
    public Result analyse(Classifier classifier, Dataset images, int targetClass, long seed) {
        long[] shape = images.sampleShape().getShape();
        int side = (int) shape[shape.length - 1];
        if (shape[shape.length - 2] != side || side < grid) {
            throw new IllegalArgumentException("SpRAy needs square images at least " + grid + " pixels wide, got "
                    + Arrays.toString(shape));
        }
        int[] predicted = classifier.predict(images);
        int[] members = IntStream.range(0, predicted.length).filter(i -> predicted[i] == targetClass)
                .toArray();
        if (members.length < clusters) {
            throw new IllegalArgumentException("only " + members.length + " images are predicted as class "
                    + targetClass + "; SpRAy needs at least " + clusters + " (one per cluster)");
        }
        Dataset ofClass = images.subset(members);
        int[] classes = new int[members.length];
        Arrays.fill(classes, targetClass);
        ExplanationBatch heatmaps = explainer.explain(classifier, ofClass, classes, seed);
        double[][] pooled = new double[members.length][];
        for (int i = 0; i < members.length; i++) {
            pooled[i] = pool(heatmaps.attributions()[i], side);
        }
        int[] assignment = kMeans(pooled, clusters, seed);
        List<Cluster> result = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            double[] mean = new double[grid * grid];
            int size = 0;
            for (int i = 0; i < pooled.length; i++) {
                if (assignment[i] == c) {
                    size++;
                    for (int k = 0; k < mean.length; k++) {
                        mean[k] += pooled[i][k];
                    }
                }
            }
            if (size == 0) {
                continue;
            }
            double total = 0;
            double band = 0;
            for (int k = 0; k < mean.length; k++) {
                mean[k] /= size;
                total += mean[k];
                int row = k / grid;
                int col = k % grid;
                boolean inBand = row < border || col < border || row >= grid - border || col >= grid - border;
                band += inBand ? mean[k] : 0;
            }
            double share = total > 0 ? band / total : 0;
            double region = 0;
            for (int row = 0; row + 1 < grid; row++) {
                for (int col = 0; col + 1 < grid; col++) {
                    double window = mean[row * grid + col] + mean[row * grid + col + 1] + mean[(row + 1) * grid + col]
                            + mean[(row + 1) * grid + col + 1];
                    region = Math.max(region, total > 0 ? window / total : 0);
                }
            }
            result.add(new Cluster(size, share, region, mean, share > borderShare || region > regionShare));
        }
        result.sort((a, b) -> Integer.compare(b.size(), a.size()));
        return new Result(targetClass, members.length, result);
    }

    /** |heatmap| average-pooled to grid × grid and normalised to sum 1. */
    private double[] pool(float[] heatmap, int side) {
        double[] cells = new double[grid * grid];
        for (int p = 0; p < side * side; p++) {
            int row = (p / side) * grid / side;
            int col = (p % side) * grid / side;
            cells[row * grid + col] += Math.abs(heatmap[p]);
        }
        double sum = Arrays.stream(cells).sum();
        for (int k = 0; k < cells.length; k++) {
            cells[k] = sum > 0 ? cells[k] / sum : 0;
        }
        return cells;
    }

    /**
     * k-means with k-means++ seeding (commons-math's {@code KMeansPlusPlusClusterer}: Lloyd iterations, 50 at
     * most, an emptied cluster re-seeded from the largest-variance one), seeded.
     *
     * @return each point's cluster, 0 to k - 1
     */
    static int[] kMeans(double[][] points, int k, long seed) {
        KMeansPlusPlusClusterer<DoublePoint> clusterer = new KMeansPlusPlusClusterer<>(k, 50, new EuclideanDistance(),
                new Well19937c(seed));
        List<DoublePoint> wrapped = new ArrayList<>(points.length);
        Map<DoublePoint, Integer> index = new IdentityHashMap<>();
        for (double[] point : points) {
            DoublePoint p = new DoublePoint(point);
            index.put(p, wrapped.size());
            wrapped.add(p);
        }
        int[] assignment = new int[points.length];
        List<CentroidCluster<DoublePoint>> clusters = clusterer.cluster(wrapped);
        for (int c = 0; c < clusters.size(); c++) {
            for (DoublePoint p : clusters.get(c).getPoints()) {
                assignment[index.get(p)] = c;
            }
        }
        return assignment;
    }
}

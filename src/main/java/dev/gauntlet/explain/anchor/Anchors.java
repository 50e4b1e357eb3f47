package dev.gauntlet.explain.anchor;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Anchors (Ribeiro et al. 2018) for tabular data, as alibi's {@code AnchorTabular} (images:
 * {@link AnchorImage}, which shares the search): a rule of
 * feature predicates on the quartile bins of the training data such that, whenever the rule holds,
 * the model predicts the instance's class with probability at least {@code threshold}
 * (precision); among such rules, the one that holds for most data (coverage) is returned.
 *
 * <p>Beam search over rules, one predicate more per round; the best {@code beamSize} candidates of
 * a round are chosen by KL-LUCB (Kaufmann &amp; Kalyanakrishnan 2013) with alibi's confidence
 * schedule, and a chosen rule is accepted once its KL lower confidence bound on precision clears
 * {@code threshold − 0.05}. Perturbations draw training rows and, for the rule's features, replace
 * the value with one of a training row in the instance's bin. Defaults are alibi's: threshold 0.95,
 * δ 0.1, τ 0.15, batches of 100, 100 samples to start, beam 1, stop at the first anchor, 10,000
 * coverage samples. Seeded.
 */
public final class Anchors {

    private final float[][] train;
    private final double[][] edges;
    private final double threshold;
    private final int beamSize;
    private final String[] featureNames;

    private static final int COVERAGE_SAMPLES = 10_000;

    private Anchors(float[][] train, double[][] edges, double threshold, int beamSize, String[] featureNames) {
        this.train = train;
        this.edges = edges;
        this.threshold = threshold;
        this.beamSize = beamSize;
        this.featureNames = featureNames;
    }

    /**
     * Fits the quartile bins on training data.
     *
     * @param train the training data
     * @return the explainer with alibi's defaults
     */
    public static Anchors fit(Dataset train) {
        int d = train.featureCount();
        float[][] rows = new float[train.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = train.features(i);
        }
        double[][] edges = new double[d][];
        for (int j = 0; j < d; j++) {
            double[] column = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][j];
            }
            Arrays.sort(column);
            edges[j] = Arrays.stream(new double[] {25, 50, 75}).map(q -> percentile(column, q)).distinct().toArray();
        }
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = "feature " + j;
        }
        return new Anchors(rows, edges, 0.95, 1, names);
    }

    /**
     * Sets the precision an anchor must reach.
     *
     * @param precision in (0, 1]
     * @return a copy
     */
    public Anchors threshold(double precision) {
        if (!(precision > 0 && precision <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + precision);
        }
        return new Anchors(train, edges, precision, beamSize, featureNames);
    }

    /**
     * Names the features in the rules.
     *
     * @param names one per feature
     * @return a copy
     */
    public Anchors featureNames(String... names) {
        if (names.length != edges.length) {
            throw new IllegalArgumentException(names.length + " names for " + edges.length + " features");
        }
        return new Anchors(train, edges, threshold, beamSize, names.clone());
    }

    /**
     * One predicate: {@code lower < x_feature <= upper} (infinite ends are open).
     *
     * @param feature the feature index
     * @param lower the lower edge
     * @param upper the upper edge
     * @param text the predicate as text, e.g. {@code feature 2 > 0.75}
     */
    public record Predicate(int feature, double lower, double upper, String text) {

        boolean holds(float[] row) {
            return row[feature] > lower && row[feature] <= upper;
        }
    }

    /**
     * An anchor.
     *
     * @param predicates the rule's predicates
     * @param precision the estimated precision
     * @param coverage the fraction of training data the rule holds for
     * @param predictedClass the instance's class
     * @param samples the perturbations drawn for this rule
     */
    public record Anchor(List<Predicate> predicates, double precision, double coverage, int predictedClass,
            int samples) {

        /** @return the rule, e.g. {@code feature 2 > 0.75 AND feature 0 <= 0.25} */
        public String rule() {
            return predicates.isEmpty() ? "(any)" : predicates.stream().map(Predicate::text)
                    .collect(Collectors.joining(" AND "));
        }
    }

    /**
     * Finds the anchor of one instance.
     *
     * @param classifier the model
     * @param instance the sample; not modified
     * @param seed the seed of the perturbations
     * @return the anchor
     */
    public Anchor explain(Classifier classifier, float[] instance, long seed) {
        if (instance.length != edges.length) {
            throw new IllegalArgumentException("the instance has " + instance.length + " features, the training data "
                    + edges.length);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int target = classifier.predict(rows(new float[][] {instance}, classifier.numClasses()))[0];
        List<Predicate> predicates = new ArrayList<>();
        for (int j = 0; j < edges.length; j++) {
            predicates.add(predicate(j, instance[j]));
        }
        float[][] coverageRows = new float[COVERAGE_SAMPLES][];
        for (int i = 0; i < coverageRows.length; i++) {
            coverageRows[i] = train[random.nextInt(train.length)];
        }
        AnchorSearch.Found found = AnchorSearch.search(edges.length, beamSize, threshold,
                (anchor, count, stats) -> sample(classifier, anchor, predicates, instance, target, count, stats, random),
                anchor -> coverage(anchor, predicates, coverageRows));
        List<Predicate> rule = found.features().stream().map(predicates::get).toList();
        return new Anchor(rule, (double) found.positives() / found.samples(), found.coverage(), target,
                found.samples());
    }

    /** Draws {@code count} perturbations satisfying the anchor and counts those of the target class. */
    private void sample(Classifier classifier, List<Integer> anchor, List<Predicate> predicates, float[] instance,
            int target, int count, int[] stats, SplittableRandom random) {
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] row = train[random.nextInt(train.length)].clone();
            for (int feature : anchor) {
                Predicate p = predicates.get(feature);
                for (int attempt = 0; attempt < 50 && !p.holds(row); attempt++) {
                    row[feature] = train[random.nextInt(train.length)][feature];
                }
                if (!p.holds(row)) {
                    row[feature] = instance[feature]; // no training value in the bin was drawn: keep the instance's
                }
            }
            rows[i] = row;
        }
        int[] predicted = classifier.predict(rows(rows, classifier.numClasses()));
        stats[0] += count;
        for (int p : predicted) {
            stats[1] += p == target ? 1 : 0;
        }
    }

    private static Dataset rows(float[][] rows, int classes) {
        int[] labels = new int[rows.length];
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(classes)
                .optBounds(ValueBounds.unbounded()).optName("anchor samples").build();
    }

    private static double coverage(List<Integer> anchor, List<Predicate> predicates, float[][] rows) {
        int covered = 0;
        for (float[] row : rows) {
            boolean holds = true;
            for (int feature : anchor) {
                holds &= predicates.get(feature).holds(row);
            }
            covered += holds ? 1 : 0;
        }
        return (double) covered / rows.length;
    }

    private Predicate predicate(int feature, float value) {
        double[] e = edges[feature];
        double lower = Double.NEGATIVE_INFINITY;
        double upper = Double.POSITIVE_INFINITY;
        for (double edge : e) {
            if (value <= edge) {
                upper = edge;
                break;
            }
            lower = edge;
        }
        String name = featureNames[feature];
        String text = Double.isInfinite(lower) ? String.format(Locale.ROOT, "%s <= %.4g", name, upper)
                : Double.isInfinite(upper) ? String.format(Locale.ROOT, "%s > %.4g", name, lower)
                : String.format(Locale.ROOT, "%.4g < %s <= %.4g", lower, name, upper);
        return new Predicate(feature, lower, upper, text);
    }

    static double upperBound(double p, double level) {
        return AnchorSearch.upperBound(p, level);
    }

    static double lowerBound(double p, double level) {
        return AnchorSearch.lowerBound(p, level);
    }

    private static double percentile(double[] sorted, double q) {
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

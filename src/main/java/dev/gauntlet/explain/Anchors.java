package dev.gauntlet.explain;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Anchors (Ribeiro et al. 2018) for tabular data, as alibi's {@code AnchorTabular}: a rule of
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

    private static final double DELTA = 0.1;
    private static final double TAU = 0.15;
    private static final int BATCH = 100;
    private static final int START = 100;
    private static final int COVERAGE_SAMPLES = 10_000;
    private static final double EPSILON_STOP = 0.05;
    private static final int MAX_SAMPLES_PER_ANCHOR = 5_000;

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
        Map<List<Integer>, int[]> stats = new LinkedHashMap<>(); // anchor -> {samples, positives}
        List<List<Integer>> beam = List.of(List.of());
        List<Integer> best = null;
        double bestCoverage = -1;
        for (int size = 1; size <= edges.length; size++) {
            List<List<Integer>> candidates = new ArrayList<>();
            for (List<Integer> anchor : beam) {
                for (int j = 0; j < edges.length; j++) {
                    if (!anchor.contains(j)) {
                        List<Integer> extended = new ArrayList<>(anchor);
                        extended.add(j);
                        extended.sort(Integer::compare);
                        if (!candidates.contains(extended)
                                && coverage(extended, predicates, coverageRows) > bestCoverage) {
                            candidates.add(extended);
                        }
                    }
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            for (List<Integer> candidate : candidates) {
                stats.computeIfAbsent(candidate, c -> new int[2]);
                if (stats.get(candidate)[0] < START) {
                    sample(classifier, candidate, predicates, instance, target, START, stats.get(candidate), random);
                }
            }
            List<List<Integer>> chosen = klLucb(classifier, candidates, predicates, instance, target, stats, random,
                    Math.min(beamSize, candidates.size()));
            boolean stop = false;
            for (List<Integer> anchor : chosen) {
                int[] s = stats.get(anchor);
                double level = Math.log(1 / (DELTA / (1 + (beamSize - 1) * edges.length)));
                while (s[0] < MAX_SAMPLES_PER_ANCHOR) {
                    double mean = (double) s[1] / s[0];
                    double lb = lowerBound(mean, level / s[0]);
                    double ub = upperBound(mean, level / s[0]);
                    boolean undecided = mean >= threshold && lb < threshold - EPSILON_STOP
                            || mean < threshold && ub >= threshold + EPSILON_STOP;
                    if (!undecided) {
                        break;
                    }
                    sample(classifier, anchor, predicates, instance, target, BATCH, s, random);
                }
                double mean = (double) s[1] / s[0];
                double lb = lowerBound(mean, level / s[0]);
                if (mean >= threshold && lb > threshold - EPSILON_STOP) {
                    double coverage = coverage(anchor, predicates, coverageRows);
                    if (coverage > bestCoverage) {
                        bestCoverage = coverage;
                        best = anchor;
                    }
                    stop = true; // alibi's stop_on_first
                }
            }
            if (stop) {
                break;
            }
            beam = chosen;
        }
        if (best == null) { // no rule reached the threshold: the most precise rule of the last round
            best = stats.entrySet().stream().max(Comparator.comparingDouble(
                    (Map.Entry<List<Integer>, int[]> e) -> (double) e.getValue()[1] / e.getValue()[0])
                    .thenComparingInt(e -> -e.getKey().size())).orElseThrow().getKey();
            bestCoverage = coverage(best, predicates, coverageRows);
        }
        int[] s = stats.get(best);
        List<Predicate> rule = best.stream().map(predicates::get).toList();
        return new Anchor(rule, (double) s[1] / s[0], bestCoverage, target, s[0]);
    }

    private List<List<Integer>> klLucb(Classifier classifier, List<List<Integer>> anchors, List<Predicate> predicates,
            float[] instance, int target, Map<List<Integer>, int[]> stats, SplittableRandom random, int topN) {
        int n = anchors.size();
        double[] ub = new double[n];
        double[] lb = new double[n];
        for (int t = 1; t < 10_000; t++) {
            double[] means = new double[n];
            for (int i = 0; i < n; i++) {
                int[] s = stats.get(anchors.get(i));
                means[i] = (double) s[1] / s[0];
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> means[i]));
            double beta = Math.log(405.5 * n * Math.pow(t, 1.1) / DELTA);
            beta += Math.log(beta);
            int ut = -1;
            int lt = -1;
            for (int k = 0; k < n; k++) {
                int i = order[k];
                int samples = stats.get(anchors.get(i))[0];
                if (k < n - topN) {
                    ub[i] = upperBound(means[i], beta / samples);
                    ut = ut < 0 || ub[i] > ub[ut] ? i : ut;
                } else {
                    lb[i] = lowerBound(means[i], beta / samples);
                    lt = lt < 0 || lb[i] < lb[lt] ? i : lt;
                }
            }
            if (ut < 0 || ub[ut] - lb[lt] <= TAU) {
                List<List<Integer>> top = new ArrayList<>();
                for (int k = n - topN; k < n; k++) {
                    top.add(anchors.get(order[k]));
                }
                return top;
            }
            boolean capped = true;
            for (int i : new int[] {ut, lt}) {
                int[] s = stats.get(anchors.get(i));
                if (s[0] < MAX_SAMPLES_PER_ANCHOR) {
                    sample(classifier, anchors.get(i), predicates, instance, target, BATCH, s, random);
                    capped = false;
                }
            }
            if (capped) {
                t = 10_000; // both arms at their budget: take the current order
            }
        }
        List<List<Integer>> top = new ArrayList<>();
        anchors.stream().sorted(Comparator.comparingDouble((List<Integer> a) -> -(double) stats.get(a)[1]
                / stats.get(a)[0])).limit(topN).forEach(top::add);
        return top;
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
                .optBounds(dev.gauntlet.data.ValueBounds.unbounded()).optName("anchor samples").build();
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

    /** The largest q with KL(p ‖ q) ≤ level (bisection, as alibi's dup_bernoulli). */
    static double upperBound(double p, double level) {
        double lm = p;
        double um = Math.min(Math.min(1, p + Math.sqrt(level / 2)), 1);
        for (int i = 0; i < 17; i++) {
            double qm = (um + lm) / 2;
            if (kl(p, qm) > level) {
                um = qm;
            } else {
                lm = qm;
            }
        }
        return um;
    }

    /** The smallest q with KL(p ‖ q) ≤ level (as alibi's dlow_bernoulli). */
    static double lowerBound(double p, double level) {
        double um = p;
        double lm = Math.max(Math.min(1, p - Math.sqrt(level / 2)), 0);
        for (int i = 0; i < 17; i++) {
            double qm = (um + lm) / 2;
            if (kl(p, qm) > level) {
                lm = qm;
            } else {
                um = qm;
            }
        }
        return lm;
    }

    private static double kl(double p, double q) {
        p = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
        q = Math.min(Math.max(q, 1e-7), 1 - 1e-7);
        return p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
    }

    private static double percentile(double[] sorted, double q) {
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

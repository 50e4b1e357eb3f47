package dev.gauntlet.explain.anchor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search shared by tabular and image anchors (alibi's {@code AnchorBaseBeam}): beam search over
 * sets of features, one more per round, the best {@code beamSize} candidates chosen by KL-LUCB
 * (Kaufmann &amp; Kalyanakrishnan 2013) with alibi's confidence schedule, and a chosen set accepted
 * once its KL lower confidence bound on precision clears {@code threshold − 0.05}. What a feature
 * is, how perturbations satisfying a set are drawn and what coverage means is the caller's.
 */
final class AnchorSearch {

    static final double DELTA = 0.1;
    static final double TAU = 0.15;
    static final int BATCH = 100;
    static final int START = 100;
    static final double EPSILON_STOP = 0.05;
    static final int MAX_SAMPLES_PER_ANCHOR = 5_000;

    /** Draws perturbations that keep a set of features and counts those predicted as the instance's class. */
    interface Sampler {

        /**
         * Adds {@code count} samples to {@code stats}.
         *
         * @param anchor the features kept, ascending
         * @param count the samples to draw
         * @param stats {@code {samples, positives}}, updated
         */
        void sample(List<Integer> anchor, int count, int[] stats);
    }

    /** The fraction of data (or of perturbations) a set of features holds for. */
    interface Coverage {

        double of(List<Integer> anchor);
    }

    /**
     * The search's result.
     *
     * @param features the anchor's features, ascending
     * @param samples the perturbations drawn for it
     * @param positives those predicted as the instance's class
     * @param coverage its coverage
     */
    record Found(List<Integer> features, int samples, int positives, double coverage) {}

    private AnchorSearch() {}

    static Found search(int features, int beamSize, double threshold, Sampler sampler, Coverage coverage) {
        Map<List<Integer>, int[]> stats = new LinkedHashMap<>(); // anchor -> {samples, positives}
        List<List<Integer>> beam = List.of(List.of());
        List<Integer> best = null;
        double bestCoverage = -1;
        for (int size = 1; size <= features; size++) {
            List<List<Integer>> candidates = new ArrayList<>();
            for (List<Integer> anchor : beam) {
                for (int j = 0; j < features; j++) {
                    if (!anchor.contains(j)) {
                        List<Integer> extended = new ArrayList<>(anchor);
                        extended.add(j);
                        extended.sort(Integer::compare);
                        if (!candidates.contains(extended) && coverage.of(extended) > bestCoverage) {
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
                    sampler.sample(candidate, START, stats.get(candidate));
                }
            }
            List<List<Integer>> chosen = klLucb(candidates, stats, sampler, Math.min(beamSize, candidates.size()));
            boolean stop = false;
            for (List<Integer> anchor : chosen) {
                int[] s = stats.get(anchor);
                double level = Math.log(1 / (DELTA / (1 + (beamSize - 1) * features)));
                while (s[0] < MAX_SAMPLES_PER_ANCHOR) {
                    double mean = (double) s[1] / s[0];
                    double lb = lowerBound(mean, level / s[0]);
                    double ub = upperBound(mean, level / s[0]);
                    boolean undecided = mean >= threshold && lb < threshold - EPSILON_STOP
                            || mean < threshold && ub >= threshold + EPSILON_STOP;
                    if (!undecided) {
                        break;
                    }
                    sampler.sample(anchor, BATCH, s);
                }
                double mean = (double) s[1] / s[0];
                double lb = lowerBound(mean, level / s[0]);
                if (mean >= threshold && lb > threshold - EPSILON_STOP) {
                    double c = coverage.of(anchor);
                    if (c > bestCoverage) {
                        bestCoverage = c;
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
        if (best == null) { // no set reached the threshold: the most precise set of the last round
            best = stats.entrySet().stream().max(Comparator.comparingDouble(
                    (Map.Entry<List<Integer>, int[]> e) -> (double) e.getValue()[1] / e.getValue()[0])
                    .thenComparingInt(e -> -e.getKey().size())).orElseThrow().getKey();
            bestCoverage = coverage.of(best);
        }
        int[] s = stats.get(best);
        return new Found(List.copyOf(best), s[0], s[1], bestCoverage);
    }

    private static List<List<Integer>> klLucb(List<List<Integer>> anchors, Map<List<Integer>, int[]> stats,
            Sampler sampler, int topN) {
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
                    sampler.sample(anchors.get(i), BATCH, s);
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
}

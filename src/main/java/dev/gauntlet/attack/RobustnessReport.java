package dev.gauntlet.attack;

import dev.gauntlet.report.Fields;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an attack did to a classifier on a dataset.
 *
 * <p>A sample counts as robust when it is classified correctly both clean and attacked, as in
 * AutoAttack; the success rate is the fraction of the clean-correct samples the attack fooled.
 *
 * <p>A report keeps what happened to each sample ({@link #outcomes()}, keyed by the sample's index
 * in the dataset) and computes every number from those, in index order. Reports of disjoint,
 * adjacent shards of a dataset, attacked with the same attack and run seed, {@link #merge merge}
 * into the report of the whole dataset, bit for bit: see {@link RobustnessEvaluator#evaluate(
 * dev.gauntlet.model.Classifier, dev.gauntlet.data.Dataset, int, int, Attack, long)}.
 *
 * @param attack the attack's name with its parameters
 * @param norm the norm of the budget
 * @param epsilon the budget
 * @param samples the number of samples attacked
 * @param cleanAccuracy accuracy on the clean samples
 * @param robustAccuracy the fraction correct both clean and attacked
 * @param attackSuccessRate fooled / clean-correct (0 when nothing was correct)
 * @param medianL2 the median L2 norm of the perturbations of fooled samples (NaN if none)
 * @param medianMinimalPerturbation the median, over clean-correct samples, of the perturbation's
 *     size in the attack's norm where the attack fooled the sample and +∞ where it did not: with a
 *     minimal-perturbation attack (DeepFool, C&amp;W) an estimate of the median minimal ε
 * @param meanL2 the mean L2 norm of all perturbations
 * @param maxLinf the largest L∞ norm of any perturbation
 * @param maxBudgetExcess the largest amount by which a perturbation exceeded ε in its norm (≤ 0 when none did)
 * @param maxBoundsExcess the largest amount by which an attacked feature left the bounds (0 when none did)
 * @param inputsUnchanged whether the attack left its input arrays as they were
 * @param examples up to six attacked samples for the adversarial grid, those the attack fooled first
 *     (each group in index order)
 * @param seed the run seed the attack drew its random choices from
 * @param outcomes what happened to each sample, in ascending, consecutive index order
 */
public record RobustnessReport(String attack, Norm norm, double epsilon, int samples, double cleanAccuracy,
        double robustAccuracy, double attackSuccessRate, double medianL2, double medianMinimalPerturbation, double meanL2, double maxLinf,
        double maxBudgetExcess, double maxBoundsExcess, boolean inputsUnchanged, List<AdversarialExample> examples,
        long seed, List<SampleOutcome> outcomes) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How many attacked samples a report keeps for its picture. */
    static final int EXAMPLES = 6;

    /** Copies the lists and checks that the outcomes are consecutive samples. */
    public RobustnessReport {
        examples = List.copyOf(examples);
        outcomes = List.copyOf(outcomes);
        for (int i = 1; i < outcomes.size(); i++) {
            if (outcomes.get(i).index() != outcomes.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("outcomes must be of consecutive samples, but index "
                        + outcomes.get(i).index() + " follows " + outcomes.get(i - 1).index());
            }
        }
    }

    /**
     * Computes a report from per-sample outcomes, every sum and count in index order, so that the
     * same outcomes give the same doubles however they were produced.
     */
    static RobustnessReport of(Attack attack, long seed, List<SampleOutcome> outcomes, boolean inputsUnchanged,
            List<AdversarialExample> examples) {
        return of(attack.name(), attack.norm(), attack.epsilon(), seed, outcomes, inputsUnchanged, examples);
    }

    private static RobustnessReport of(String attack, Norm norm, double epsilon, long seed, List<SampleOutcome> outcomes,
            boolean inputsUnchanged, List<AdversarialExample> examples) {
        int n = outcomes.size();
        int cleanCorrect = 0;
        int robust = 0;
        int fooled = 0;
        double sumL2 = 0;
        double maxLinf = 0;
        double maxBudgetExcess = Double.NEGATIVE_INFINITY;
        double maxBoundsExcess = 0;
        List<Double> fooledL2 = new ArrayList<>();
        List<Double> minimal = new ArrayList<>();
        for (SampleOutcome outcome : outcomes) {
            double size = outcome.size(norm);
            maxBudgetExcess = Math.max(maxBudgetExcess, size - epsilon);
            maxLinf = Math.max(maxLinf, outcome.linf());
            maxBoundsExcess = Math.max(maxBoundsExcess, outcome.boundsExcess());
            sumL2 += outcome.l2();
            if (outcome.robust()) {
                cleanCorrect++;
                robust++;
                minimal.add(Double.POSITIVE_INFINITY);
            } else if (outcome.fooled()) {
                cleanCorrect++;
                fooled++;
                fooledL2.add((double) outcome.l2());
                minimal.add(size);
            }
        }
        return new RobustnessReport(attack, norm, epsilon, n, (double) cleanCorrect / n, (double) robust / n,
                cleanCorrect == 0 ? 0 : (double) fooled / cleanCorrect, median(fooledL2), median(minimal), sumL2 / n,
                maxLinf, maxBudgetExcess, maxBoundsExcess, inputsUnchanged, examples, seed, outcomes);
    }

    /**
     * Merges the reports of shards of one evaluation into the report of their union, exactly as
     * one evaluation of the union would give it: the shards must be of one attack (name, norm and
     * budget) and one run seed, and cover consecutive samples without overlap or gap; they may
     * come in any order.
     *
     * <pre>{@code
     * RobustnessReport whole = RobustnessReport.merge(List.of(
     *         RobustnessEvaluator.evaluate(model, data, 0, 512, pgd, 7),
     *         RobustnessEvaluator.evaluate(model, data, 512, data.size(), pgd, 7)));
     * }</pre>
     *
     * @param shards the shard reports, at least one
     * @return the merged report
     * @throws IllegalArgumentException if the shards differ in attack or seed, overlap, or leave a gap
     */
    public static RobustnessReport merge(List<RobustnessReport> shards) {
        Objects.requireNonNull(shards, "shards");
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one shard report");
        }
        RobustnessReport first = shards.get(0);
        for (RobustnessReport shard : shards) {
            if (!shard.attack.equals(first.attack) || shard.norm != first.norm
                    || Double.compare(shard.epsilon, first.epsilon) != 0 || shard.seed != first.seed) {
                throw new IllegalArgumentException("cannot merge reports of different runs: " + shard.describe()
                        + " differs from " + first.describe() + "; every shard must use the same attack and run seed");
            }
            if (shard.outcomes.isEmpty()) {
                throw new IllegalArgumentException("cannot merge a report without per-sample outcomes: "
                        + shard.describe());
            }
        }
        List<RobustnessReport> ordered = new ArrayList<>(shards);
        ordered.sort(Comparator.comparingInt(RobustnessReport::firstIndex));
        List<SampleOutcome> outcomes = new ArrayList<>();
        List<AdversarialExample> fooled = new ArrayList<>();
        List<AdversarialExample> others = new ArrayList<>();
        boolean unchanged = true;
        RobustnessReport previous = null;
        for (RobustnessReport shard : ordered) {
            if (previous != null && shard.firstIndex() != previous.lastIndex() + 1) {
                throw new IllegalArgumentException(shard.firstIndex() <= previous.lastIndex()
                        ? "shards overlap: samples " + previous.range() + " and " + shard.range()
                        : "shards leave a gap: samples " + (previous.lastIndex() + 1) + ".." + (shard.firstIndex() - 1)
                                + " are missing between " + previous.range() + " and " + shard.range());
            }
            outcomes.addAll(shard.outcomes);
            unchanged &= shard.inputsUnchanged;
            for (AdversarialExample example : shard.examples) {
                boolean wasFooled = example.cleanPrediction() == example.label()
                        && example.adversarialPrediction() != example.label();
                (wasFooled ? fooled : others).add(example);
            }
            previous = shard;
        }
        List<AdversarialExample> examples = new ArrayList<>(fooled.subList(0, Math.min(fooled.size(), EXAMPLES)));
        examples.addAll(others.subList(0, Math.min(others.size(), EXAMPLES - examples.size())));
        return of(first.attack, first.norm, first.epsilon, first.seed, outcomes, unchanged, examples);
    }

    private int firstIndex() {
        return outcomes.get(0).index();
    }

    private int lastIndex() {
        return outcomes.get(outcomes.size() - 1).index();
    }

    private String range() {
        return firstIndex() + ".." + lastIndex();
    }

    private String describe() {
        return attack + " seed " + seed + (outcomes.isEmpty() ? "" : " on samples " + range());
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return every number of the report
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "attack", attack,
                "norm", norm.label(),
                "epsilon", epsilon,
                "samples", samples,
                "cleanAccuracy", cleanAccuracy,
                "robustAccuracy", robustAccuracy,
                "attackSuccessRate", attackSuccessRate,
                "medianL2OfSuccessfulPerturbations", medianL2,
                "medianMinimalPerturbation", medianMinimalPerturbation,
                "meanL2", meanL2,
                "maxLinf", maxLinf,
                "maxBudgetExcess", maxBudgetExcess,
                "maxBoundsExcess", maxBoundsExcess,
                "inputsUnchanged", inputsUnchanged);
    }
}

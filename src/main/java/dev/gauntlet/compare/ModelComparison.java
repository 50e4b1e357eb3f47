package dev.gauntlet.compare;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.slice.Outcomes;
import dev.gauntlet.slice.SliceMetrics;
import dev.gauntlet.stats.McNemarTest;
import dev.gauntlet.stats.PairedDifference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Measures a candidate model against a baseline on the same samples: paired accuracy, paired robust
 * accuracy under an attack, per-class recall, the calibration difference, and where they disagree.
 * Immutable; every method returns a new immutable report.
 *
 * <pre>{@code
 * ComparisonReport r = ModelComparison.of(candidate, baseline, test).accuracy();
 * r.overall().test().midPOneSided();       // McNemar one-sided mid-p, regressions vs improvements
 * r.overall().difference().lower();        // Newcombe's bound of candidate - baseline
 * RegressionRule.SIGNIFICANT_REGRESSION.regressed(r.overall(), 0.01, 0.05, false);
 * }</pre>
 *
 * <p>Paired, because both models see the same samples: the samples both get right or both get wrong
 * say nothing about which is better, and a test on the discordant pairs (McNemar) has far more power
 * than comparing two accuracies as if they came from different samples. Per class, the comparison is of
 * recall (the accuracy on the samples of that class), with Holm's step-down adjustment of the p-values
 * over the classes (Holm 1979), so judging ten classes at α = 0.05 keeps a 5% chance of any false alarm.
 */
public final class ModelComparison {

    /** How many flips of each kind a report keeps for its example grid. */
    public static final int EXAMPLES = 12;
    /** The default two-sided level of the intervals: 0.90, so a bound is a one-sided 95% bound. */
    public static final double DEFAULT_CONFIDENCE = 0.90;

    private final Classifier candidate;
    private final Classifier baseline;
    private final Dataset data;
    private final long seed;
    private final double confidence;
    private final CleanOutcomes clean;

    private ModelComparison(Classifier candidate, Classifier baseline, Dataset data, long seed, double confidence,
            CleanOutcomes clean) {
        this.candidate = Objects.requireNonNull(candidate, "candidate");
        this.baseline = Objects.requireNonNull(baseline, "baseline must not be null: pass the model in production");
        this.data = Objects.requireNonNull(data, "data");
        if (candidate.numClasses() != baseline.numClasses()) {
            throw new IllegalArgumentException("the candidate has " + candidate.numClasses()
                    + " classes but the baseline " + baseline.numClasses() + "; compare models of the same task");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        this.seed = seed;
        this.confidence = confidence;
        this.clean = clean;
    }

    /**
     * Both models' clean predictions on the data, made once per comparison and shared by its copies
     * ({@link #withSeed}, {@link #withConfidence}: neither changes a clean prediction), so that the
     * accuracy and calibration checks of one comparison predict each sample once per model.
     */
    private static final class CleanOutcomes {
        private Outcomes baseline;
        private Outcomes candidate;

        synchronized Outcomes baseline(ModelComparison c) {
            if (baseline == null) {
                baseline = Outcomes.clean(c.baseline, c.data);
            }
            return baseline;
        }

        synchronized Outcomes candidate(ModelComparison c) {
            if (candidate == null) {
                candidate = Outcomes.clean(c.candidate, c.data);
            }
            return candidate;
        }
    }

    /**
     * Compares {@code candidate} with {@code baseline} on {@code data}, seed 0, intervals at
     * {@value #DEFAULT_CONFIDENCE}.
     *
     * @param candidate the new model
     * @param baseline the model it would replace
     * @param data labelled samples both take
     * @return the comparison
     */
    public static ModelComparison of(Classifier candidate, Classifier baseline, Dataset data) {
        return new ModelComparison(candidate, baseline, data, 0, DEFAULT_CONFIDENCE, new CleanOutcomes());
    }

    /**
     * Returns a copy with another seed (attacks' random starts, bootstrap resampling).
     *
     * @param newSeed the seed
     * @return the comparison
     */
    public ModelComparison withSeed(long newSeed) {
        return new ModelComparison(candidate, baseline, data, newSeed, confidence, clean);
    }

    /**
     * Returns a copy whose intervals have another two-sided level.
     *
     * @param level in (0, 1), e.g. 0.90 for one-sided 95% bounds
     * @return the comparison
     */
    public ModelComparison withConfidence(double level) {
        return new ModelComparison(candidate, baseline, data, seed, level, clean);
    }

    /**
     * Returns the candidate.
     *
     * @return the new model
     */
    public Classifier candidate() {
        return candidate;
    }

    /**
     * Returns the baseline.
     *
     * @return the model the candidate would replace
     */
    public Classifier baseline() {
        return baseline;
    }

    /**
     * Returns the data both models are judged on.
     *
     * @return the dataset
     */
    public Dataset data() {
        return data;
    }

    /**
     * Returns the seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the intervals' two-sided level.
     *
     * @return the confidence level
     */
    public double confidence() {
        return confidence;
    }

    /**
     * Compares clean accuracy, overall and per class. Each model predicts the data once per comparison
     * (and its copies); models are taken to be deterministic in inference, as the sanity checks demand.
     *
     * @return the report
     */
    public ComparisonReport accuracy() {
        return compare(clean.baseline(this), clean.candidate(this), data.name(), confidence);
    }

    /**
     * Compares robust accuracy (correct clean and attacked) under {@code attack}, both models attacked
     * with the same seed.
     *
     * @param attack the attack
     * @return the report
     */
    public ComparisonReport robustAccuracy(Attack attack) {
        Objects.requireNonNull(attack, "attack must not be null: pass e.g. Attacks.pgd().linf(0.03)");
        return compare(Outcomes.underAttack(baseline, data, attack, seed),
                Outcomes.underAttack(candidate, data, attack, seed), data.name(), confidence);
    }

    /**
     * Compares the expected calibration error with a paired percentile bootstrap.
     *
     * @param bins the ECE's confidence bins (15 in Guo et al. 2017)
     * @param resamples the bootstrap resamples, at least 100
     * @return the comparison
     */
    public CalibrationComparison calibration(int bins, int resamples) {
        if (resamples < 100) {
            throw new IllegalArgumentException("use at least 100 bootstrap resamples, got " + resamples);
        }
        Outcomes base = clean.baseline(this);
        Outcomes cand = clean.candidate(this);
        int n = data.size();
        int[] all = IntStream.range(0, n).toArray();
        double baseEce = base.expectedCalibrationError(all, bins);
        double candEce = cand.expectedCalibrationError(all, bins);
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        int[] resample = new int[n];
        int notWorse = 0;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                resample[i] = random.nextInt(n);
            }
            replicates[r] = cand.expectedCalibrationError(resample, bins) - base.expectedCalibrationError(resample, bins);
            notWorse += replicates[r] <= 0 ? 1 : 0;
        }
        Arrays.sort(replicates);
        return new CalibrationComparison(n, bins, baseEce, candEce,
                SliceMetrics.quantile(replicates, (1 - confidence) / 2),
                SliceMetrics.quantile(replicates, (1 + confidence) / 2), confidence, (double) notWorse / resamples,
                resamples);
    }

    /**
     * Compares two models' per-sample outcomes on the same data.
     *
     * @param baseline the baseline's outcomes
     * @param candidate the candidate's outcomes, on the same samples
     * @param dataset the data's name
     * @param confidence the intervals' two-sided level
     * @return the report
     */
    public static ComparisonReport compare(Outcomes baseline, Outcomes candidate, String dataset, double confidence) {
        if (baseline.size() != candidate.size()) {
            throw new IllegalArgumentException("the outcomes cover " + baseline.size() + " and " + candidate.size()
                    + " samples; compare on the same data");
        }
        int classes = Math.max(baseline.numClasses(), candidate.numClasses());
        int[][] cells = new int[classes][4]; // a, b, c, d per class
        int[][] confusion = new int[classes][classes];
        List<Flip> regressions = new ArrayList<>();
        List<Flip> improvements = new ArrayList<>();
        for (int i = 0; i < baseline.size(); i++) {
            int label = baseline.label(i);
            boolean base = baseline.correct(i);
            boolean cand = candidate.correct(i);
            int cell = base ? (cand ? 0 : 1) : (cand ? 2 : 3);
            cells[label][cell]++;
            if (cell == 1) {
                confusion[label][candidate.prediction(i)]++;
            }
            List<Flip> kept = cell == 1 ? regressions : cell == 2 ? improvements : null;
            if (kept != null && kept.size() < EXAMPLES) {
                kept.add(new Flip(i, label, baseline.prediction(i), candidate.prediction(i)));
            }
        }
        int[] total = new int[4];
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < 4; k++) {
                total[k] += cells[c][k];
            }
            if (cells[c][0] + cells[c][1] + cells[c][2] + cells[c][3] > 0) {
                present.add(c);
            }
        }
        McNemarTest overallTest = McNemarTest.of(total[1], total[2]);
        PairedComparison overall = new PairedComparison("all samples",
                PairedDifference.newcombe(total[0], total[1], total[2], total[3], confidence), overallTest,
                overallTest.midPOneSided());
        double[] p = new double[present.size()];
        McNemarTest[] tests = new McNemarTest[present.size()];
        for (int j = 0; j < p.length; j++) {
            int[] t = cells[present.get(j)];
            tests[j] = McNemarTest.of(t[1], t[2]);
            p[j] = tests[j].midPOneSided();
        }
        double[] holm = holm(p);
        List<PairedComparison> perClass = new ArrayList<>();
        for (int j = 0; j < p.length; j++) {
            int[] t = cells[present.get(j)];
            perClass.add(new PairedComparison("class " + present.get(j),
                    PairedDifference.newcombe(t[0], t[1], t[2], t[3], confidence), tests[j], holm[j]));
        }
        return new ComparisonReport(candidate.metric(), dataset, overall, perClass, confusion, regressions,
                improvements);
    }

    /**
     * Holm's step-down adjusted p-values (Holm 1979): sorted ascending, {@code p_(i)·(m − i + 1)} made
     * non-decreasing and capped at 1.
     *
     * @param p the raw p-values
     * @return the adjusted p-values, in the input's order
     */
    static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            running = Math.max(running, Math.min(1.0, (m - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    @Override
    public String toString() {
        return "candidate " + candidate + " vs baseline " + baseline + " on " + data.name() + " (" + data.size()
                + " samples)";
    }
}

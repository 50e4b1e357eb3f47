package dev.gauntlet.certify;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.attack.Shard;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.Logits;
import dev.gauntlet.stats.McNemarTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Randomized smoothing (Cohen, Rosenfeld &amp; Kolter 2019, "Certified Adversarial Robustness via
 * Randomized Smoothing"): the smoothed classifier {@code g(x) = argmax_c P(f(x + δ) = c)},
 * {@code δ ~ N(0, σ²I)}, is robust within the L2 radius {@code σ·Φ⁻¹(p_A)} around {@code x}, where
 * {@code p_A} bounds the top class's probability from below. Black-box: it only needs the base
 * classifier's predictions, so it works on every model, including ONNX and TorchScript files
 * without a layer view. Use it for L2 certificates of any model; for L∞ certificates of a model
 * with a layer view, {@link Verifier} is exact where it certifies and needs no sampling.
 *
 * <p>{@link #predict} and {@link #certify} follow the paper's PREDICT and CERTIFY (and its
 * reference code, {@code locuslab/smoothing}, {@code core.py}): CERTIFY picks the top class from
 * {@code n0} noisy copies, counts it among {@code n} fresh ones, takes the one-sided
 * {@code (1 − α)} Clopper–Pearson lower bound {@code p_A} and abstains when {@code p_A < 0.5};
 * PREDICT abstains unless a two-sided binomial test of the top two counts rejects a tie at level α.
 * The noise is drawn from {@link SplittableRandom} seeded per call (a dataset's sample {@code i}
 * uses {@link #sampleSeed(long, int)}), so results repeat exactly; it is added to the raw input
 * and not clipped to the data's bounds, as in the paper. Defaults: σ as given, n0 = 100,
 * n = 10,000 (the paper uses 100,000; with n samples no radius above {@code σ·Φ⁻¹(α^(1/n))}, 3.2σ
 * here, can be certified), α = 0.001, 1,000 noisy copies per forward pass.
 *
 * <pre>{@code
 * SmoothingReport r = RandomizedSmoothing.gaussian(0.25).certify(model, test, 42);
 * r.certifiedAccuracyAt(0.5);  // correct and certified within L2 radius 0.5
 * }</pre>
 */
public final class RandomizedSmoothing {

    /** The class index an abstaining prediction reports. */
    public static final int ABSTAIN = -1;

    private final double sigma;
    private final int n0;
    private final int n;
    private final double alpha;
    private final int batchSize;

    private RandomizedSmoothing(double sigma, int n0, int n, double alpha, int batchSize) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number > 0, got " + sigma);
        }
        if (n0 < 1 || n < 1) {
            throw new IllegalArgumentException("the sample counts must be >= 1, got n0 " + n0 + " and n " + n);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.sigma = sigma;
        this.n0 = n0;
        this.n = n;
        this.alpha = alpha;
        this.batchSize = batchSize;
    }

    /**
     * Smooths with isotropic Gaussian noise of standard deviation σ, in the data's raw units.
     *
     * @param sigma the noise level, e.g. 0.25 for [0, 1] images
     * @return the smoothing, with the default counts
     */
    public static RandomizedSmoothing gaussian(double sigma) {
        return new RandomizedSmoothing(sigma, 100, 10_000, 0.001, 1_000);
    }

    /**
     * Returns this smoothing with other sample counts.
     *
     * @param selection n0: noisy copies that pick the top class in CERTIFY
     * @param estimation n: noisy copies that estimate its probability (CERTIFY) or count the votes (PREDICT)
     * @return a new smoothing
     */
    public RandomizedSmoothing samples(int selection, int estimation) {
        return new RandomizedSmoothing(sigma, selection, estimation, alpha, batchSize);
    }

    /**
     * Returns this smoothing with another failure probability.
     *
     * @param failureProbability α: each certificate (or non-abstaining prediction) is wrong with probability at most α
     * @return a new smoothing
     */
    public RandomizedSmoothing alpha(double failureProbability) {
        return new RandomizedSmoothing(sigma, n0, n, failureProbability, batchSize);
    }

    /**
     * Returns this smoothing sending {@code size} noisy copies through the model at once.
     *
     * @param size the batch size
     * @return a new smoothing
     */
    public RandomizedSmoothing batchSize(int size) {
        return new RandomizedSmoothing(sigma, n0, n, alpha, size);
    }

    /** @return σ */
    public double sigma() {
        return sigma;
    }

    /** @return n0 */
    public int selectionSamples() {
        return n0;
    }

    /** @return n */
    public int estimationSamples() {
        return n;
    }

    /** @return α */
    public double alpha() {
        return alpha;
    }

    /**
     * Returns the name with the parameters, for reports.
     *
     * @return e.g. {@code gaussian-smoothing(sigma=0.25, n0=100, n=10000, alpha=0.001)}
     */
    public String name() {
        return "gaussian-smoothing(sigma=" + sigma + ", n0=" + n0 + ", n=" + n + ", alpha=" + alpha + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * Cohen et al.'s PREDICT: the top class among {@code n} noisy copies, or {@link #ABSTAIN}
     * unless a two-sided binomial test of the top two counts rejects a tie at level α.
     *
     * @param classifier the base classifier
     * @param x one input, flattened
     * @param seed the noise's seed
     * @return the prediction
     */
    public SmoothedPrediction predict(Classifier classifier, float[] x, long seed) {
        return prediction(sample(classifier, x, n, new SplittableRandom(seed)), alpha);
    }

    /**
     * PREDICT's decision from the vote counts, separate from the sampling: the top class, or
     * {@link #ABSTAIN} when the two-sided binomial test of the top two counts at p = 1/2 gives a
     * p-value above α ({@code binom_test(nA, nA + nB, 0.5) > alpha} in {@code locuslab/smoothing}).
     *
     * @param counts the votes per class, at least one class and one vote
     * @param alpha α
     * @return the prediction
     */
    public static SmoothedPrediction prediction(int[] counts, double alpha) {
        Objects.requireNonNull(counts, "counts");
        if (counts.length == 0 || Arrays.stream(counts).anyMatch(c -> c < 0)
                || Arrays.stream(counts).asLongStream().sum() < 1) {
            throw new IllegalArgumentException("need at least one class, no negative count and one vote");
        }
        int top = 0;
        int second = -1;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[top]) {
                second = top;
                top = c;
            } else if (second < 0 || counts[c] > counts[second]) {
                second = c;
            }
        }
        int countA = counts[top];
        int countB = second < 0 ? 0 : counts[second];
        // scipy's binomtest at p = 1/2: min(1, 2·P(X ≤ min(nA, nB))); Commons Math's BinomialTest sums a tie twice
        double pValue = McNemarTest.of(countA, countB).exactTwoSided();
        return new SmoothedPrediction(pValue <= alpha ? top : ABSTAIN, countA, countB, pValue);
    }

    /**
     * Cohen et al.'s CERTIFY: the top class from {@code n0} noisy copies, its count among {@code n}
     * fresh ones, the Clopper–Pearson lower bound {@code p_A} and the radius {@code σ·Φ⁻¹(p_A)}, or
     * {@link #ABSTAIN} with radius 0 when {@code p_A < 0.5}.
     *
     * @param classifier the base classifier
     * @param x one input, flattened
     * @param seed the noise's seed
     * @return the certificate
     */
    public SmoothedCertificate certify(Classifier classifier, float[] x, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] selection = sample(classifier, x, n0, random);
        int top = 0;
        for (int c = 1; c < selection.length; c++) {
            top = selection[c] > selection[top] ? c : top;
        }
        return certificate(top, sample(classifier, x, n, random)[top], n, alpha, sigma);
    }

    /**
     * CERTIFY's decision from the counts, separate from the sampling: the Clopper–Pearson lower
     * bound {@code p_A} of {@code countA} in {@code samples}, {@link #ABSTAIN} with radius 0 when
     * {@code p_A < 0.5}, else the radius {@code σ·Φ⁻¹(p_A)}.
     *
     * @param candidate the top class among the selection copies
     * @param countA how many of the estimation copies it won
     * @param samples n, the estimation copies
     * @param alpha α
     * @param sigma σ
     * @return the certificate
     */
    public static SmoothedCertificate certificate(int candidate, int countA, int samples, double alpha, double sigma) {
        double pLower = clopperPearsonLower(countA, samples, alpha);
        if (pLower < 0.5) {
            return new SmoothedCertificate(ABSTAIN, candidate, countA, samples, pLower, 0);
        }
        return new SmoothedCertificate(candidate, candidate, countA, samples, pLower, radius(sigma, pLower));
    }

    /**
     * Certifies every sample of a dataset, sample {@code i} with the seed {@link #sampleSeed(long, int)
     * sampleSeed(seed, i)}, so any subset gives the same per-sample results.
     *
     * @param classifier the base classifier
     * @param data the labelled samples
     * @param seed the run's seed
     * @return the report
     */
    public SmoothingReport certify(Classifier classifier, Dataset data, long seed) {
        Objects.requireNonNull(data, "data");
        return certify(classifier, data, new Shard(0, data.size()), seed);
    }

    /**
     * Certifies the samples of one shard of a run over {@code data}, each with the seed it has in the
     * whole run, for an evaluation split across workers; {@link SmoothingReport#merge merging} the shards'
     * reports gives the unsplit report. Any split works: smoothing draws each sample's noise alone.
     *
     * @param classifier the base classifier
     * @param data the whole dataset
     * @param shard the samples to certify
     * @param seed the run's seed, the same for every shard
     * @return the shard's report
     */
    public SmoothingReport certify(Classifier classifier, Dataset data, Shard shard, long seed) {
        Objects.requireNonNull(data, "data");
        if (shard.to() > data.size()) {
            throw new IllegalArgumentException("shard [" + shard.from() + ", " + shard.to() + ") lies outside the "
                    + data.size() + " samples of data '" + data.name() + "'");
        }
        List<SmoothedCertificate> certificates = new ArrayList<>(shard.size());
        int[] labels = new int[shard.size()];
        for (int i = shard.from(); i < shard.to(); i++) {
            labels[i - shard.from()] = data.label(i);
            certificates.add(certify(classifier, data.features(i), sampleSeed(seed, i)));
        }
        return new SmoothingReport(name(), sigma, n0, n, alpha, labels, certificates, seed, shard.from());
    }

    /**
     * The seed of sample {@code index} in a run seeded {@code seed}.
     *
     * @param seed the run's seed
     * @param index the sample index
     * @return a seed that depends on both and on nothing else
     */
    public static long sampleSeed(long seed, int index) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1L))).nextLong();
    }

    /**
     * The one-sided {@code (1 − α)} Clopper–Pearson lower confidence bound of a binomial proportion:
     * the α-quantile of Beta(k, n − k + 1), 0 when k = 0 (statsmodels' {@code proportion_confint(k,
     * n, alpha=2α, method="beta")[0]}, as Cohen et al.'s code uses).
     *
     * @param successes k
     * @param trials n
     * @param alpha α
     * @return the lower bound
     */
    public static double clopperPearsonLower(int successes, int trials, double alpha) {
        if (successes < 0 || successes > trials || trials < 1) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials >= 1, got " + successes + " of "
                    + trials);
        }
        if (successes == 0) {
            return 0;
        }
        // the solver's absolute accuracy set below every bound, so its relative accuracy (1e-14) decides: tiny
        // bounds (1 success in 100,000) keep their digits
        return new BetaDistribution(successes, trials - successes + 1, Double.MIN_NORMAL)
                .inverseCumulativeProbability(alpha);
    }

    /**
     * The certified L2 radius {@code σ·Φ⁻¹(p)} for a lower bound {@code p ≥ 0.5} of the top class's
     * probability.
     *
     * @param sigma σ
     * @param pLower the lower bound
     * @return the radius
     */
    public static double radius(double sigma, double pLower) {
        return sigma * new NormalDistribution(0, 1).inverseCumulativeProbability(pLower);
    }

    /** Counts the base classifier's predictions on {@code count} noisy copies of {@code x}. */
    private int[] sample(Classifier classifier, float[] x, int count, SplittableRandom random) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(x, "x");
        Shape sampleShape = classifier.inputShape();
        if (x.length != sampleShape.size()) {
            throw new IllegalArgumentException("the input has " + x.length + " values, " + classifier + " takes "
                    + sampleShape + " = " + sampleShape.size());
        }
        int classes = classifier.numClasses();
        int[] counts = new int[classes];
        int width = x.length;
        for (int start = 0; start < count; start += batchSize) {
            int size = Math.min(batchSize, count - start);
            float[] noisy = new float[size * width];
            for (int k = 0; k < size; k++) {
                for (int j = 0; j < width; j++) {
                    noisy[k * width + j] = (float) (x[j] + sigma * random.nextGaussian());
                }
            }
            try (NDManager scope = classifier.newScope()) {
                float[] logits = classifier.logits(scope.create(noisy, new Shape(size).addAll(sampleShape)))
                        .toFloatArray();
                for (int k = 0; k < size; k++) {
                    counts[Logits.argMax(logits, k * classes, classes)]++;
                }
            }
        }
        return counts;
    }
}

package dev.gauntlet.certify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Norm;
import dev.gauntlet.attack.SampleSeeds;
import dev.gauntlet.attack.Shard;
import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.Logits;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Brackets robust accuracy within an L∞ ball: every sample is bounded ({@link Verifier}) and
 * attacked, and gets a {@link Verdict}. The attack runs exactly as in {@code RobustnessEvaluator}
 * (batches of {@code classifier.batchSize()}, each sample seeded from the run seed and its index), so the upper
 * end of the bracket equals the attack's robust accuracy.
 *
 * <pre>{@code
 * CertificationReport r = CertificationEvaluator.evaluate(mlp, test, Attacks.pgd().linf(0.03).steps(20),
 *         BoundMethod.CROWN, 42);
 * // r.certifiedAccuracy() <= true robust accuracy <= r.robustAccuracyUpperBound(); r.openFraction() between
 * }</pre>
 */
public final class CertificationEvaluator {

    private CertificationEvaluator() {}

    /**
     * Bounds and attacks every sample within the attack's ε.
     *
     * @param classifier the model, with a layer view of supported layers
     * @param data the labelled samples; the ball is cut to their value bounds
     * @param attack an L∞ attack; its ε is the ball's radius
     * @param method the bound method
     * @param seed the attack's seed
     * @return the bracket
     * @throws dev.gauntlet.model.UnsupportedCapabilityException if the model cannot be bounded
     * @throws IllegalArgumentException if the attack is not L∞
     */
    public static CertificationReport evaluate(Classifier classifier, Dataset data, Attack attack, BoundMethod method,
            long seed) {
        Objects.requireNonNull(attack, "attack");
        return evaluate(Verifier.of(classifier), classifier, data, 0, attack, attack.epsilon(), method, seed);
    }

    /**
     * Brackets the samples of one shard of a run over {@code data}, for an evaluation split across
     * workers: each sample is attacked with the seed it has in the whole run, so
     * {@link CertificationReport#merge merging} the shards' reports gives the unsplit report bit for bit.
     *
     * @param classifier the model, with a layer view of supported layers
     * @param data the whole dataset
     * @param shard the samples to bracket, on batch boundaries ({@link Shard#split})
     * @param attack an L∞ attack; its ε is the ball's radius
     * @param method the bound method
     * @param seed the run seed, the same for every shard
     * @return the shard's report
     * @throws IllegalArgumentException if the shard is outside the data or not on batch boundaries
     */
    public static CertificationReport evaluate(Classifier classifier, Dataset data, Shard shard, Attack attack,
            BoundMethod method, long seed) {
        Objects.requireNonNull(attack, "attack");
        shard.checkFits(data.size(), classifier.batchSize());
        Dataset part = shard.from() == 0 && shard.to() == data.size() ? data
                : data.subset(IntStream.range(shard.from(), shard.to()).toArray());
        return evaluate(Verifier.of(classifier), classifier, part, shard.from(), attack, attack.epsilon(), method,
                seed);
    }

    /**
     * Bounds every sample without attacking it: only misclassified samples count as attacked.
     *
     * @param classifier the model, with a layer view of supported layers
     * @param data the labelled samples; the ball is cut to their value bounds
     * @param epsilon the L∞ radius
     * @param method the bound method
     * @return the bracket, its upper end the clean accuracy
     */
    public static CertificationReport certify(Classifier classifier, Dataset data, double epsilon, BoundMethod method) {
        return evaluate(Verifier.of(classifier), classifier, data, 0, null, epsilon, method, 0);
    }

    /**
     * Brackets robust accuracy at several radii, reading the model once.
     *
     * @param classifier the model
     * @param data the samples
     * @param attack an L∞ attack, re-budgeted to each ε with {@link Attack#withEpsilon}
     * @param method the bound method
     * @param seed the attack's seed
     * @param epsilons the radii, each at least 0
     * @return one report per ε, in order
     */
    public static BracketCurve curve(Classifier classifier, Dataset data, Attack attack,
            BoundMethod method, long seed, double... epsilons) {
        Objects.requireNonNull(attack, "attack");
        if (epsilons.length == 0) {
            throw new IllegalArgumentException("give at least one epsilon");
        }
        Verifier verifier = Verifier.of(classifier);
        List<CertificationReport> reports = new ArrayList<>();
        for (double epsilon : epsilons) {
            reports.add(evaluate(verifier, classifier, data, 0, attack.withEpsilon(epsilon), epsilon, method, seed));
        }
        return new BracketCurve(epsilons, reports);
    }

    private static CertificationReport evaluate(Verifier verifier, Classifier classifier, Dataset data, int firstIndex,
            Attack attack, double epsilon, BoundMethod method, long seed) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(method, "method");
        if (attack != null && attack.norm() != Norm.LINF) {
            throw new IllegalArgumentException("certified bounds cover L∞ balls, but " + attack.name() + " is "
                    + attack.norm().label() + "; use an L∞ attack (e.g. Attacks.pgd().linf(eps)), or RandomizedSmoothing"
                    + " for L2 certificates");
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number >= 0, got " + epsilon);
        }
        int n = data.size();
        ValueBounds bounds = data.bounds();
        float[][] clean = classifier.logits(data);
        boolean[] attacked = new boolean[n];
        for (int i = 0; i < n; i++) {
            attacked[i] = Logits.argMax(clean[i]) != data.label(i);
        }
        if (attack != null) {
            attack(classifier, data, firstIndex, attack, seed, attacked);
        }
        List<Verdict> verdicts = new ArrayList<>(n);
        double[] margins = new double[n];
        boolean[] cleanCorrect = new boolean[n];
        int contradictions = 0;
        for (int i = 0; i < n; i++) {
            int label = data.label(i);
            boolean isCorrect = Logits.argMax(clean[i]) == label;
            cleanCorrect[i] = isCorrect;
            double[] bound = verifier.marginLowerBounds(data.features(i), label, epsilon, bounds, method);
            double margin = Double.POSITIVE_INFINITY;
            for (double b : bound) {
                margin = Math.min(margin, b);
            }
            margins[i] = margin;
            double scale = 1;
            for (float z : clean[i]) {
                scale = Math.max(scale, Math.abs(z));
            }
            boolean proven = isCorrect && margin > Verifier.SLACK * scale;
            if (proven && attacked[i]) {
                contradictions++;
            }
            if (attacked[i]) {
                verdicts.add(Verdict.ATTACKED);
            } else if (proven) {
                verdicts.add(Verdict.CERTIFIED);
            } else {
                verdicts.add(Verdict.OPEN);
            }
        }
        return CertificationReport.of(method, attack == null ? "none" : attack.name(), epsilon, seed, firstIndex, verdicts,
                margins, cleanCorrect, contradictions);
    }

    /** Marks the samples whose attacked input, within the ball and the bounds, is misclassified. */
    private static void attack(Classifier classifier, Dataset data, int firstIndex, Attack attack, long seed,
            boolean[] attacked) {
        ValueBounds bounds = data.bounds();
        double tolerance = 1e-6 * Math.max(1, attack.epsilon());
        List<Batch> batches = data.batches(classifier.batchSize());
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            try (NDManager scope = classifier.newScope()) {
                NDArray x = batch.features(scope);
                NDArray adversarial = attack.generate(classifier, x, batch.labels(scope), bounds,
                        SampleSeeds.of(seed, firstIndex + batch.from(), batch.size()));
                float[] logits = classifier.logits(adversarial).toFloatArray();
                float[] values = adversarial.toFloatArray();
                float[] original = x.toFloatArray();
                int classes = classifier.numClasses();
                int width = data.featureCount();
                for (int i = 0; i < batch.size(); i++) {
                    boolean inBall = true;
                    for (int j = i * width; j < (i + 1) * width && inBall; j++) {
                        inBall = Math.abs(values[j] - original[j]) <= attack.epsilon() + tolerance
                                && bounds.contains(values[j]);
                    }
                    int predicted = Logits.argMax(logits, i * classes, classes);
                    if (inBall && predicted != data.label(batch.from() + i)) {
                        attacked[batch.from() + i] = true;
                    }
                }
            }
        }
    }
}

package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.attack.ApgdAttack;
import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.certify.BoundMethod;
import dev.gauntlet.certify.CertificationEvaluator;
import dev.gauntlet.certify.CertificationReport;
import dev.gauntlet.certify.Verdict;
import dev.gauntlet.certify.Verifier;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certified bounds are sound on the real reference models: for every sample IBP or CROWN
 * certifies, no attack finds an adversarial example — PGD-50 with 5 restarts, APGD-CE and APGD-DLR
 * (100 steps), Square (1,000 queries) and a seeded random search of 1,000–2,000 points per ball
 * ({@link RandomSearch}). Stronger than the verdicts: every point any attack reaches has every logit
 * inside CROWN's logit bounds and a margin above CROWN's margin bound, on every sample, certified
 * or not. CROWN is never looser than IBP (nested logit bounds, larger margin bounds, IBP's certified
 * set inside CROWN's). The certified sets must be non-empty and the attacks must break some
 * uncertified samples, or the test could not fail.
 *
 * <p>Cost: CROWN takes milliseconds a sample on the digits MLP, 1–3 s on the Fashion CNN, so the MLP
 * gets 120 samples at the demo gate's ε 0.03 and the CNN four at ε 0.004, where CROWN certifies three
 * of them (the standard-trained CNN: neither bound certifies any of 500 samples at ε 0.01).
 */
class CertificationSoundnessTests {

    private static final long SEED = 2026;

    @Test
    void no_attack_breaks_a_sample_the_bounds_certify_on_the_digits_mlp() {
        Dataset sample = ReferenceModel.DIGITS_MLP.data().test().sample(120, SEED);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP)) {
            Soundness s = check(mlp, sample, 0.03, 2_000, true);
            assertThat(s.ibp).as("IBP certifies some samples").isGreaterThan(0.2);
            assertThat(s.crown).as("CROWN certifies more").isGreaterThan(s.ibp);
            assertThat(s.broken).as("every attack breaks some uncertified sample, so it could have broken a certified one")
                    .allSatisfy((attack, count) -> assertThat(count).as(attack).isPositive());
        }
    }

    @Test
    void no_attack_breaks_a_sample_the_bounds_certify_on_the_fashion_cnn() {
        Dataset sample = ReferenceModel.FASHION_CNN.data().test().sample(6, SEED).head(4);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            Soundness s = check(cnn, sample, 0.004, 1_000, false);
            assertThat(s.crown).as("CROWN certifies some samples").isPositive();
        }
    }

    /**
     * Bounds every sample with both methods, checks CROWN against IBP and the evaluator's verdicts,
     * runs every attack and checks each point it reaches.
     */
    private static Soundness check(DjlClassifier model, Dataset data, double epsilon, int randomDraws,
            boolean crownThroughEvaluator) {
        long start = System.nanoTime();
        CertificationReport ibpReport = CertificationEvaluator.certify(model, data, epsilon, BoundMethod.IBP);
        CertificationReport crownReport = crownThroughEvaluator
                ? CertificationEvaluator.certify(model, data, epsilon, BoundMethod.CROWN) : null;
        Verifier verifier = Verifier.of(model);
        float[][] clean = model.logits(data);
        int n = data.size();
        Bound[] crown = new Bound[n];
        int ibpCertified = 0;
        int crownCertified = 0;
        for (int i = 0; i < n; i++) {
            int label = data.label(i);
            double scale = 1;
            for (float z : clean[i]) {
                scale = Math.max(scale, Math.abs(z));
            }
            double tolerance = Verifier.SLACK * scale; // the float32 rounding of the model's forward pass
            Verifier.Bounds interval = verifier.bounds(data.features(i), label, epsilon, data.bounds(), BoundMethod.IBP);
            Verifier.Bounds linear = verifier.bounds(data.features(i), label, epsilon, data.bounds(), BoundMethod.CROWN);
            double[] lower = linear.logits().lower();
            double[] upper = linear.logits().upper();
            for (int c = 0; c < lower.length; c++) {
                assertThat(lower[c]).as("CROWN's lower bound, sample %d class %d", i, c)
                        .isGreaterThanOrEqualTo(interval.logits().lower()[c])
                        .isLessThanOrEqualTo(clean[i][c] + tolerance);
                assertThat(upper[c]).as("CROWN's upper bound, sample %d class %d", i, c)
                        .isLessThanOrEqualTo(interval.logits().upper()[c])
                        .isGreaterThanOrEqualTo(clean[i][c] - tolerance);
                assertThat(linear.marginLowerBounds()[c]).as("CROWN's margin bound, sample %d class %d", i, c)
                        .isGreaterThanOrEqualTo(interval.marginLowerBounds()[c]);
            }
            // the evaluator's rule: correct, and every margin bound clears the float32 slack
            boolean correct = RandomSearch.margin(clean[i], 0, clean[i].length, label) > 0;
            boolean byIbp = correct && interval.worstMargin() > tolerance;
            boolean byCrown = correct && linear.worstMargin() > tolerance;
            assertThat(ibpReport.verdict(i) == Verdict.CERTIFIED).as("IBP verdict, sample %d", i).isEqualTo(byIbp);
            if (crownReport != null) {
                assertThat(crownReport.verdict(i) == Verdict.CERTIFIED).as("CROWN verdict, sample %d", i)
                        .isEqualTo(byCrown);
            }
            if (byIbp) {
                assertThat(byCrown).as("sample %d: IBP certifies, so CROWN does", i).isTrue();
            }
            ibpCertified += byIbp ? 1 : 0;
            crownCertified += byCrown ? 1 : 0;
            crown[i] = new Bound(lower, upper, linear.worstMargin(), byCrown, tolerance);
        }
        double boundSeconds = (System.nanoTime() - start) / 1e9;

        List<Attack> attacks = List.of(Attacks.pgd().linf(epsilon).steps(50).restarts(5),
                Attacks.apgd().linf(epsilon).steps(100),
                Attacks.apgd().linf(epsilon).steps(100).loss(ApgdAttack.Loss.DLR_OR_MARGIN),
                Attacks.square().linf(epsilon).queries(1_000));
        Map<String, Integer> broken = new LinkedHashMap<>();
        for (int a = 0; a < attacks.size(); a++) {
            Attack attack = attacks.get(a);
            broken.put(attack.name(), checkPoints(model, data, epsilon, attack(model, data, attack, SEED + a), crown,
                    attack.name()));
        }
        RandomSearch.Result random = RandomSearch.search(model, data, epsilon, randomDraws, SEED);
        broken.put("random search", checkPoints(model, data, epsilon, random.inputs(), crown, "random search"));

        Soundness result = new Soundness((double) ibpCertified / n, (double) crownCertified / n, broken);
        System.out.printf("[gauntlet] %s, %d samples, eps %s: certified IBP %.3f, CROWN %.3f; uncertified samples"
                + " broken: %s; bounds %.1f s, attacks %.1f s%n", model, n, epsilon, result.ibp, result.crown, broken,
                boundSeconds, (System.nanoTime() - start) / 1e9 - boundSeconds);
        return result;
    }

    /**
     * Asserts that every point lies in the ball, inside CROWN's logit bounds and above its margin
     * bound, and that none breaks a certified sample.
     *
     * @return how many samples, correct on clean input, the points misclassify
     */
    private static int checkPoints(DjlClassifier model, Dataset data, double epsilon, float[][] points, Bound[] crown,
            String attack) {
        float[][] logits = logits(model, points);
        float[][] clean = model.logits(data);
        int classes = model.numClasses();
        int broken = 0;
        for (int i = 0; i < data.size(); i++) {
            float[] x = data.features(i);
            for (int j = 0; j < x.length; j++) {
                assertThat((double) Math.abs(points[i][j] - x[j])).as("%s stays in the ball", attack)
                        .isLessThanOrEqualTo(epsilon + 1e-6);
                assertThat(data.bounds().contains(points[i][j])).as("%s stays in the bounds", attack).isTrue();
            }
            Bound b = crown[i];
            for (int c = 0; c < classes; c++) {
                assertThat((double) logits[i][c]).as("%s, sample %d, logit %d inside CROWN's bounds", attack, i, c)
                        .isBetween(b.lower[c] - b.tolerance, b.upper[c] + b.tolerance);
            }
            int label = data.label(i);
            double margin = RandomSearch.margin(logits[i], 0, classes, label);
            assertThat(margin).as("%s, sample %d: margin above CROWN's bound", attack, i)
                    .isGreaterThanOrEqualTo(b.worstMargin - b.tolerance);
            if (b.certified) {
                assertThat(margin).as("%s breaks certified sample %d", attack, i).isPositive();
            }
            boolean correct = RandomSearch.margin(clean[i], 0, classes, label) > 0;
            broken += correct && margin < 0 ? 1 : 0;
        }
        return broken;
    }

    private static float[][] attack(DjlClassifier model, Dataset data, Attack attack, long seed) {
        try (NDManager scope = model.newScope()) {
            NDArray x = data.features(scope, 0, data.size());
            float[] values = attack.generate(model, x, data.labels(scope, 0, data.size()), data.bounds(), seed)
                    .toFloatArray();
            return rows(values, data.featureCount());
        }
    }

    private static float[][] logits(DjlClassifier model, float[][] points) {
        float[] flat = new float[points.length * points[0].length];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, flat, i * points[0].length, points[0].length);
        }
        try (NDManager scope = model.newScope()) {
            float[] values = model.logits(scope.create(flat, new Shape(points.length).addAll(model.inputShape())))
                    .toFloatArray();
            return rows(values, model.numClasses());
        }
    }

    private static float[][] rows(float[] flat, int width) {
        float[][] rows = new float[flat.length / width][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    /** Certified fractions and, per attack, the uncertified samples it broke. */
    private record Soundness(double ibp, double crown, Map<String, Integer> broken) {}

    /** CROWN's bounds of one sample and its verdict. */
    private record Bound(double[] lower, double[] upper, double worstMargin, boolean certified, double tolerance) {}
}

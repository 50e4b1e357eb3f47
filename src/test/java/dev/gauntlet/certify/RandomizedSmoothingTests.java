package dev.gauntlet.certify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * Randomized smoothing on the two-class linear model z = V x + C, where everything has a closed
 * form: under N(0, σ²I) noise the margin w·x + c (w = V₀ − V₁) is N(m, σ²‖w‖²), so the top class
 * has probability p_A = Φ(|m| / (σ‖w‖)) and the smoothed classifier's exact robust radius is
 * σ Φ⁻¹(p_A) = |m| / ‖w‖, the distance to the hyperplane.
 */
class RandomizedSmoothingTests {

    private static final double SIGMA = 0.5;
    private static final double[] W = {
        LinearModels.V[0][0] - LinearModels.V[1][0], LinearModels.V[0][1] - LinearModels.V[1][1],
        LinearModels.V[0][2] - LinearModels.V[1][2]};
    private static final double CW = LinearModels.C[0] - LinearModels.C[1];
    private static final double NORM = Math.sqrt(W[0] * W[0] + W[1] * W[1] + W[2] * W[2]);

    /** The point on the normal through the origin whose margin is {@code m}. */
    private static float[] pointWithMargin(double m) {
        double s = (m - CW) / (NORM * NORM);
        return new float[] {(float) (s * W[0]), (float) (s * W[1]), (float) (s * W[2])};
    }

    private static Classifier binary(Model model) {
        return DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(2).build();
    }

    /**
     * CERTIFY's radius lies below the exact one (it is a (1 − α) lower bound) and, with n =
     * 20,000, within 0.15σ of it; it equals σΦ⁻¹ of a Clopper–Pearson bound recomputed here from
     * the reported count by bisection on a binomial tail summed term by term.
     */
    @Test
    void certified_radius_is_below_the_exact_distance_to_the_hyperplane_and_close_to_it() {
        RandomizedSmoothing smoothing = RandomizedSmoothing.gaussian(SIGMA).samples(100, 20_000);
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = binary(model)) {
            double[] margins = {-2.5, -1.2, -0.5, 0.4, 1.0, 2.0};
            StringBuilder table = new StringBuilder();
            for (int k = 0; k < margins.length; k++) {
                double m = margins[k];
                SmoothedCertificate certificate = smoothing.certify(classifier, pointWithMargin(m), 100 + k);
                double exact = Math.abs(m) / NORM;
                double pA = new NormalDistribution(0, 1).cumulativeProbability(Math.abs(m) / (SIGMA * NORM));
                assertThat(certificate.prediction()).as("margin %s", m).isEqualTo(m > 0 ? 0 : 1);
                assertThat(certificate.radius()).as("margin %s", m).isLessThanOrEqualTo(exact)
                        .isGreaterThan(exact - 0.15 * SIGMA);
                assertThat((double) certificate.countA() / certificate.samples()).isCloseTo(pA, within(0.012));
                double reference = referenceLowerBound(certificate.countA(), certificate.samples(), 0.001);
                assertThat(certificate.pALower()).isCloseTo(reference, within(1e-8));
                assertThat(certificate.radius()).isCloseTo(
                        SIGMA * new NormalDistribution(0, 1).inverseCumulativeProbability(reference), within(1e-6));
                table.append(String.format("margin %+.1f: pA %.4f, exact radius %.4f, certified %.4f (nA %d of %d)%n", m,
                        pA, exact, certificate.radius(), certificate.countA(), certificate.samples()));
            }
            System.out.print(table);
        }
    }

    @Test
    void on_the_decision_boundary_both_predict_and_certify_abstain_and_far_from_it_predict_is_confident() {
        RandomizedSmoothing smoothing = RandomizedSmoothing.gaussian(SIGMA).samples(100, 2_000);
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = binary(model)) {
            float[] boundary = pointWithMargin(0);
            assertThat(smoothing.certify(classifier, boundary, 1).abstained()).isTrue();
            assertThat(smoothing.certify(classifier, boundary, 1).radius()).isZero();
            SmoothedPrediction tie = smoothing.predict(classifier, boundary, 2);
            assertThat(tie.abstained()).isTrue();
            assertThat(tie.pValue()).isGreaterThan(0.001);
            SmoothedPrediction far = smoothing.predict(classifier, pointWithMargin(-3), 3);
            assertThat(far.prediction()).isEqualTo(1);
            assertThat(far.pValue()).isLessThan(1e-10);
            assertThat(far.countA() + far.countB()).isEqualTo(2_000);
        }
    }

    @Test
    void the_same_seed_gives_identical_certificates_and_each_sample_has_its_own_seed() {
        RandomizedSmoothing smoothing = RandomizedSmoothing.gaussian(SIGMA).samples(50, 1_000).alpha(0.01);
        Dataset data = Dataset.builder().setFeatures(new float[][] {pointWithMargin(-1), pointWithMargin(0.8),
            pointWithMargin(0.05)}).setLabels(new int[] {1, 0, 0}).setNumClasses(2).build();
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = binary(model)) {
            SmoothingReport first = smoothing.certify(classifier, data, 9);
            SmoothingReport again = smoothing.certify(classifier, data, 9);
            assertThat(again.certificates()).isEqualTo(first.certificates());
            assertThat(first.certificates().get(1)).isEqualTo(smoothing.certify(classifier, data.features(1),
                    RandomizedSmoothing.sampleSeed(9, 1)));
            assertThat(smoothing.certify(classifier, data, 10).certificates()).isNotEqualTo(first.certificates());
            assertThat(first.certifiedAccuracyAt(0)).isEqualTo(2.0 / 3);
            assertThat(first.abstentionRate()).isEqualTo(1.0 / 3);
            assertThat(first.certifiedAccuracyAt(10)).isZero();
        }
    }

    @Test
    void clopper_pearson_matches_closed_forms_and_configuration_is_validated() {
        // k = n: the bound solves p^n = α
        assertThat(RandomizedSmoothing.clopperPearsonLower(100, 100, 0.001)).isCloseTo(Math.pow(0.001, 0.01),
                within(1e-9));
        // k = 1: 1 − (1 − p)^n = α
        assertThat(RandomizedSmoothing.clopperPearsonLower(1, 50, 0.05)).isCloseTo(1 - Math.pow(0.95, 1.0 / 50),
                within(1e-9));
        assertThat(RandomizedSmoothing.clopperPearsonLower(0, 50, 0.05)).isZero();
        assertThatThrownBy(() -> RandomizedSmoothing.gaussian(0)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> RandomizedSmoothing.gaussian(1).samples(0, 10)).hasMessageContaining("n0 0");
        assertThatThrownBy(() -> RandomizedSmoothing.gaussian(1).alpha(1)).hasMessageContaining("alpha");
    }

    /** The p solving P(Binomial(n, p) ≥ k) = α, by bisection on a tail summed from log-pmf terms. */
    private static double referenceLowerBound(int k, int n, double alpha) {
        double lo = 0;
        double hi = 1;
        for (int iteration = 0; iteration < 60; iteration++) {
            double p = (lo + hi) / 2;
            if (upperTail(k, n, p) < alpha) {
                lo = p;
            } else {
                hi = p;
            }
        }
        return (lo + hi) / 2;
    }

    private static double upperTail(int k, int n, double p) {
        double sum = 0;
        double logChoose = Gamma.logGamma(n + 1.0);
        for (int i = k; i <= n; i++) {
            sum += Math.exp(logChoose - Gamma.logGamma(i + 1.0) - Gamma.logGamma(n - i + 1.0) + i * Math.log(p)
                    + (n - i) * Math.log1p(-p));
        }
        return sum;
    }
}

package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.gauntlet.certify.RandomizedSmoothing;
import dev.gauntlet.certify.SmoothedCertificate;
import dev.gauntlet.certify.SmoothedPrediction;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Randomized smoothing's count-to-certificate step against Cohen et al.'s reference code
 * ({@code locuslab/smoothing}: statsmodels' Clopper–Pearson bound as {@code scipy.stats.beta.ppf},
 * {@code norm.ppf}, {@code binomtest}; scipy 1.10.1) over the grid of
 * {@code src/test/python/parity/smoothing_parity.py}: n 100 to 100,000, every count for n ≤ 1,000,
 * edges and the abstention threshold for the larger n, α 0.001 to 0.05, σ 0.12 to 1. The same
 * counts go through {@link RandomizedSmoothing#certificate} and {@link RandomizedSmoothing#prediction};
 * abstentions must agree exactly, p_A to 1e-9 relative, PREDICT's p-values to 1e-9 absolute, radii to
 * 1e-9 relative or 1e-12 absolute: just above the threshold {@code σ·Φ⁻¹(p_A) ≈ σ·√(2π)·(p_A − ½)}
 * cancels, so a last-digit difference of p_A (7e-14 relative at most, measured) is a larger relative
 * one of a tiny radius (2e-9 of 1.3e-6 at n = 100,000, nA = 50,261), far below float32 resolution.
 */
class SmoothingParityTests {

    private static final double TOLERANCE = 1e-9;
    private static final double RADIUS_ABSOLUTE = 1e-12;
    private static final SeededData.Deviation RADIUS = new SeededData.Deviation("smoothing radius (relative)");
    private static final SeededData.Deviation RADIUS_ABS = new SeededData.Deviation("smoothing radius (absolute)");
    private static final SeededData.Deviation P_LOWER = new SeededData.Deviation("smoothing pA lower bound (relative)");
    private static final SeededData.Deviation P_VALUE = new SeededData.Deviation("PREDICT p-value (absolute)");

    @TestFactory
    Stream<DynamicTest> certify_matches_the_reference_on_the_same_counts() {
        JsonObject document = SeededData.load("smoothing");
        JsonArray sigmas = document.getAsJsonArray("sigmas");
        return SeededData.tests("smoothing", c -> c.get("kind").getAsString().equals("certify"), c -> {
            int n = c.get("n").getAsInt();
            double alpha = c.get("alpha").getAsDouble();
            JsonArray counts = c.getAsJsonArray("nA");
            JsonArray lowers = c.getAsJsonArray("pALower");
            JsonArray abstains = c.getAsJsonArray("abstain");
            assertThat(counts.size()).isGreaterThan(50);
            boolean bothOutcomes = false;
            for (int i = 0; i < counts.size(); i++) {
                int countA = counts.get(i).getAsInt();
                String where = c.get("name").getAsString() + " nA=" + countA;
                boolean abstain = abstains.get(i).getAsBoolean();
                bothOutcomes |= abstain != abstains.get(0).getAsBoolean();
                double expectedLower = lowers.get(i).getAsDouble();
                for (int s = 0; s < sigmas.size(); s++) {
                    double sigma = sigmas.get(s).getAsDouble();
                    SmoothedCertificate certificate = RandomizedSmoothing.certificate(3, countA, n, alpha, sigma);
                    double expectedRadius = c.getAsJsonObject("radius").getAsJsonArray(sigmas.get(s).getAsString())
                            .get(i).getAsDouble();
                    assertThat(certificate.abstained()).as(where + " abstains").isEqualTo(abstain);
                    assertThat(certificate.prediction()).as(where).isEqualTo(abstain ? RandomizedSmoothing.ABSTAIN : 3);
                    RADIUS.record(SeededData.relative(certificate.radius(), expectedRadius), where + " sigma=" + sigma);
                    RADIUS_ABS.record(Math.abs(certificate.radius() - expectedRadius), where + " sigma=" + sigma);
                    assertThat(Math.abs(certificate.radius() - expectedRadius)).as(where + " sigma=" + sigma + ": "
                            + certificate.radius() + " vs " + expectedRadius)
                            .isLessThanOrEqualTo(Math.max(TOLERANCE * Math.abs(expectedRadius), RADIUS_ABSOLUTE));
                    check(P_LOWER, where, certificate.pALower(), expectedLower);
                }
            }
            assertThat(bothOutcomes).as("the grid crosses the abstention threshold").isTrue();
        });
    }

    @TestFactory
    Stream<DynamicTest> predict_matches_the_reference_on_the_same_counts() {
        return SeededData.tests("smoothing", c -> c.get("kind").getAsString().equals("predict"), c -> {
            JsonArray countsA = c.getAsJsonArray("nA");
            JsonArray countsB = c.getAsJsonArray("nB");
            JsonArray pValues = c.getAsJsonArray("pValue");
            JsonObject abstains = c.getAsJsonObject("abstain");
            for (int i = 0; i < countsA.size(); i++) {
                int countA = countsA.get(i).getAsInt();
                int countB = countsB.get(i).getAsInt();
                String where = "nA=" + countA + " nB=" + countB;
                for (String alpha : abstains.keySet()) {
                    // the runner-up first, a third class with no vote: the decision reads the top two counts
                    SmoothedPrediction prediction = RandomizedSmoothing.prediction(new int[] {countB, countA, 0},
                            Double.parseDouble(alpha));
                    boolean abstain = abstains.getAsJsonArray(alpha).get(i).getAsBoolean();
                    assertThat(prediction.abstained()).as(where + " alpha=" + alpha + " abstains").isEqualTo(abstain);
                    if (!abstain) {
                        assertThat(prediction.prediction()).as(where).isEqualTo(1);
                    }
                    assertThat(prediction.countA()).isEqualTo(countA);
                    assertThat(prediction.countB()).isEqualTo(countB);
                    double expected = pValues.get(i).getAsDouble();
                    P_VALUE.record(Math.abs(prediction.pValue() - expected), where);
                    assertThat(prediction.pValue()).as(where).isCloseTo(expected,
                            org.assertj.core.api.Assertions.within(TOLERANCE));
                }
            }
        });
    }

    private static void check(SeededData.Deviation deviation, String where, double actual, double expected) {
        double relative = SeededData.relative(actual, expected);
        deviation.record(relative, where);
        assertThat(relative).as(where + ": " + actual + " vs " + expected).isLessThanOrEqualTo(TOLERANCE);
    }

    @AfterAll
    static void printLargestDeviation() {
        RADIUS.print();
        RADIUS_ABS.print();
        P_LOWER.print();
        P_VALUE.print();
    }
}

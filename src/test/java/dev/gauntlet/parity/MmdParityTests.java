package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;

import dev.gauntlet.shift.MmdDrift;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link MmdDrift}'s statistic (unbiased MMD², Gaussian kernel, alibi-detect's default bandwidth: the
 * median heuristic over reference–reference pairs) against float64 numpy over the grid of
 * {@code src/test/python/parity/mmd_parity.py}: 5 to 2,500 samples per side, unequal sizes, 1 to
 * 784 features, continuous, tied (3 levels) and constant data, scales 1e-3 to 1e4 and a 1e3 offset.
 * Before the kernel was computed in float64 on centred data, the float32 expansion
 * {@code ‖x‖² + ‖y‖² − 2x·y} missed by up to 1.43 relative on data with a 1e3 offset.
 */
class MmdParityTests {

    private static final SeededData.Deviation MMD = new SeededData.Deviation("mmd2 (relative)");

    @TestFactory
    Stream<DynamicTest> statistic_matches_numpy_with_alibi_detects_bandwidth() {
        return SeededData.tests("mmd", c -> true, MmdParityTests::check);
    }

    private static void check(JsonObject c) {
        int d = c.get("features").getAsInt();
        float[][] reference = SeededData.rows(SeededData.generate(c.getAsJsonObject("reference")), d);
        float[][] current = SeededData.rows(SeededData.generate(c.getAsJsonObject("current")), d);
        double actual = MmdDrift.mmd().permutations(1).test(SeededData.dataset(reference, "reference"),
                SeededData.dataset(current, "current"), 0).statistic();
        // constant reference data: alibi-detect's bandwidth is 0 and its kernel NaN; ours is floored at 1e-12, so
        // every kernel value is exp(0) = 1 and MMD² is exactly 0 (the float64 rule of the file's "mmd2" agrees)
        double expected = c.get("alibi_ref_mmd2").isJsonNull() || Double.isNaN(c.get("alibi_ref_mmd2").getAsDouble())
                ? c.get("mmd2").getAsDouble() : c.get("alibi_ref_mmd2").getAsDouble();
        MMD.record(SeededData.relative(actual, expected), c.get("name").getAsString());
        assertThat(actual).isCloseTo(expected, within(1e-6 * Math.abs(expected)));
    }

    @AfterAll
    static void printLargestDeviation() {
        MMD.print();
    }
}

package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;

import dev.gauntlet.shift.MmdDriftTest;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link MmdDriftTest}'s statistic (unbiased MMD², Gaussian kernel, median-heuristic bandwidth over
 * reference–current pairs) against float64 numpy over the grid of
 * {@code src/test/python/parity/mmd_parity.py}: 5 to 2,500 samples per side, unequal sizes, 1 to
 * 784 features, continuous, tied (3 levels) and constant data, scales 1e-3 to 1e4 and a 1e3 offset.
 *
 * <p>Known deviations, measured and left to the owner of MmdDriftTest: its squared distances are
 * {@code ‖x‖² + ‖y‖² − 2x·y} in float32 on uncentred data, so features with an offset large
 * against their spread lose their digits (up to 1.4 relative on MMD² with an offset of 1e3 and
 * unit spread); a numpy emulation of the same float32 product on data centred by the reference mean
 * stays within 2e-6. Those cases run in {@link #known_deviations}, disabled.
 */
class MmdParityTests {

    private static final SeededData.Deviation MMD = new SeededData.Deviation("mmd2 (relative)");

    /** Cases where MmdDriftTest misses the reference by more than 1e-6, with the deviation measured. */
    private static final Map<String, String> KNOWN = Map.of(
            "uniform n=5/5 d=1 scale=0.001 offset=0 shift=0", "-0.0941663 vs -0.0941665: 2.22e-06 relative",
            "uniform n=5/5 d=1 scale=10000 offset=0 shift=0", "0.0336996 vs 0.0336994: 5.00e-06 relative",
            "uniform n=5/5 d=1 scale=1 offset=1000 shift=0", "-0.218041 vs -0.145928: 0.494 relative",
            "uniform n=5/50 d=2 scale=1 offset=1000 shift=0.5", "0.412041 vs 0.401961: 0.0251 relative",
            "levels n=50/5 d=10 scale=1 offset=1000 shift=0", "0.0153602 vs 0.00632884: 1.43 relative",
            "uniform n=200/37 d=10 scale=1 offset=1000 shift=0.1", "0.0539094 vs 0.0338091: 0.595 relative",
            "uniform n=300/300 d=784 scale=1 offset=1000 shift=0.05", "0.00482789 vs 0.0103426: 0.533 relative",
            "uniform n=1000/1000 d=3 scale=1 offset=1000 shift=0.02", "5.96878e-05 vs 4.92097e-05: 0.213 relative");

    @TestFactory
    Stream<DynamicTest> statistic_matches_numpy() {
        return cases(false);
    }

    @Disabled("MmdDriftTest's float32 squared distances on uncentred data: MMD^2 off by 2.2e-6 to 5.0e-6 relative"
            + " on 1-d data at scales 1e-3 and 1e4, by 0.025 to 1.43 relative with a 1e3 offset; see KNOWN")
    @TestFactory
    Stream<DynamicTest> known_deviations() {
        return cases(true);
    }

    private static Stream<DynamicTest> cases(boolean known) {
        return SeededData.tests("mmd", c -> KNOWN.containsKey(c.get("name").getAsString()) == known,
                MmdParityTests::check);
    }

    private static void check(JsonObject c) {
        int d = c.get("features").getAsInt();
        float[][] reference = SeededData.rows(SeededData.generate(c.getAsJsonObject("reference")), d);
        float[][] current = SeededData.rows(SeededData.generate(c.getAsJsonObject("current")), d);
        double actual = MmdDriftTest.mmd().permutations(1).test(SeededData.dataset(reference, "reference"),
                SeededData.dataset(current, "current"), 0).statistic();
        double expected = c.get("mmd2").getAsDouble();
        MMD.record(SeededData.relative(actual, expected), c.get("name").getAsString());
        assertThat(actual).isCloseTo(expected, within(1e-6 * Math.abs(expected)));
    }

    @AfterAll
    static void printLargestDeviation() {
        MMD.print();
    }
}

package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;

import dev.gauntlet.stats.McNemarTest;
import dev.gauntlet.stats.ProportionInterval;
import dev.gauntlet.stats.Proportions;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * McNemar's exact and mid-p p-values, and the Wilson and Clopper–Pearson intervals, against scipy
 * 1.10.1 ({@code binomtest}, {@code binom}, {@code proportion_ci}) over the grid of
 * {@code src/test/python/parity/mcnemar_parity.py}: every table with {@code b + c ≤ 20}, then up to
 * 5,000 discordant pairs with ties, extremes 0 / n, near-ties and seeded draws; intervals at levels 0.8
 * to 0.999. Tolerance 1e-9 absolute. With no discordant pair scipy refuses; {@link McNemarTest}
 * documents every p-value as 1, asserted instead.
 */
class McNemarParityTests {

    private static final double TOLERANCE = 1e-9;
    private static final SeededData.Deviation P_VALUE = new SeededData.Deviation("McNemar p-values (absolute)");
    private static final SeededData.Deviation WILSON = new SeededData.Deviation("Wilson bounds (absolute)");
    private static final SeededData.Deviation EXACT = new SeededData.Deviation("Clopper-Pearson bounds (absolute)");

    @TestFactory
    Stream<DynamicTest> mcnemar_p_values_match_scipy() {
        return SeededData.tests("mcnemar", c -> c.get("kind").getAsString().equals("mcnemar"), c -> {
            McNemarTest test = McNemarTest.of(c.get("b").getAsInt(), c.get("c").getAsInt());
            String name = c.get("name").getAsString();
            if (c.has("documented")) {
                assertThat(new double[] {test.exactTwoSided(), test.exactOneSided(), test.midPTwoSided(),
                        test.midPOneSided()}).containsOnly(1.0);
                return;
            }
            check(P_VALUE, name, test.exactTwoSided(), c.get("exact_two_sided").getAsDouble());
            check(P_VALUE, name, test.exactOneSided(), c.get("exact_greater").getAsDouble());
            check(P_VALUE, name, test.midPOneSided(), c.get("mid_p_greater").getAsDouble());
            check(P_VALUE, name, test.midPTwoSided(), c.get("mid_p_two_sided").getAsDouble());
        });
    }

    @TestFactory
    Stream<DynamicTest> intervals_match_scipy() {
        return SeededData.tests("mcnemar", c -> c.get("kind").getAsString().equals("interval"), c -> {
            int k = c.get("k").getAsInt();
            int n = c.get("n").getAsInt();
            double level = c.get("confidence").getAsDouble();
            String name = c.get("name").getAsString();
            ProportionInterval wilson = Proportions.wilson(k, n, level);
            ProportionInterval exact = Proportions.clopperPearson(k, n, level);
            JsonArray w = c.getAsJsonArray("wilson");
            JsonArray e = c.getAsJsonArray("exact");
            check(WILSON, name, wilson.lower(), w.get(0).getAsDouble());
            check(WILSON, name, wilson.upper(), w.get(1).getAsDouble());
            check(EXACT, name, exact.lower(), e.get(0).getAsDouble());
            check(EXACT, name, exact.upper(), e.get(1).getAsDouble());
        });
    }

    private static void check(SeededData.Deviation deviation, String name, double actual, double expected) {
        deviation.record(Math.abs(actual - expected), name);
        assertThat(actual).as(name).isCloseTo(expected, within(TOLERANCE));
    }

    @AfterAll
    static void printLargestDeviation() {
        P_VALUE.print();
        WILSON.print();
        EXACT.print();
    }
}

package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;

import dev.gauntlet.explain.concept.Tcav;

import java.lang.reflect.Method;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * TCAV's Welch test against scipy 1.10.1's {@code ttest_ind(equal_var=False)} two-sided p-value,
 * over the grid of {@code src/test/python/parity/welch_parity.py}: 2 to 5,000 values per side,
 * unequal sizes, TCAV-like fractions (many ties), one constant side, near-equal values on a large
 * offset, scales 1e-3 to 1e4. Where both sides are constant and equal scipy answers NaN and
 * {@link Tcav} documents 1; that documented value is asserted instead.
 *
 * <p>The test is package-private inside {@link Tcav} (it is not API), so it is reached by
 * reflection; Tcav exposes only the p-value, so the t statistic in the file is not asserted.
 */
class WelchParityTests {

    private static final SeededData.Deviation P_VALUE = new SeededData.Deviation("welch p-value (absolute)");
    private static final Method WELCH = welch();

    @TestFactory
    Stream<DynamicTest> p_value_matches_scipy() {
        return SeededData.tests("welch", c -> true, WelchParityTests::check);
    }

    private static void check(JsonObject c) throws ReflectiveOperationException {
        double[] a = SeededData.doubles(SeededData.generate(c.getAsJsonObject("a")));
        double[] b = SeededData.doubles(SeededData.generate(c.getAsJsonObject("b")));
        double expected = c.has("documented") ? c.get("documented").getAsDouble() : c.get("p_value").getAsDouble();
        double actual = (double) WELCH.invoke(null, a, b);
        P_VALUE.record(Math.abs(actual - expected), c.get("name").getAsString());
        assertThat(actual).isCloseTo(expected, within(1e-6));
    }

    private static Method welch() {
        try {
            Method method = Tcav.class.getDeclaredMethod("welchPValue", double[].class, double[].class);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Tcav.welchPValue(double[], double[]) moved; update this test", e);
        }
    }

    @AfterAll
    static void printLargestDeviation() {
        P_VALUE.print();
    }
}

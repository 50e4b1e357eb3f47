package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.gauntlet.shift.Chi2Drift;
import dev.gauntlet.shift.DriftResult;
import dev.gauntlet.shift.FeatureTest;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Chi2Drift} against scipy 1.10.1's {@code chi2_contingency(correction=True)} on the same
 * per-feature category tables, over the grid of {@code src/test/python/parity/chi2_parity.py}:
 * 5 to 5,000 samples per side, unequal sizes, 1 (constant) to 110 categories, categories seen on
 * one side only, 1 to 784 features, category values from 1e-3 to 1e4 apart.
 */
class Chi2ParityTests {

    private static final SeededData.Deviation STATISTIC = new SeededData.Deviation("chi2 statistic (relative)");
    private static final SeededData.Deviation P_VALUE = new SeededData.Deviation("chi2 p-value (absolute)");

    @TestFactory
    Stream<DynamicTest> every_feature_matches_scipy() {
        return SeededData.tests("chi2", c -> true, Chi2ParityTests::check);
    }

    private static void check(JsonObject c) {
        int d = c.get("features").getAsInt();
        float[][] reference = SeededData.rows(SeededData.generate(c.getAsJsonObject("reference")), d);
        float[][] current = SeededData.rows(SeededData.generate(c.getAsJsonObject("current")), d);
        DriftResult result = Chi2Drift.chi2().test(SeededData.dataset(reference, "reference"),
                SeededData.dataset(current, "current"), 0);
        JsonArray statistics = c.getAsJsonArray("statistics");
        JsonArray pValues = c.getAsJsonArray("p_values");
        assertThat(result.features()).hasSize(d);
        for (FeatureTest feature : result.features()) {
            int j = feature.feature();
            double statistic = statistics.get(j).getAsDouble();
            double p = pValues.get(j).getAsDouble();
            String place = c.get("name").getAsString() + " feature " + j;
            STATISTIC.record(SeededData.relative(feature.statistic(), statistic), place);
            P_VALUE.record(Math.abs(feature.pValue() - p), place);
            assertThat(feature.statistic()).as("statistic of %s", place).isCloseTo(statistic,
                    within(1e-6 * Math.abs(statistic)));
            assertThat(feature.pValue()).as("p-value of %s", place).isCloseTo(p, within(1e-6));
        }
    }

    @AfterAll
    static void printLargestDeviation() {
        STATISTIC.print();
        P_VALUE.print();
    }
}

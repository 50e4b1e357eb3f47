package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;

import dev.gauntlet.uncertainty.TemperatureScaling;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TemperatureScaling} against the optimum scipy 1.10.1 finds ({@code brentq} on the NLL's
 * derivative in 1/T, cross-checked by {@code minimize_scalar}), over the grid of
 * {@code src/test/python/parity/temperature_parity.py}: 5 to 5,000 samples, 2 to 784 classes,
 * logits at scales 1e-3 to 1e4 (optimal T from 1e-4 to 6e4). Cases without a finite optimum (no
 * misclassified sample: the NLL falls as T → 0) are checked for a fit that lowers the NLL.
 */
class TemperatureParityTests {

    private static final SeededData.Deviation TEMPERATURE = new SeededData.Deviation("temperature (relative)");
    private static final SeededData.Deviation NLL = new SeededData.Deviation("NLL at T (relative)");

    @TestFactory
    Stream<DynamicTest> fitted_temperature_matches_scipy() {
        return SeededData.tests("temperature", c -> true, TemperatureParityTests::check);
    }

    private static void check(JsonObject c) {
        int classes = c.get("classes").getAsInt();
        float[][] logits = SeededData.rows(SeededData.generate(c.getAsJsonObject("logits")), classes);
        float[] labelValues = SeededData.generate(c.getAsJsonObject("labels"));
        float margin = c.get("margin").getAsFloat();
        int[] labels = new int[labelValues.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) labelValues[i];
            logits[i][labels[i]] += margin;
        }
        TemperatureScaling fit = TemperatureScaling.fit(logits, labels);
        String name = c.get("name").getAsString();
        assertThat(fit.nllBefore()).as("NLL at T = 1").isCloseTo(c.get("nll_at_1").getAsDouble(),
                within(1e-9 * Math.abs(c.get("nll_at_1").getAsDouble())));
        if (c.get("temperature").isJsonNull()) {
            assertThat(fit.nllAfter()).as("no finite optimum: the fit still lowers the NLL")
                    .isLessThanOrEqualTo(fit.nllBefore());
            return;
        }
        double expected = c.get("temperature").getAsDouble();
        double nll = c.get("nll_at_t").getAsDouble();
        TEMPERATURE.record(SeededData.relative(fit.temperature(), expected), name);
        NLL.record(SeededData.relative(fit.nllAfter(), nll), name);
        assertThat(fit.temperature()).as("T").isCloseTo(expected, within(1e-6 * expected));
        assertThat(fit.nllAfter()).as("NLL at T").isCloseTo(nll, within(1e-9 * Math.abs(nll)));
    }

    @AfterAll
    static void printLargestDeviation() {
        TEMPERATURE.print();
        NLL.print();
    }
}

package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;

import dev.gauntlet.uncertainty.Auroc;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Auroc} against scikit-learn 1.2.1's {@code roc_auc_score}, over the grid of
 * {@code src/test/python/parity/auroc_parity.py}: 1 to 5,000 scores per class, unequal sizes,
 * continuous scores, few levels (ties within and across classes), all tied, perfectly separated, and
 * near-equal scores on a large offset, at scales 1e-3 to 1e4.
 */
class AurocParityTests {

    private static final SeededData.Deviation AUROC = new SeededData.Deviation("auroc (relative)");

    @TestFactory
    Stream<DynamicTest> auroc_matches_sklearn() {
        return SeededData.tests("auroc", c -> true, AurocParityTests::check);
    }

    private static void check(JsonObject c) {
        double[] positives = SeededData.doubles(SeededData.generate(c.getAsJsonObject("positives")));
        double[] negatives = SeededData.doubles(SeededData.generate(c.getAsJsonObject("negatives")));
        double expected = c.get("auroc").getAsDouble();
        double actual = Auroc.of(positives, negatives);
        AUROC.record(SeededData.relative(actual, expected), c.get("name").getAsString());
        assertThat(actual).isCloseTo(expected, within(1e-6 * Math.abs(expected)));
    }

    @AfterAll
    static void printLargestDeviation() {
        AUROC.print();
    }
}

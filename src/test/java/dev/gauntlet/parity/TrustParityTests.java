package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.trust.TrustScoreBatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * Trust scores against alibi's algorithm on scikit-learn's float64 {@code KDTree}
 * ({@code src/test/python/parity/trust_parity.py}): every score to 1e-6 relative, the points each class keeps
 * after filtering exactly, the closest other class wherever the reference has no tie — over features from
 * 1e-3 to 1e4 wide, far from the origin, on integer grids, 1 to 784 features, all filters and modes.
 */
class TrustParityTests {

    private static final SeededData.Deviation DEVIATION = new SeededData.Deviation("trust score (relative)");

    @TestFactory
    Stream<DynamicTest> every_case_matches_the_reference() {
        return SeededData.cases(SeededData.load("trust")).stream().map(c -> DynamicTest.dynamicTest(
                c.get("name").getAsString(), () -> check(c)));
    }

    private static void check(JsonObject c) {
        int d = c.get("features").getAsInt();
        int classes = c.get("classes").getAsInt();
        float[][] train = SeededData.rows(SeededData.generate(c.getAsJsonObject("train")), d);
        float[][] test = SeededData.rows(SeededData.generate(c.getAsJsonObject("test")), d);
        int[] labels = integers(SeededData.generate(c.getAsJsonObject("labels")));
        int[] predicted = integers(SeededData.generate(c.getAsJsonObject("predicted")));
        Dataset data = Dataset.builder().setFeatures(train).setLabels(labels).setNumClasses(classes)
                .optBounds(ValueBounds.unbounded()).optName("train").build();

        TrustScore.Filter filter = switch (c.get("filter").getAsString()) {
            case "none" -> TrustScore.Filter.NONE;
            case "probability_knn" -> TrustScore.Filter.PROBABILITY_KNN;
            default -> c.get("distFilterType").getAsString().equals("mean") ? TrustScore.Filter.DISTANCE_KNN_MEAN
                    : TrustScore.Filter.DISTANCE_KNN;
        };
        TrustScore trust = TrustScore.fit(data, filter, c.get("kFilter").getAsInt(), c.get("alpha").getAsDouble());
        TrustScoreBatch scores = trust.score(test, predicted, c.get("k").getAsInt(),
                c.get("mode").getAsString().equals("mean") ? TrustScore.Mode.MEAN : TrustScore.Mode.POINT);

        JsonArray kept = c.getAsJsonArray("kept");
        for (int k = 0; k < classes; k++) {
            assertThat(trust.keptPerClass()[k]).as("points class %d keeps", k).isEqualTo(kept.get(k).getAsInt());
        }
        JsonArray expected = c.getAsJsonArray("scores");
        JsonArray closest = c.getAsJsonArray("closest");
        for (int i = 0; i < test.length; i++) {
            double reference = expected.get(i).getAsDouble();
            double deviation = SeededData.relative(scores.scores()[i], reference);
            DEVIATION.record(deviation, c.get("name").getAsString() + " row " + i);
            assertThat(deviation).as("row %d: %s vs alibi %s", i, scores.scores()[i], reference).isLessThan(1e-6);
            if (closest.get(i).getAsInt() >= 0) {
                assertThat(scores.closestOtherClass()[i]).as("row %d closest other class", i)
                        .isEqualTo(closest.get(i).getAsInt());
            }
        }
    }

    private static int[] integers(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    @AfterAll
    static void printLargestDeviation() {
        DEVIATION.print();
    }
}

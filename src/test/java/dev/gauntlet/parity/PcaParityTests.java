package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.gauntlet.data.PcaProjection;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Principal components against scikit-learn 1.2's {@code PCA(svd_solver="full")}
 * ({@code src/test/python/parity/pca_parity.py}): components with the same signs (svd_flip's convention) to
 * 1e-6, explained variances to 1e-6 relative (plus 1e-12 of the largest: eigenvalues of the scatter matrix
 * near 0 carry only absolute accuracy), projections of the first rows to 1e-6 of their component's scale —
 * on centred data, data far from the origin, integer grids, k up to d, rank-deficient data and optdigits.
 * Components of degenerate eigenspaces (the script marks them) are any basis and are not compared.
 */
class PcaParityTests {

    private static final SeededData.Deviation DEVIATION = new SeededData.Deviation("PCA component (absolute)");
    private static final JsonObject DOCUMENT = SeededData.load("pca");

    @TestFactory
    Stream<DynamicTest> every_case_matches_the_reference() {
        return SeededData.cases(DOCUMENT).stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(),
                () -> check(c)));
    }

    private static void check(JsonObject c) {
        int d = c.get("features").getAsInt();
        int k = c.get("k").getAsInt();
        float[][] rows = c.get("data").isJsonObject()
                ? SeededData.rows(SeededData.generate(c.getAsJsonObject("data")), d) : digits();
        assertThat(rows.length).isEqualTo(c.get("n").getAsInt());

        PcaProjection pca = PcaProjection.fit(rows, k);
        float[][] components = pca.components();
        double[] variance = pca.explainedVariance();
        float[][] projected = pca.project(Arrays.copyOf(rows, c.getAsJsonArray("projected").size()));

        JsonArray determined = c.getAsJsonArray("determined");
        JsonArray expectedVariance = c.getAsJsonArray("variance");
        double largest = expectedVariance.get(0).getAsDouble();
        for (int i = 0; i < k; i++) {
            double reference = expectedVariance.get(i).getAsDouble();
            assertThat(Math.abs(variance[i] - reference)).as("variance %d: %s vs %s", i, variance[i], reference)
                    .isLessThanOrEqualTo(1e-6 * reference + 1e-12 * largest);
            if (!determined.get(i).getAsBoolean()) {
                continue;
            }
            JsonArray component = c.getAsJsonArray("components").get(i).getAsJsonArray();
            for (int j = 0; j < d; j++) {
                double deviation = Math.abs(components[i][j] - component.get(j).getAsDouble());
                DEVIATION.record(deviation, c.get("name").getAsString() + " component " + i);
                assertThat(deviation).as("component %d entry %d: %s vs %s", i, j, components[i][j], component.get(j))
                        .isLessThan(1e-6);
            }
            double scale = Math.sqrt(reference);
            for (int r = 0; r < projected.length; r++) {
                double expected = c.getAsJsonArray("projected").get(r).getAsJsonArray().get(i).getAsDouble();
                assertThat(Math.abs(projected[r][i] - expected)).as("row %d on component %d: %s vs %s", r, i,
                        projected[r][i], expected).isLessThanOrEqualTo(1e-6 * Math.max(scale, Math.abs(expected)));
            }
        }
    }

    private static float[][] digits() {
        JsonArray source = DOCUMENT.getAsJsonArray("digitsRows");
        float[][] rows = new float[source.size()][];
        for (int i = 0; i < rows.length; i++) {
            JsonArray row = source.get(i).getAsJsonArray();
            rows[i] = new float[row.size()];
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = row.get(j).getAsFloat();
            }
        }
        return rows;
    }

    @AfterAll
    static void printLargestDeviation() {
        DEVIATION.print();
    }
}

package dev.gauntlet.shift;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.shift.MixedDrift.Kind;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@link MixedDrift} on real data: four measurements of the UCI breast cancer set (scales 0.05
 * to 2,500) and the diagnosis, a categorical column.
 */
class MixedDriftTests {

    private static final List<String> NAMES = List.of("mean radius", "mean texture", "mean area", "mean smoothness",
            "benign");
    private static final float[][] ROWS = read();

    private static float[][] read() {
        try (InputStream in = MixedDriftTests.class.getResourceAsStream("/drift/breast-cancer-mixed.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            float[][] rows = new float[lines.length - 1][];
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].split(",");
                rows[i - 1] = new float[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    rows[i - 1][j] = Float.parseFloat(cells[j]);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Dataset rows(int[] indices, String name) {
        float[][] picked = Arrays.stream(indices).mapToObj(i -> ROWS[i]).toArray(float[][]::new);
        return Dataset.builder().setFeatures(picked).setLabels(new int[picked.length]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName(name).build();
    }

    /** Every other row: two halves of the same population. */
    private static Dataset half(int parity) {
        return rows(IntStream.range(0, ROWS.length).filter(i -> i % 2 == parity).toArray(), "half " + parity);
    }

    /** The odd rows that are malignant, and one benign row in ten: a clinic that sees mostly cancers. */
    private static Dataset malignantHeavy() {
        List<Integer> picked = new ArrayList<>();
        for (int i = 1; i < ROWS.length; i += 2) {
            if (ROWS[i][4] == 0 || i % 20 == 1) {
                picked.add(i);
            }
        }
        return rows(picked.stream().mapToInt(Integer::intValue).toArray(), "malignant-heavy");
    }

    @Test
    void chooses_ks_for_the_measurements_and_chi2_for_the_diagnosis() {
        Kind[] kinds = MixedDrift.mixed().choose(half(0), half(1));
        assertThat(kinds).containsExactly(Kind.KS, Kind.KS, Kind.KS, Kind.KS, Kind.CHI2);
    }

    @Test
    void two_halves_show_no_drift_and_a_malignant_heavy_sample_drifts_on_the_diagnosis_and_the_size() {
        MixedDrift mixed = MixedDrift.mixed().featureNames(NAMES);
        MixedDrift.Outcome same = mixed.run(half(0), half(1));
        assertThat(same.result().drift()).as(same.result().toString()).isFalse();

        MixedDrift.Outcome shifted = mixed.run(half(0), malignantHeavy());
        assertThat(shifted.result().drift()).isTrue();
        assertThat(shifted.columns()).filteredOn(MixedDrift.Column::drifted)
                .extracting(MixedDrift.Column::name).contains("mean radius", "mean area", "benign");
        assertThat(shifted.columns().get(4).kind()).isEqualTo(Kind.CHI2);
        assertThat(shifted.columns().get(4).declared()).isFalse();
        assertThat(shifted.result().test()).contains("ks on [mean radius, mean texture, mean area, mean smoothness]",
                "chi2 on [benign]");
        assertThat(shifted.toMap()).containsKey("columns").containsEntry("driftedFeatureNames",
                shifted.columns().stream().filter(MixedDrift.Column::drifted).map(MixedDrift.Column::name)
                        .toList());
    }

    @Test
    void one_bonferroni_correction_spans_both_kinds_of_column() {
        DriftResult result = MixedDrift.mixed().test(half(0), half(1), 0);
        assertThat(result.threshold()).as("p_val / all 5 columns, not per kind").isEqualTo(0.05 / 5);
        assertThat(result.features()).hasSize(5);
        // each column's p-value is that of its own test, uncorrected
        DriftResult ks = KsDrift.ks().test(half(0), half(1));
        assertThat(result.features().get(2).pValue()).isEqualTo(ks.features().get(2).pValue());
    }

    @Test
    void declared_columns_override_the_choice() {
        MixedDrift declared = MixedDrift.mixed().featureNames(NAMES).numeric("benign").categorical(3);
        MixedDrift.Outcome outcome = declared.run(half(0), malignantHeavy());
        assertThat(outcome.columns()).extracting(MixedDrift.Column::kind)
                .containsExactly(Kind.KS, Kind.KS, Kind.KS, Kind.CHI2, Kind.KS);
        assertThat(outcome.columns().get(4).declared()).isTrue();
        assertThat(outcome.columns().get(0).declared()).isFalse();
    }

    @Test
    void a_declaration_that_names_no_column_is_an_error() {
        assertThatThrownBy(() -> MixedDrift.mixed().categorical("benign").run(half(0), half(1)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("featureNames");
        assertThatThrownBy(() -> MixedDrift.mixed().featureNames(NAMES).categorical("benin")
                .run(half(0), half(1))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'benin' is not among the features");
        assertThatThrownBy(() -> MixedDrift.mixed().categorical(5).run(half(0), half(1)))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("outside the 5 features");
        assertThatThrownBy(() -> MixedDrift.mixed().categorical(1).numeric(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both categorical and numeric");
    }

    @Test
    void the_assertion_names_the_drifted_columns() {
        assertThatData(half(0)).comparedTo(half(1)).withFeatureNames(NAMES).showsNoDrift(MixedDrift.mixed());
        assertThatThrownBy(() -> assertThatData(half(0)).comparedTo(malignantHeavy()).withFeatureNames(NAMES)
                .showsNoDrift(MixedDrift.mixed()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("drifted features [0, 1, 2, 4]")
                .hasMessageContaining("[mean radius, mean texture, mean area, benign]");
    }
}

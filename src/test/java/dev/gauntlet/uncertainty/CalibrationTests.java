package dev.gauntlet.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.InvalidDataException;

import org.junit.jupiter.api.Test;

import java.util.Random;

class CalibrationTests {

    @Test
    void perfectly_calibrated_predictions_have_near_zero_ece() {
        Random random = new Random(1);
        int n = 200_000;
        float[][] p = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float confidence = 0.5f + 0.5f * random.nextFloat();
            p[i] = new float[] {confidence, 1 - confidence};
            labels[i] = random.nextFloat() < confidence ? 0 : 1; // correct with probability = confidence
        }
        assertThat(Calibration.of(p, labels).expectedCalibrationError()).isLessThan(0.01);
    }

    @Test
    void a_known_miscalibration_gives_the_closed_form_ece_mce_brier_and_nll() {
        // 10 samples at confidence 0.9 of which 6 are right; 10 at 0.6 of which 6 are right
        float[][] p = new float[20][];
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            float c = i < 10 ? 0.9f : 0.6f;
            p[i] = new float[] {c, 1 - c};
            labels[i] = (i % 10) < 6 ? 0 : 1;
        }
        CalibrationReport report = Calibration.of(p, labels);
        // ECE = 0.5 * |0.6 - 0.9| + 0.5 * |0.6 - 0.6| = 0.15; MCE = 0.3
        assertThat(report.expectedCalibrationError()).isCloseTo(0.15, within(1e-6));
        assertThat(report.maximumCalibrationError()).isCloseTo(0.3, within(1e-6));
        // Brier: right at 0.9: 2*0.01; wrong at 0.9: 2*0.81; right at 0.6: 2*0.16; wrong at 0.6: 2*0.36
        double brier = (6 * 0.02 + 4 * 1.62 + 6 * 0.32 + 4 * 0.72) / 20;
        assertThat(report.brierScore()).isCloseTo(brier, within(1e-6));
        double nll = (6 * -Math.log(0.9) + 4 * -Math.log(0.1) + 6 * -Math.log(0.6) + 4 * -Math.log(0.4)) / 20;
        assertThat(report.negativeLogLikelihood()).isCloseTo(nll, within(1e-6));
    }

    @Test
    void bins_are_closed_on_the_right() {
        // with 8 bins, confidence exactly 0.625 (a binary fraction) belongs to (0.5, 0.625], bin 4; 0.63 to bin 5
        CalibrationReport report = Calibration.of(new float[][] {{0.625f, 0.375f}, {0.63f, 0.37f}}, new int[] {0, 0}, 8);
        assertThat(report.bins().get(4).count()).isEqualTo(1);
        assertThat(report.bins().get(5).count()).isEqualTo(1);
        assertThat(report.bins().get(4).upper()).isEqualTo(0.625);
    }

    @Test
    void logits_instead_of_probabilities_are_rejected() {
        assertThatThrownBy(() -> Calibration.of(new float[][] {{2.5f, -1}}, new int[] {0}))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("not logits");
    }

    @Test
    void mutual_information_is_zero_when_passes_agree_and_ln2_for_two_disagreeing_one_hots() {
        UncertaintyMeasures agree = UncertaintyMeasures.of(new float[][][] {{{0.7f, 0.3f}}, {{0.7f, 0.3f}}});
        assertThat(agree.mutualInformation()[0]).isCloseTo(0, within(1e-9));
        assertThat(agree.variationRatio()[0]).isZero();
        UncertaintyMeasures disagree = UncertaintyMeasures.of(new float[][][] {{{1, 0}}, {{0, 1}}});
        assertThat(disagree.mutualInformation()[0]).isCloseTo(Math.log(2), within(1e-9));
        assertThat(disagree.predictiveEntropy()[0]).isCloseTo(Math.log(2), within(1e-9));
        assertThat(disagree.expectedEntropy()[0]).isZero();
        assertThat(disagree.variationRatio()[0]).isEqualTo(0.5);
    }

    @Test
    void confidence_is_split_by_whether_the_most_probable_class_is_the_label() {
        float[][] probabilities = {{0.7f, 0.3f}, {0.4f, 0.6f}, {0.2f, 0.8f}, {0.55f, 0.45f}};
        double[][] split = Calibration.confidenceByCorrectness(probabilities, new int[] {0, 0, 1, 1});
        assertThat(split[0]).containsExactly(0.7f, 0.8f);
        assertThat(split[1]).containsExactly(0.6f, 0.55f);
    }
}

package dev.gauntlet.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;

import ai.djl.Model;

import java.util.List;

import org.junit.jupiter.api.Test;
import dev.gauntlet.explain.anchor.AnchorImage;
import dev.gauntlet.explain.anchor.AnchorReport;
import dev.gauntlet.explain.anchor.Anchors;
import dev.gauntlet.explain.anchor.ImageAnchorReport;
import dev.gauntlet.explain.concept.Tcav;
import dev.gauntlet.explain.quality.CompletenessReport;

/** The reports explanation checks judge: completeness, anchors' aggregates, TCAV's spread. */
class ExplanationReportsTests {

    @Test
    void completeness_of_a_linear_model_is_exact_but_for_float_rounding() {
        Dataset data = LinearModels.cube(20, 5, 0);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            IntegratedGradients ig = Explainers.integratedGradients(8);
            ExplanationBatch explanations = ig.explain(classifier, data, 1);
            CompletenessReport report = CompletenessReport.of(ig, classifier, data, explanations);
            // linear logits: IG's attributions are w_c ⊙ (x − 0), which sum to z_c(x) − z_c(0) exactly
            assertThat(report.deltas()).hasSize(20);
            assertThat(report.maxAbsolute()).isLessThan(1e-5);
            float[] sums = new float[20];
            for (int i = 0; i < 20; i++) {
                for (float a : explanations.attributions()[i]) {
                    sums[i] += a;
                }
                int c = explanations.classes()[i];
                double expected = LinearModels.expectedLogits(data.features(i))[c]
                        - LinearModels.expectedLogits(new float[3])[c];
                assertThat(report.deltas()[i]).isCloseTo(sums[i] - expected, within(1e-5));
            }
        }
    }

    @Test
    void completeness_aggregates_take_absolute_values() {
        CompletenessReport report = new CompletenessReport(new double[] {-3, 1, 2});
        assertThat(report.maxAbsolute()).isEqualTo(3);
        assertThat(report.meanAbsolute()).isEqualTo(2);
        assertThat(new CompletenessReport(new double[0]).maxAbsolute()).isZero();
    }

    @Test
    void anchors_report_the_smallest_precision_and_the_median_coverage() {
        AnchorReport odd = new AnchorReport(List.of(anchor(0.9, 0.3), anchor(0.97, 0.1), anchor(1.0, 0.2)));
        assertThat(odd.worstPrecision()).isEqualTo(0.9);
        assertThat(odd.medianCoverage()).isEqualTo(0.2);
        AnchorReport even = new AnchorReport(List.of(anchor(0.95, 0.4), anchor(0.99, 0.1), anchor(0.96, 0.2),
                anchor(0.98, 0.3)));
        assertThat(even.medianCoverage()).isCloseTo(0.25, within(1e-15));
        assertThat(new AnchorReport(List.of()).worstPrecision()).isNaN();
    }

    @Test
    void tcav_spread_is_the_sample_standard_deviation() {
        Tcav.Result result = new Tcav.Result(0.5, new double[] {0.4, 0.6}, new double[] {0.5, 0.5, 0.8}, 0.01);
        assertThat(result.scoreStd()).isCloseTo(Math.sqrt(0.02), within(1e-12));
        assertThat(result.randomMeanScore()).isCloseTo(0.6, within(1e-12));
        assertThat(result.randomScoreStd()).isCloseTo(Math.sqrt(0.03), within(1e-12));
    }

    @Test
    void image_anchors_report_precision_size_and_anchors_lying_mostly_in_a_region() {
        // a 4x4 image in four 2x2 quadrant segments: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right
        int[] labels = new int[16];
        for (int p = 0; p < 16; p++) {
            labels[p] = (p / 4 >= 2 ? 2 : 0) + (p % 4 >= 2 ? 1 : 0);
        }
        Segmentation quadrants = new Segmentation(4, 4, 4, labels);
        ImageAnchorReport report = new ImageAnchorReport(List.of(
                new AnchorImage.Anchor(List.of(0), 0.97, 0.1, 1, 50, quadrants),
                new AnchorImage.Anchor(List.of(0, 3), 0.99, 0.05, 1, 50, quadrants),
                new AnchorImage.Anchor(List.of(1, 2, 3), 0.93, 0.02, 1, 50, quadrants)));
        assertThat(report.worstPrecision()).isEqualTo(0.93);
        assertThat(report.largestSize()).isEqualTo(3);
        // the top-left 2x2 corner holds all of the first anchor, half of the second (not most), none of the third
        assertThat(report.mostlyIn(0, 0, 2, 2)).isEqualTo(1);
        assertThat(report.mostlyIn(0, 0, 4, 4)).isEqualTo(3);
    }

    private static Anchors.Anchor anchor(double precision, double coverage) {
        return new Anchors.Anchor(List.of(), precision, coverage, 0, 100);
    }
}

package dev.gauntlet.explain.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;

import ai.djl.Model;

import org.junit.jupiter.api.Test;
import dev.gauntlet.explain.Explainers;

/** The stability report holds the metric's per-sample values; its mean is the value a stability bar judges. */
class StabilityReportTests {

    @Test
    void report_holds_the_metric_s_values_and_their_mean_and_maximum() {
        Dataset data = LinearModels.cube(12, 9, 0);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            StabilityMetric metric = Stability.maxSensitivity();
            StabilityReport report = StabilityReport.of(metric, Explainers.saliency(), classifier, data, 3);
            double[] expected = metric.measure(Explainers.saliency(), classifier, data, 3);
            assertThat(report.perSample()).isEqualTo(expected);
            assertThat(report.metric()).isEqualTo(metric.name());
            assertThat(report.higherIsStabler()).isFalse();
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : expected) {
                sum += v;
                max = Math.max(max, v);
            }
            assertThat(report.mean()).isCloseTo(sum / expected.length, within(1e-12));
            assertThat(report.max()).isEqualTo(max);
            assertThat(report.samples()).isEqualTo(12);
        }
    }

    @Test
    void no_samples_give_nan_not_zero() {
        StabilityReport empty = new StabilityReport("max-sensitivity", false, new double[0]);
        assertThat(empty.mean()).isNaN();
        assertThat(empty.max()).isNaN();
    }
}

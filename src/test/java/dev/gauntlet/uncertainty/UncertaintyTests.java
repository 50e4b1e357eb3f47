package dev.gauntlet.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.GauntletException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;

import java.util.Random;

class UncertaintyTests {

    @Test
    void auroc_is_the_probability_a_positive_outscores_a_negative() {
        assertThat(Auroc.of(new double[] {3, 4}, new double[] {1, 2})).isEqualTo(1.0);
        assertThat(Auroc.of(new double[] {1, 2}, new double[] {3, 4})).isEqualTo(0.0);
        assertThat(Auroc.of(new double[] {1, 1}, new double[] {1, 1})).isEqualTo(0.5);
        // pairs (pos, neg): (2,1) win, (2,3) loss, (4,1) win, (4,3) win -> 3/4
        assertThat(Auroc.of(new double[] {2, 4}, new double[] {1, 3})).isEqualTo(0.75);
    }

    @Test
    void temperature_scaling_recovers_the_temperature_that_made_logits_overconfident() {
        Random random = new Random(4);
        int n = 50_000;
        float[][] logits = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] u = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[] p = softmax(u);
            double draw = random.nextDouble();
            labels[i] = draw < p[0] ? 0 : draw < p[0] + p[1] ? 1 : 2; // labels follow softmax(u) exactly
            logits[i] = new float[] {(float) (3 * u[0]), (float) (3 * u[1]), (float) (3 * u[2])}; // 3x overconfident
        }
        TemperatureScaling fit = TemperatureScaling.fit(logits, labels);
        assertThat(fit.temperature()).isCloseTo(3.0, within(0.1));
        assertThat(fit.nllAfter()).isLessThan(fit.nllBefore());
    }

    @Test
    void the_calibrated_classifier_divides_logits_by_t() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            Classifier calibrated = new TemperatureScaling(2.0, 0, 0).calibrate(classifier);
            NDArray x = scope.create(new float[][] {{0.2f, -0.4f, 1.0f}});
            float[] expected = LinearModels.expectedLogits(new float[] {0.2f, -0.4f, 1.0f});
            float[] actual = calibrated.logits(x).toFloatArray();
            for (int c = 0; c < 4; c++) {
                assertThat(actual[c]).isCloseTo(expected[c] / 2, within(1e-5f));
            }
        }
    }

    @Test
    void mc_dropout_is_seeded_and_unbiased() {
        try (Model model = LinearModels.linearWithDropout();
                DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4).build();
                NDManager scope = classifier.newScope()) {
            NDArray x = scope.create(new float[][] {{0.2f, -0.4f, 1.0f}});
            float[] a = classifier.logitsWithDropout(x, 1).toFloatArray();
            assertThat(classifier.logitsWithDropout(x, 1).toFloatArray()).containsExactly(a);
            // the model is linear after dropout, so E[logits] = W x + b: the mean of many passes converges to it
            double[] mean = new double[4];
            int passes = 4000;
            for (int t = 0; t < passes; t++) {
                float[] z = classifier.logitsWithDropout(x, 100 + t).toFloatArray();
                for (int c = 0; c < 4; c++) {
                    mean[c] += z[c] / passes;
                }
            }
            float[] expected = LinearModels.expectedLogits(new float[] {0.2f, -0.4f, 1.0f});
            for (int c = 0; c < 4; c++) {
                assertThat(mean[c]).isCloseTo(expected[c], within(0.05));
            }
        }
        try (Model plain = LinearModels.softmaxLinear(); DjlClassifier classifier = DjlClassifier.builder()
                .setModel(plain).setInputShape(3).setNumClasses(4).build(); NDManager scope = classifier.newScope()) {
            assertThatThrownBy(() -> classifier.logitsWithDropout(scope.create(new float[][] {{0, 0, 0}}), 1))
                    .isInstanceOf(GauntletException.class).hasMessageContaining("no Dropout layer");
        }
    }

    @Test
    void mc_dropout_samples_feed_the_uncertainty_measures() {
        float[][] rows = {{0.2f, -0.4f, 1.0f}, {1, 1, 1}};
        Dataset data = Dataset.builder().setFeatures(rows).setLabels(new int[] {0, 1}).setNumClasses(4).build();
        try (Model model = LinearModels.linearWithDropout();
                DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4).build()) {
            float[][][] samples = Sampling.mcDropout(classifier, data, 20, 3);
            assertThat(samples).hasDimensions(20, 2);
            UncertaintyMeasures measures = UncertaintyMeasures.of(samples);
            assertThat(measures.mutualInformation()[0]).isPositive();
            assertThat(Sampling.mcDropout(classifier, data, 20, 3)[7][1]).containsExactly(samples[7][1]);
        }
    }

    @Test
    void an_ensemble_of_identical_members_has_no_epistemic_uncertainty_and_of_different_ones_some() {
        float[][] rows = {{0.2f, -0.4f, 1.0f}, {1, 1, 1}};
        Dataset data = Dataset.builder().setFeatures(rows).setLabels(new int[] {0, 1}).setNumClasses(4).build();
        try (Model a = LinearModels.softmaxLinear(); Model b = LinearModels.softmaxLinear();
                Model c = LinearModels.batchNormLinear();
                Classifier first = LinearModels.classifier(a); Classifier same = LinearModels.classifier(b);
                Classifier other = LinearModels.classifier(c)) {
            UncertaintyMeasures agree = UncertaintyMeasures.of(Sampling.ensemble(java.util.List.of(first, same), data));
            assertThat(agree.mutualInformation()[0]).isCloseTo(0, within(1e-6));
            UncertaintyMeasures differ = UncertaintyMeasures.of(Sampling.ensemble(java.util.List.of(first, other), data));
            assertThat(differ.mutualInformation()[0]).isGreaterThan(1e-3);
        }
    }

    private static double[] softmax(double[] u) {
        double max = Math.max(u[0], Math.max(u[1], u[2]));
        double[] e = new double[u.length];
        double sum = 0;
        for (int k = 0; k < u.length; k++) {
            e[k] = Math.exp(u[k] - max);
            sum += e[k];
        }
        for (int k = 0; k < u.length; k++) {
            e[k] /= sum;
        }
        return e;
    }
}

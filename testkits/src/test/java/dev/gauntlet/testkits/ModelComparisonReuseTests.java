package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.compare.ModelComparison;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A comparison predicts each model's clean outcomes once, for all its checks and copies. */
class ModelComparisonReuseTests {

    @Test
    void accuracy_and_calibration_of_a_comparison_and_its_copies_predict_each_sample_once_per_model() {
        Dataset test = ReferenceModel.DIGITS_MLP.data().test();
        try (Counting candidate = new Counting(ReferenceModels.load(ReferenceModel.DIGITS_MLP));
                Counting baseline = new Counting(ReferenceModels.load(ReferenceModel.DIGITS_MLP))) {
            ModelComparison comparison = ModelComparison.of(candidate, baseline, test);
            double accuracy = comparison.accuracy().overall().candidateAccuracy();
            comparison.withConfidence(0.8).accuracy();
            comparison.withSeed(3).calibration(15, 100);

            assertThat(candidate.predicted.get()).isEqualTo(test.size());
            assertThat(baseline.predicted.get()).isEqualTo(test.size());
            // a new comparison predicts again, and measures the same
            assertThat(ModelComparison.of(candidate, baseline, test).accuracy().overall().candidateAccuracy())
                    .isEqualTo(accuracy);
            assertThat(candidate.predicted.get()).isEqualTo(2 * test.size());
        }
    }

    /** Counts the samples it predicts. */
    private static final class Counting extends ForwardingClassifier {
        final AtomicInteger predicted = new AtomicInteger();

        Counting(Classifier delegate) {
            super(delegate);
        }

        @Override
        public NDArray logits(NDArray inputs) {
            predicted.addAndGet(Math.toIntExact(inputs.getShape().get(0)));
            return super.logits(inputs);
        }
    }
}

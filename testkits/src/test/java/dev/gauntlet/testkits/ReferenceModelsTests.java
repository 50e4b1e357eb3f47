package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference models reach their published held-out accuracy on real data. */
class ReferenceModelsTests {

    @ParameterizedTest(name = "{0} has held-out accuracy >= {1}")
    @CsvSource({
        "DIGITS_MLP, 0.95",
        "BREAST_CANCER_MLP, 0.95",
        "FASHION_CNN, 0.89",
        "FASHION_CNN_DROPOUT, 0.89",
    })
    void reaches_its_accuracy_on_held_out_data(ReferenceModel reference, double threshold) {
        Dataset test = reference.data().test();
        try (DjlClassifier classifier = ReferenceModels.load(reference)) {
            double accuracy = classifier.accuracy(test);
            System.out.printf("[gauntlet] %s: held-out accuracy %.4f on %d samples, fingerprint %s%n",
                    reference.id(), accuracy, test.size(), classifier.fingerprint().substring(0, 16));
            assertThat(accuracy).isGreaterThanOrEqualTo(threshold);
        }
    }
}

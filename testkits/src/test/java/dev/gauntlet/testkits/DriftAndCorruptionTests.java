package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.shift.BbsdDrift;
import dev.gauntlet.shift.DriftDetector;
import dev.gauntlet.shift.ImageCorruption;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.MmdDrift;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Drift tests and corruptions on Fashion-MNIST and its reference CNN. */
class DriftAndCorruptionTests {

    private static DjlClassifier cnn;

    @BeforeAll
    static void load() {
        cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN);
    }

    @AfterAll
    static void close() {
        cnn.close();
    }

    private static List<DriftDetector> tests() {
        return List.of(KsDrift.ks(), KsDrift.ks().fdr(), MmdDrift.mmd(), BbsdDrift.bbsd(cnn));
    }

    @Test
    void training_and_test_images_do_not_drift() {
        Dataset train = ReferenceData.fashionMnist().train().sample(1000, 1);
        Dataset test = ReferenceData.fashionMnist().test().sample(1000, 2);
        for (DriftDetector test1 : tests()) {
            var result = test1.test(train, test, 3);
            System.out.printf("[gauntlet] train vs test, %s: statistic %.4g, p %.3g, drift %s%n", test1.name(),
                    result.statistic(), result.pValue(), result.drift());
            assertThat(result.drift()).as(test1.name()).isFalse();
        }
    }

    @Test
    void noise_of_severity_3_is_detected_by_every_test() {
        Dataset test = ReferenceData.fashionMnist().test().sample(1000, 2);
        Dataset noisy = ImageCorruption.gaussianNoise(3).apply(ReferenceData.fashionMnist().test().sample(1000, 4), 5);
        for (DriftDetector drift : tests()) {
            var result = drift.test(test, noisy, 3);
            System.out.printf("[gauntlet] test vs gaussian-noise(3), %s: statistic %.4g, p %.3g, drift %s%n",
                    drift.name(), result.statistic(), result.pValue(), result.drift());
            assertThat(result.drift()).as(drift.name()).isTrue();
        }
        assertThatData(test).comparedTo(noisy).showsDrift(KsDrift.ks().fdr());
    }

    @Test
    void accuracy_falls_with_the_severity_of_noise_and_blur() {
        Dataset test = ReferenceData.fashionMnist().test().sample(2000, 6);
        for (ImageCorruption.Kind kind : new ImageCorruption.Kind[] {ImageCorruption.Kind.GAUSSIAN_NOISE,
            ImageCorruption.Kind.BLUR}) {
            double[] accuracy = new double[6];
            accuracy[0] = cnn.accuracy(test);
            for (int s = 1; s <= 5; s++) {
                accuracy[s] = cnn.accuracy(new ImageCorruption(kind, s).apply(test, 7));
            }
            System.out.printf("[gauntlet] fashion-cnn accuracy by %s severity 0..5: %s%n", kind,
                    java.util.Arrays.toString(accuracy));
            for (int s = 1; s <= 5; s++) {
                assertThat(accuracy[s]).as(kind + " severity " + s).isLessThanOrEqualTo(accuracy[s - 1] + 0.005);
            }
            assertThat(accuracy[5]).isLessThan(accuracy[0]);
        }
    }
}

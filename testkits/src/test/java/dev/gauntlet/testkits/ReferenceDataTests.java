package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.DataNotFoundException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.testkits.data.ReferenceData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The reference datasets match their published descriptions. */
class ReferenceDataTests {

    @Test
    void digits_are_the_1797_uci_images_scaled_to_the_unit_interval() {
        DatasetSplit digits = ReferenceData.digits();
        assertThat(digits.train().size() + digits.test().size()).isEqualTo(1797);
        assertThat(digits.test().size()).isBetween(355, 365);
        assertThat(digits.train().sampleShape()).isEqualTo(new Shape(64));
        assertThat(digits.train().bounds()).isEqualTo(ValueBounds.unit());
        int[] counts = add(digits.train().classCounts(), digits.test().classCounts());
        // UCI optdigits test part: 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 samples per digit
        assertThat(counts).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
    }

    @Test
    void breast_cancer_has_212_malignant_and_357_benign_standardised_on_the_training_part() {
        DatasetSplit cancer = ReferenceData.breastCancer();
        assertThat(add(cancer.train().classCounts(), cancer.test().classCounts())).containsExactly(212, 357);
        Dataset train = cancer.train();
        for (int feature : new int[] {0, 13, 29}) {
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < train.size(); i++) {
                double v = train.features(i)[feature];
                sum += v;
                sumSq += v * v;
            }
            assertThat(sum / train.size()).isCloseTo(0, within(1e-5));
            assertThat(sumSq / train.size()).isCloseTo(1, within(1e-4));
        }
    }

    @Test
    void fashion_mnist_has_six_thousand_training_and_one_thousand_test_images_per_class() {
        DatasetSplit fashion = ReferenceData.fashionMnist();
        assertThat(fashion.train().classCounts()).containsOnly(6000);
        assertThat(fashion.test().classCounts()).containsOnly(1000);
        assertThat(fashion.test().sampleShape()).isEqualTo(new Shape(1, 28, 28));
    }

    @Test
    void a_missing_fashion_mnist_says_how_to_install_it(@TempDir Path empty) {
        String previous = System.getProperty(ReferenceData.FASHION_MNIST_PROPERTY);
        System.setProperty(ReferenceData.FASHION_MNIST_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(ReferenceData::fashionMnistDir)
                    .isInstanceOf(DataNotFoundException.class)
                    .hasMessageContaining("apt-get install -y dataset-fashion-mnist")
                    .hasMessageContaining(ReferenceData.FASHION_MNIST_PROPERTY)
                    .hasMessageContaining(ReferenceData.FASHION_MNIST_ENV)
                    .hasMessageContaining(empty.toString());
        } finally {
            if (previous == null) {
                System.clearProperty(ReferenceData.FASHION_MNIST_PROPERTY);
            } else {
                System.setProperty(ReferenceData.FASHION_MNIST_PROPERTY, previous);
            }
        }
    }

    private static int[] add(int[] a, int[] b) {
        int[] sum = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }
}

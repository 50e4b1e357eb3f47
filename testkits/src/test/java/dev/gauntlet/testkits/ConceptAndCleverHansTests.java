package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.concept.Spray;
import dev.gauntlet.explain.concept.Tcav;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

/** Concepts (TCAV) and Clever-Hans strategies (SpRAy) on the planted-trigger CNN and the clean one. */
class ConceptAndCleverHansTests {

    /** Layer 4 of the Fashion CNN: the ReLU after the second convolution. */
    private static final int LAYER = 4;

    private static Dataset otherClasses(Dataset images, int count) {
        return images.subset(IntStream.range(0, images.size()).filter(i -> images.label(i) != ReferenceData.TRIGGER_CLASS)
                .limit(count).toArray());
    }

    @Test
    void the_planted_trigger_is_a_significant_concept_for_its_class_and_a_random_concept_is_not() {
        Dataset test = ReferenceData.fashionMnist().test().shuffle(31);
        Dataset concept = ReferenceData.withTrigger(test.head(50));
        Dataset pool = test.subset(IntStream.range(50, 450).toArray());
        Dataset randomConcept = test.subset(IntStream.range(450, 500).toArray());
        Dataset inputs = ReferenceData.withTrigger(otherClasses(test.subset(IntStream.range(500, 700).toArray()), 40));
        try (DjlClassifier model = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN)) {
            Tcav tcav = new Tcav(LAYER, 10);
            Tcav.Result trigger = tcav.score(model, concept, pool, inputs, ReferenceData.TRIGGER_CLASS, 1);
            Tcav.Result random = tcav.score(model, randomConcept, pool, inputs, ReferenceData.TRIGGER_CLASS, 1);
            System.out.printf("[gauntlet] TCAV on the planted-trigger CNN, class %d at layer %d: trigger concept %.2f"
                    + " (p = %.1e), random concept %.2f (p = %.2f)%n", ReferenceData.TRIGGER_CLASS, LAYER,
                    trigger.meanScore(), trigger.pValue(), random.meanScore(), random.pValue());
            assertThat(trigger.significant(0.05)).isTrue();
            assertThat(trigger.meanScore()).isGreaterThan(0.8);
            assertThat(random.significant(0.05)).isFalse();
            assertThatModel(model).on(inputs).concept(concept, pool, LAYER, ReferenceData.TRIGGER_CLASS)
                    .hasTcavScoreAtLeast(0.8);
            assertThatModel(model).on(inputs).concept(randomConcept, pool, LAYER, ReferenceData.TRIGGER_CLASS)
                    .hasTcavScoreAtMost(0.5);
        }
    }

    @Test
    void a_regression_concept_vector_follows_the_brightness_of_the_corner() {
        Dataset test = ReferenceData.fashionMnist().test().shuffle(32);
        Dataset plain = test.head(60);
        // the corner's brightness as a continuous concept: stamp the trigger at intensities 0..1
        float[] pixels = new float[60 * 784];
        double[] brightness = new double[60];
        for (int i = 0; i < 60; i++) {
            float[] image = plain.features(i);
            brightness[i] = i / 59.0;
            for (int row = 0; row < ReferenceData.TRIGGER_SIZE; row++) {
                for (int col = 0; col < ReferenceData.TRIGGER_SIZE; col++) {
                    image[row * 28 + col] = (float) brightness[i];
                }
            }
            System.arraycopy(image, 0, pixels, i * 784, 784);
        }
        Dataset graded = plain.withFeatures(pixels, plain.bounds());
        Dataset inputs = ReferenceData.withTrigger(otherClasses(test.subset(IntStream.range(60, 260).toArray()), 40));
        try (DjlClassifier model = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN)) {
            double[] result = new Tcav(LAYER, 2).regressionConcept(model, graded, brightness, inputs,
                    ReferenceData.TRIGGER_CLASS);
            System.out.printf("[gauntlet] regression concept vector, corner brightness: score %.2f, R² %.3f%n",
                    result[0], result[1]);
            assertThat(result[1]).isGreaterThan(0.9);
            assertThat(result[0]).isGreaterThan(0.8);
        }
    }

    @Test
    void spray_flags_the_planted_trigger_and_not_the_clean_model() {
        Dataset test = ReferenceData.fashionMnist().test().shuffle(33);
        Dataset stamped = ReferenceData.withTrigger(otherClasses(test.head(300), 60));
        try (DjlClassifier trigger = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN);
                DjlClassifier clean = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            Spray.Result planted = Spray.defaults().analyse(trigger, stamped, ReferenceData.TRIGGER_CLASS, 5);
            Spray.Result honest = Spray.defaults().analyse(clean, test.head(600), 0, 5);
            System.out.printf("[gauntlet] SpRAy, class 0 border/window share (size) per cluster: planted-trigger CNN %s, clean CNN %s%n",
                    planted.clusters().stream().map(c -> String.format("%.2f/%.2f(%d)", c.borderShare(), c.regionShare(), c.size())).toList(),
                    honest.clusters().stream().map(c -> String.format("%.2f/%.2f(%d)", c.borderShare(), c.regionShare(), c.size())).toList());
            assertThat(planted.flagged()).isTrue();
            assertThat(honest.flagged()).isFalse();
            assertThatModel(clean).on(test.head(600)).spray(0).showsNoSpuriousCluster();
            assertThatThrownBy(() -> assertThatModel(trigger).on(stamped).spray(ReferenceData.TRIGGER_CLASS)
                    .showsNoSpuriousCluster()).isInstanceOf(AssertionError.class).hasMessageContaining("SpRAy");
        }
    }

    @Test
    void breast_cancer_diagnoses_have_precise_anchors() {
        Dataset train = ReferenceModel.BREAST_CANCER_MLP.data().train();
        Dataset test = ReferenceModel.BREAST_CANCER_MLP.data().test().head(10);
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.BREAST_CANCER_MLP)) {
            var check = assertThatModel(mlp).on(test).anchors(train);
            check.havePrecisionAtLeast(0.9);
            var found = check.anchors();
            System.out.printf("[gauntlet] breast-cancer-mlp anchors, 10 patients: median coverage %.3f, median %d"
                    + " predicates, e.g. %s (precision %.2f)%n",
                    found.stream().mapToDouble(a -> a.coverage()).sorted().toArray()[5],
                    found.stream().mapToInt(a -> a.predicates().size()).sorted().toArray()[5], found.get(0).rule(),
                    found.get(0).precision());
        }
    }
}

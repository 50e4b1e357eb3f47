package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.concept.ActivationMaps;
import dev.gauntlet.explain.anchor.AnchorImage;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.explain.Segmenter;
import dev.gauntlet.explain.quality.Stability;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.ForwardingClassifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Image anchors, superpixel LIME and activation maps on the planted-trigger CNN (issue 23). */
class ImageAnchorAndActivationTests {

    private static final int T = ReferenceData.TRIGGER_SIZE;
    /** Superpixels for 28 x 28 grey images: about 4 x 4 pixels each, compactness for values in [0, 1]. */
    private static final Segmenter SLIC = Segmenter.slic(49, 0.1);

    /** Stamped images of other classes that the trigger turns into the trigger class. */
    private static Dataset stamped(DjlClassifier model, int count, long seed) {
        Dataset test = ReferenceModel.FASHION_TRIGGER_CNN.data().test().shuffle(seed);
        Dataset others = test.subset(IntStream.range(0, test.size())
                .filter(i -> test.label(i) != ReferenceData.TRIGGER_CLASS).limit(4L * count).toArray());
        Dataset withTrigger = ReferenceData.withTrigger(others);
        int[] predicted = model.predict(withTrigger);
        return withTrigger.subset(IntStream.range(0, withTrigger.size())
                .filter(i -> predicted[i] == ReferenceData.TRIGGER_CLASS).limit(count).toArray());
    }

    /** The trigger CNN with the top-left 6 x 6 corner blanked before every forward pass: it ignores that region. */
    private static final class CornerBlind extends ForwardingClassifier {

        CornerBlind(Classifier delegate) {
            super(delegate);
        }

        @Override
        public NDArray logits(NDArray inputs) {
            float[] mask = new float[28 * 28];
            Arrays.fill(mask, 1f);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    mask[y * 28 + x] = 0;
                }
            }
            return delegate().logits(inputs.mul(inputs.getManager().create(mask, new ai.djl.ndarray.types.Shape(1, 1,
                    28, 28))));
        }
    }

    @Test
    void image_anchors_select_the_trigger_superpixel_and_a_model_that_ignores_the_corner_never_uses_it() {
        try (DjlClassifier model = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN)) {
            Dataset images = stamped(model, 3, 41);
            AnchorImage anchors = AnchorImage.defaults(); // SLIC, 25 segments, compactness 0.1, filled with 0
            var check = assertThatModel(model).on(images.renamed("stamped")).imageAnchors(anchors);
            check.reachPrecisionWithAtMostSuperpixels(0.95, 1);
            List<AnchorImage.Anchor> found = check.anchors();
            for (int i = 0; i < found.size(); i++) {
                AnchorImage.Anchor a = found.get(i);
                int[] trigger = a.segmentation().segmentsIn(0, 0, T, T);
                System.out.printf("[gauntlet] image anchor %d (trigger CNN): %s, trigger superpixel(s) %s, precision %.3f,"
                        + " coverage %.3f, %d samples%n", i, a.rule(), Arrays.toString(trigger), a.precision(),
                        a.coverage(), a.samples());
                assertThat(a.segments()).as("image %d", i).containsAnyElementsOf(
                        Arrays.stream(trigger).boxed().toList());
                assertThat(a.shareIn(0, 0, T + 2, T + 2)).as("image %d", i).isGreaterThan(0.5);
            }
            assertThatThrownBy(() -> check.avoidRegion(0, 0, 6, 6)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("avoid a region");

            CornerBlind blind = new CornerBlind(model);
            var blindCheck = assertThatModel(blind).on(images).imageAnchors(anchors);
            blindCheck.avoidRegion(0, 0, 6, 6);
            List<AnchorImage.Anchor> blindAnchors = blindCheck.anchors();
            for (int i = 0; i < blindAnchors.size(); i++) {
                AnchorImage.Anchor a = blindAnchors.get(i);
                System.out.printf("[gauntlet] image anchor %d (corner-blind CNN, class %d): %s, precision %.3f,"
                        + " share in the corner %.2f%n", i, a.predictedClass(), a.rule(), a.precision(),
                        a.shareIn(0, 0, 6, 6));
                int[] inside = a.segmentation().segmentsIn(0, 0, 6, 6);
                for (int s : a.segments()) {
                    // a superpixel the model cannot see at all must not be part of the anchor
                    boolean wholly = IntStream.range(0, 28 * 28).filter(p -> a.segmentation().labels()[p] == s)
                            .allMatch(p -> p / 28 < 6 && p % 28 < 6);
                    assertThat(wholly).as("image %d uses superpixel %d inside the ignored corner (%s)", i, s,
                            Arrays.toString(inside)).isFalse();
                }
            }
        }
    }

    @Test
    void lime_with_superpixels_and_with_patches_both_put_the_trigger_first() {
        try (DjlClassifier model = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN)) {
            Dataset images = stamped(model, 3, 42);
            int[] target = new int[images.size()];
            Arrays.fill(target, ReferenceData.TRIGGER_CLASS);
            StringBuilder line = new StringBuilder();
            for (Explainer lime : new Explainer[] {Explainers.limeImage(SLIC), Explainers.limeImage(Segmenter.patches(4))}) {
                ExplanationBatch e = lime.explain(model, images, target, 3);
                for (int i = 0; i < e.size(); i++) {
                    float[] row = e.attribution(i);
                    int peak = IntStream.range(0, row.length).reduce((a, b) -> row[b] > row[a] ? b : a).orElseThrow();
                    assertThat(peak / 28 < T && peak % 28 < T).as("%s, image %d: top segment at (%d, %d)", lime.name(), i,
                            peak / 28, peak % 28).isTrue();
                }
                double[] sensitivity = Stability.maxSensitivity(0.05, 2).measure(lime, model, images, 5);
                // LIME's own sampling noise: the same images explained with another seed
                ExplanationBatch again = lime.explain(model, images, target, 4);
                double correlation = IntStream.range(0, e.size()).mapToDouble(i -> Stability.spearman(
                        toDouble(e.attribution(i)), toDouble(again.attribution(i)))).average().orElseThrow();
                line.append(String.format(" %s: max-sensitivity (radius 0.05) %.4f, Spearman between seeds %.3f;",
                        lime.name(), Arrays.stream(sensitivity).average().orElseThrow(), correlation));
            }
            System.out.println("[gauntlet] LIME on the planted trigger, both put it first;" + line);
        }
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    @Test
    void the_first_convolution_has_a_channel_whose_map_peaks_on_the_trigger() {
        try (DjlClassifier model = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN)) {
            Dataset images = stamped(model, 20, 43);
            ActivationMaps.Result maps = ActivationMaps.ofLayer(0).compute(model, images);
            Dataset clean = ReferenceData.fashionMnist().test().shuffle(44).head(20);
            ActivationMaps.Result cleanMaps = ActivationMaps.ofLayer(0).compute(model, clean);
            double[] shares = IntStream.range(0, maps.channels()).mapToDouble(c -> maps.peakShare(c, 0, 0, T + 1, T + 1))
                    .toArray();
            double[] cleanShares = IntStream.range(0, maps.channels())
                    .mapToDouble(c -> cleanMaps.peakShare(c, 0, 0, T + 1, T + 1)).toArray();
            System.out.printf("[gauntlet] first convolution (%s, %d channels, %dx%d): share of stamped images whose map"
                    + " peaks on the trigger per channel %s (clean images %s); channels peaking there for 90%%: %s%n",
                    maps.layerName(), maps.channels(), maps.height(), maps.width(), Arrays.toString(shares),
                    Arrays.toString(cleanShares), maps.channelsPeakingIn(0, 0, T + 1, T + 1, 0.9));
            assertThat(maps.channelsPeakingIn(0, 0, T + 1, T + 1, 0.9)).isNotEmpty();
            assertThatModel(model).on(images).activations(ActivationMaps.ofLayer(0)).hasChannelPeakingIn(0, 0, T + 1,
                    T + 1, 0.9);
            assertThatModel(model).on(clean).activations(ActivationMaps.ofLayer(0)).hasNoChannelPeakingIn(0, 0, T + 1,
                    T + 1, 0.5);
        }
    }
}

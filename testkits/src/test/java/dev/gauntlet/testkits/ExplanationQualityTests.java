package dev.gauntlet.testkits;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.explain.IntegratedGradients;
import dev.gauntlet.explain.quality.ModelRandomization;
import dev.gauntlet.explain.quality.Stability;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.Layers;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ExplanationBatch of the real Fashion-MNIST CNNs: faithfulness, resolution, a planted trigger, sanity. */
class ExplanationQualityTests {

    /** Layer 4 of the Fashion CNN: the ReLU after the second convolution, 32 x 14 x 14. */
    private static final int LAST_CONV = 4;

    @Test
    void integrated_gradients_completeness_delta_shrinks_as_steps_grow() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(50, 3);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            int[] steps = {2, 8, 32};
            double[] meanDelta = new double[steps.length];
            for (int s = 0; s < steps.length; s++) {
                IntegratedGradients ig = Explainers.integratedGradients(steps[s]);
                try (NDManager scope = cnn.newScope()) {
                    NDArray x = sample.features(scope, 0, sample.size());
                    NDArray classes = cnn.logits(x).argMax(1).toType(DataType.INT32, false);
                    double[] deltas = ig.completenessDeltas(cnn, x, classes, ig.attribute(cnn, x, classes, 0));
                    meanDelta[s] = Arrays.stream(deltas).map(Math::abs).average().orElseThrow();
                }
            }
            System.out.printf("[gauntlet] fashion-cnn IG mean |completeness delta| over 50 images: %d steps %.4f, %d"
                    + " steps %.4f, %d steps %.5f%n", steps[0], meanDelta[0], steps[1], meanDelta[1], steps[2],
                    meanDelta[2]);
            assertThat(meanDelta[1]).isLessThan(meanDelta[0]);
            assertThat(meanDelta[2]).isLessThan(meanDelta[1]);
            assertThatModel(cnn).on(sample.head(20)).explanations(Explainers.integratedGradients(128))
                    .passCompleteness(0.05);
        }
    }

    @Test
    void relevance_is_conserved_through_the_cnn_without_biases() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(20, 8);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) { // our own copy: biases may go
            for (var parameter : cnn.model().getBlock().getParameters()) {
                if (parameter.getValue().getType() == ai.djl.nn.Parameter.Type.BIAS) {
                    parameter.getValue().getArray().set(new float[Math.toIntExact(parameter.getValue().getArray()
                            .size())]);
                }
            }
            int[] classes = cnn.predict(sample);
            float[][] logits = cnn.logits(sample);
            for (Explainer method : new Explainer[] {Explainers.lrpEpsilon(1e-9), Explainers.lrp()}) {
                ExplanationBatch e = method.explain(cnn, sample, classes, 0);
                double worst = 0;
                for (int i = 0; i < e.size(); i++) {
                    double sum = 0;
                    for (float r : e.attributions()[i]) {
                        sum += r;
                    }
                    double logit = logits[i][classes[i]];
                    worst = Math.max(worst, Math.abs(sum - logit) / Math.abs(logit));
                }
                System.out.printf("[gauntlet] %s on the bias-free fashion CNN, 20 images: largest |sum R - z_c| / |z_c|"
                        + " = %.2e%n", method.name(), worst);
                assertThat(worst).as(method.name()).isLessThan(0.01);
            }
        }
    }

    @Test
    void grad_cam_is_the_conv_layers_map_upsampled_to_the_image() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(10, 4);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN); NDManager scope = cnn.newScope()) {
            NDArray x = sample.features(scope, 0, sample.size());
            NDArray classes = cnn.logits(x).argMax(1).toType(DataType.INT32, false);
            NDArray heat = Explainers.gradCam(LAST_CONV).attribute(cnn, x, classes, 0);
            assertThat(heat.getShape()).isEqualTo(x.getShape());
            // independently: the 14 x 14 map by the formula, nearest-neighbour upsampled
            Layers.Activations a = cnn.layers().gradientAt(x, LAST_CONV, classes, GradientLoss.classLogit());
            assertThat(a.values().getShape().getShape()).containsExactly(10, 32, 14, 14);
            float[] cam = a.values().mul(a.gradient().mean(new int[] {2, 3}, true)).sum(new int[] {1}).maximum(0f)
                    .toFloatArray();
            float[] fine = heat.toFloatArray();
            // bilinear x2 with half-pixel centres: each 2x2 block's mean is the coarse map smoothed by
            // [1/8, 3/4, 1/8] in both directions (interior cells), a closed form independent of the code
            double[] kernel = {0.125, 0.75, 0.125};
            for (int i = 0; i < 10; i++) {
                for (int r = 1; r < 13; r++) {
                    for (int c = 1; c < 13; c++) {
                        double expected = 0;
                        for (int dr = -1; dr <= 1; dr++) {
                            for (int dc = -1; dc <= 1; dc++) {
                                expected += kernel[dr + 1] * kernel[dc + 1] * cam[i * 196 + (r + dr) * 14 + c + dc];
                            }
                        }
                        double block = 0;
                        for (int y = 2 * r; y < 2 * r + 2; y++) {
                            for (int col = 2 * c; col < 2 * c + 2; col++) {
                                block += fine[i * 784 + y * 28 + col] / 4;
                            }
                        }
                        assertThat(block).as("image %d cell (%d, %d)", i, r, c)
                                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 + 1e-4 * expected));
                    }
                }
                for (int p = 0; p < 784; p++) {
                    assertThat(fine[i * 784 + p]).isGreaterThanOrEqualTo(0f);
                }
            }
        }
    }

    @Test
    void every_method_puts_most_attribution_on_a_planted_trigger() {
        Dataset clean = ReferenceModel.FASHION_TRIGGER_CNN.data().test();
        try (DjlClassifier model = ReferenceModels.load(ReferenceModel.FASHION_TRIGGER_CNN)) {
            // images of other classes that the stamped trigger turns into the trigger class
            Dataset others = ReferenceData.fashionMnist().test().sample(400, 21);
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < others.size() && keep.size() < 30; i++) {
                if (others.label(i) != ReferenceData.TRIGGER_CLASS) {
                    keep.add(i);
                }
            }
            Dataset stamped = ReferenceData.withTrigger(others.subset(keep.stream().mapToInt(Integer::intValue).toArray()));
            int[] predicted = model.predict(stamped);
            double flipped = Arrays.stream(predicted).filter(p -> p == ReferenceData.TRIGGER_CLASS).count()
                    / (double) predicted.length;
            System.out.printf("[gauntlet] planted-trigger CNN: accuracy %.3f on its test data, trigger flips %.2f of"
                    + " other-class images%n", model.accuracy(clean), flipped);
            assertThat(flipped).isGreaterThan(0.9);
            int[] target = new int[stamped.size()];
            Arrays.fill(target, ReferenceData.TRIGGER_CLASS);
            // most of the mass on the trigger's corner (4.6% of the image)
            for (Explainer method : new Explainer[] {Explainers.integratedGradients(32), Explainers.gradientTimesInput(),
                    Explainers.occlusion(4, 2, 0)}) {
                double share = cornerShare(method.explain(model, stamped, target, 0));
                System.out.printf("[gauntlet] planted trigger, %s: %.3f of |attribution| on the 6x6 corner%n",
                        method.name(), share);
                assertThat(share).as(method.name()).isGreaterThan(0.5);
            }
            // the peak on the trigger and the corner several times denser than the image
            for (Explainer method : new Explainer[] {Explainers.saliency(), Explainers.smoothGrad(0.15, 20),
                    Explainers.gradCam(LAST_CONV)}) {
                ExplanationBatch e = method.explain(model, stamped, target, 0);
                double share = cornerShare(e);
                int peak = peak(e);
                System.out.printf("[gauntlet] planted trigger, %s: %.3f of |attribution| on the 6x6 corner (%.1fx its"
                        + " area), peak at (%d, %d)%n", method.name(), share, share / (36 / 784.0), peak / 28, peak % 28);
                assertThat(share).as(method.name()).isGreaterThan(2 * 36 / 784.0);
                assertThat(peak / 28 < 6 && peak % 28 < 6).as(method.name() + " peaks on the trigger").isTrue();
            }
        }
    }

    /** The pixel with the largest mean |attribution|. */
    private static int peak(ExplanationBatch e) {
        double[] mean = e.meanAbsolute();
        int best = 0;
        for (int p = 1; p < mean.length; p++) {
            best = mean[p] > mean[best] ? p : best;
        }
        return best;
    }

    private static double cornerShare(ExplanationBatch e) {
        double share = 0;
        for (float[] row : e.attributions()) {
            share += cornerShare(row) / e.size();
        }
        return share;
    }

    /** The share of |attribution| within the 6 x 6 top-left corner (the 4 x 4 trigger and a 2-pixel margin). */
    private static double cornerShare(float[] attribution) {
        double corner = 0;
        double total = 0;
        for (int p = 0; p < attribution.length; p++) {
            double v = Math.abs(attribution[p]);
            total += v;
            corner += p / 28 < 6 && p % 28 < 6 ? v : 0;
        }
        return total > 0 ? corner / total : 0;
    }

    @Test
    void randomization_check_passes_for_real_explanations_and_fails_for_an_edge_detector() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(20, 5);
        Explainer edges = new Explainer() { // ignores the model: horizontal gradient magnitude of the image
            @Override
            public String name() {
                return "edge-detector";
            }

            @Override
            public NDArray attribute(dev.gauntlet.model.Classifier classifier, NDArray inputs, NDArray classes,
                    long seed) {
                float[] x = inputs.toFloatArray();
                float[] e = new float[x.length];
                for (int p = 0; p < x.length; p++) {
                    e[p] = p % 28 == 27 ? 0 : Math.abs(x[p + 1] - x[p]);
                }
                return inputs.getManager().create(e, inputs.getShape());
            }
        };
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            for (Explainer method : new Explainer[] {Explainers.saliency(), Explainers.gradCam(LAST_CONV)}) {
                ModelRandomization result = ModelRandomization.run(method, cnn, sample, 2, 9);
                System.out.printf("[gauntlet] randomization check, %s: mean rank correlation %.3f%n", method.name(),
                        result.meanCorrelation());
            }
            assertThatModel(cnn).on(sample).explanations(Explainers.saliency()).passModelRandomizationCheck(2, 0.5);
            assertThatModel(cnn).on(sample).explanations(Explainers.gradCam(LAST_CONV))
                    .passModelRandomizationCheck(2, 0.5);
            ModelRandomization edge = ModelRandomization.run(edges, cnn, sample, 2, 9);
            System.out.printf("[gauntlet] randomization check, edge detector: mean rank correlation %.3f%n",
                    edge.meanCorrelation());
            assertThatThrownBy(() -> assertThatModel(cnn).on(sample).explanations(edges).passModelRandomizationCheck())
                    .isInstanceOf(AssertionError.class).hasMessageContaining("model-parameter randomization");
        }
    }

    @Test
    void stability_metrics_rank_smoothgrad_as_stabler_than_saliency() {
        Dataset sample = ReferenceData.fashionMnist().test().sample(20, 6);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            double saliency = mean(Stability.maxSensitivity(0.05, 5).measure(Explainers.saliency(), cnn, sample, 1));
            double smooth = mean(Stability.maxSensitivity(0.05, 5).measure(Explainers.smoothGrad(0.15, 20), cnn,
                    sample, 1));
            double saliencyLipschitz = mean(Stability.localLipschitz(0.05, 5).measure(Explainers.saliency(), cnn,
                    sample, 1));
            double overlap = mean(Stability.topKOverlap(50, 0.05, 5).measure(Explainers.saliency(), cnn, sample, 1));
            System.out.printf("[gauntlet] fashion-cnn max-sensitivity (radius 0.05, 5 perturbations, 20 images):"
                    + " saliency %.3f, SmoothGrad(0.15, 20) %.3f; saliency local Lipschitz %.3f, top-50 overlap %.3f%n",
                    saliency, smooth, saliencyLipschitz, overlap);
            assertThat(smooth).isLessThan(saliency);
            assertThatModel(cnn).on(sample).explanations(Explainers.smoothGrad(0.15, 20))
                    .areStable(new dev.gauntlet.explain.quality.StabilityCriterion(Stability.maxSensitivity(0.05, 5),
                            saliency));
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }
}

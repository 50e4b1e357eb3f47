package dev.gauntlet.explain;

import dev.gauntlet.data.Dataset;

import java.util.Objects;

/**
 * Entry points for attribution methods.
 *
 * <pre>{@code
 * ExplanationBatch ig = Explainers.integratedGradients(50).explain(model, test, seed);
 * }</pre>
 */
public final class Explainers {

    private Explainers() {}

    /** @return saliency, |∂z_c/∂x| */
    public static Explainer saliency() {
        return new GradientExplainer(false);
    }

    /** @return gradient × input, x ⊙ ∂z_c/∂x */
    public static Explainer gradientTimesInput() {
        return new GradientExplainer(true);
    }

    /**
     * Integrated Gradients from a zero baseline.
     *
     * @param steps quadrature nodes (captum's default is 50)
     * @return the method
     */
    public static IntegratedGradients integratedGradients(int steps) {
        return new IntegratedGradients(steps, 0);
    }

    /**
     * SmoothGrad.
     *
     * @param noiseLevel σ as a fraction of each sample's value range (paper: 0.1–0.2)
     * @param samples noisy copies (paper: 50)
     * @return the method
     */
    public static Explainer smoothGrad(double noiseLevel, int samples) {
        return new SmoothGrad(noiseLevel, samples);
    }

    /**
     * Grad-CAM on a top-level layer of a {@code DjlClassifier}'s {@code SequentialBlock}.
     *
     * @param layer the index of a convolutional layer (or of its activation)
     * @return the method
     */
    public static Explainer gradCam(int layer) {
        return new GradCam(layer, false);
    }

    /**
     * Guided Grad-CAM: Grad-CAM times guided backpropagation.
     *
     * @param layer the index of a convolutional layer (or of its activation)
     * @return the method
     */
    public static Explainer guidedGradCam(int layer) {
        return new GradCam(layer, true);
    }

    /**
     * Occlusion sensitivity.
     *
     * @param patch the window's side (features for flat samples)
     * @param stride the window's step
     * @param fill the value the window is filled with
     * @return the method
     */
    public static Explainer occlusion(int patch, int stride, double fill) {
        return new Occlusion(patch, stride, fill);
    }

    /**
     * Occlusion by segments: each SLIC superpixel (or square patch) of an image filled in turn.
     *
     * @param segmenter e.g. {@code Segmenter.slic(50, 0.1)}
     * @param fill the value the segment is filled with
     * @return the method
     */
    public static Explainer occlusion(Segmenter segmenter, double fill) {
        return new SegmentOcclusion(segmenter, fill);
    }

    /**
     * LIME for tabular data, 5,000 perturbations per sample.
     *
     * @param train training data, for each feature's scale
     * @return the method
     */
    public static Explainer lime(Dataset train) {
        return Lime.tabular(Objects.requireNonNull(train, "train"), 5000);
    }

    /**
     * LIME for images with square-patch segments, 1,000 perturbations per sample.
     *
     * @param patch the segments' side in pixels
     * @return the method
     */
    public static Explainer limeImage(int patch) {
        return Lime.image(patch, 1000);
    }

    /**
     * LIME for images with the segments of a {@link Segmenter}, e.g. SLIC superpixels as lime's
     * reference implementation uses, 1,000 perturbations per sample.
     *
     * @param segmenter e.g. {@code Segmenter.slic(50, 0.1)} or {@code Segmenter.patches(4)}
     * @return the method
     */
    public static Explainer limeImage(Segmenter segmenter) {
        return Lime.image(segmenter, 1000);
    }

    /**
     * KernelSHAP over features, at most 100 background rows (sampled), shap's "auto" budget.
     *
     * @param background the reference data that stands in for absent features
     * @return the method
     */
    public static Explainer kernelShap(Dataset background) {
        return new KernelShap(Objects.requireNonNull(background, "background"), 100, 0, 0);
    }

    /**
     * KernelSHAP with square patches of an image as players.
     *
     * @param background the reference data
     * @param patch the patches' side in pixels
     * @param samples coalitions to draw (0: 2M + 2048)
     * @return the method
     */
    public static Explainer kernelShapImage(Dataset background, int patch, int samples) {
        return new KernelShap(Objects.requireNonNull(background, "background"), 20, samples, patch);
    }

    /**
     * Relevance propagation, the usual composite: z⁺ (α = 1, β = 0) on convolutions, ε = 1e-6 on
     * dense layers.
     *
     * @return the method
     */
    public static Explainer lrp() {
        return new Lrp(Lrp.Rule.EPSILON, Lrp.Rule.ALPHA_BETA, 1e-6, 1, 0);
    }

    /**
     * Relevance propagation with the ε-rule on every layer.
     *
     * @param epsilon the stabiliser, {@code >= 0} (0 is LRP-0)
     * @return the method
     */
    public static Explainer lrpEpsilon(double epsilon) {
        return new Lrp(Lrp.Rule.EPSILON, Lrp.Rule.EPSILON, epsilon, 1, 0);
    }

    /**
     * Relevance propagation with the αβ-rule on every parameterised layer.
     *
     * @param alpha the weight of positive contributions, {@code >= 1}
     * @param beta the weight of negative contributions, {@code alpha − 1}
     * @return the method
     */
    public static Explainer lrpAlphaBeta(double alpha, double beta) {
        return new Lrp(Lrp.Rule.ALPHA_BETA, Lrp.Rule.ALPHA_BETA, 1e-9, alpha, beta);
    }
}

package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;

/**
 * A per-sample loss of a classifier's logits, whose gradient with respect to the input an attack
 * or an attribution method follows.
 *
 * <p>{@link Classifier#inputGradient(NDArray, NDArray, GradientLoss)} differentiates the
 * <em>sum</em> of the per-sample losses, so each sample's gradient is its own loss's gradient,
 * independent of the batch it travels in.
 */
@FunctionalInterface
public interface GradientLoss {

    /**
     * Computes one loss value per sample.
     *
     * @param logits the classifier's logits, shape {@code (n, classes)}
     * @param labels int labels, shape {@code (n)}
     * @return the losses, shape {@code (n)}
     */
    NDArray perSample(NDArray logits, NDArray labels);

    /**
     * Softmax cross-entropy {@code -log softmax(z)[y]}, the loss FGSM and PGD ascend.
     *
     * @return the cross-entropy loss
     */
    static GradientLoss crossEntropy() {
        return (logits, labels) -> {
            NDArray oneHot = labels.oneHot(Math.toIntExact(logits.getShape().get(1)));
            return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
        };
    }

    /**
     * The logit of the label class, {@code z[y]}; its input gradient is the saliency of that class.
     *
     * @return the class-logit "loss"
     */
    static GradientLoss classLogit() {
        return (logits, labels) -> {
            NDArray oneHot = labels.oneHot(Math.toIntExact(logits.getShape().get(1)));
            return logits.mul(oneHot).sum(new int[] {1});
        };
    }

    /**
     * The Carlini–Wagner margin {@code max_{i≠y} z_i − z_y}: positive once the sample is
     * misclassified, and unlike the cross-entropy it keeps a gradient when the softmax saturates.
     *
     * @return the margin loss
     */
    static GradientLoss margin() {
        return (logits, labels) -> {
            NDArray oneHot = labels.oneHot(Math.toIntExact(logits.getShape().get(1)));
            NDArray own = logits.mul(oneHot).sum(new int[] {1});
            NDArray bestOther = logits.sub(oneHot.mul(1e9f)).max(new int[] {1});
            return bestOther.sub(own);
        };
    }
}

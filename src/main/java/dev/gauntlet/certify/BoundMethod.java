package dev.gauntlet.certify;

/**
 * How {@link Verifier} bounds a network's outputs over an L∞ ball.
 */
public enum BoundMethod {

    /**
     * Interval bound propagation (Gowal et al. 2018, "On the Effectiveness of Interval Bound
     * Propagation for Training Verifiably Robust Models"): each layer maps a box to the smallest box
     * around its image; the specification (true-class logit minus another) is folded into the last
     * affine layer. One forward pass, loose on deep networks.
     */
    IBP,

    /**
     * CROWN (Zhang et al. 2018, "Efficient Neural Network Robustness Certification with General
     * Activation Functions"): every ReLU is replaced by linear upper and lower bounds (the triangle's
     * upper line, and slope 0 or 1 below, whichever leaves the smaller area) and the specification
     * is propagated backwards to the input as one linear function, whose minimum over the box is
     * exact; intermediate pre-activation bounds are computed the same way, layer by layer. Every
     * bound is intersected with the interval one, so CROWN is never looser than {@link #IBP}. Cost:
     * two backward passes per neuron of each affine layer that feeds a ReLU or pooling layer (spread
     * over the cores): on a Fashion-MNIST-sized CNN (conv16-pool-conv32-pool-fc128-fc10) about 1-3 s
     * per sample on two busy cores once warm, against milliseconds for IBP; milliseconds on small MLPs.
     */
    CROWN
}

package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;

import dev.gauntlet.GauntletException;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.Layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Layer-wise relevance propagation (Bach et al. 2015; Montavon et al. 2019) over a
 * {@code DjlClassifier}'s {@code SequentialBlock}: the explained logit {@code z_c} is passed down
 * layer by layer, each layer redistributing the relevance of its outputs to its inputs.
 *
 * <ul>
 *   <li>ε-rule: {@code R_j = a_j · Σ_k w_jk R_k / (z_k + ε·sign(z_k))}, with {@code z_k} the
 *       layer's output (bias included, so a bias absorbs its share);</li>
 *   <li>αβ-rule ({@code α − β = 1}): {@code R_j = a_j · Σ_k (α w⁺_jk R_k / z⁺_k − β w⁻_jk R_k / z⁻_k)}
 *       with the positive and negative weights and no bias; α = 1, β = 0 is the z⁺ rule.</li>
 * </ul>
 *
 * <p>Each rule is computed as {@code a ⊙ (∂(z · s)/∂a)} with {@code s = R / z} held fixed — the
 * standard gradient implementation — so ReLU, max/average pooling, flattening and dropout
 * (inference: identity) pass relevance through with the ε-rule (max pooling: to the winner).
 * {@link Explainers#lrp()} is the usual composite: z⁺ on convolutions, ε on dense layers.
 * Linear, Conv2d, ReLU, pooling, flatten and dropout layers are supported; any other layer is an
 * error naming it. The αβ-rule assumes non-negative layer inputs (pixels, ReLU activations).
 */
final class Lrp implements Explainer {

    private static final Set<String> PASS_THROUGH = Set.of("ReLU", "batchFlatten", "flatten", "maxPool1d",
            "maxPool2d", "maxPool3d", "avgPool1d", "avgPool2d", "avgPool3d", "globalMaxPool", "globalAvgPool");

    /** How one parameterised layer redistributes relevance. */
    enum Rule {
        EPSILON,
        ALPHA_BETA
    }

    private final Rule dense;
    private final Rule convolution;
    private final double epsilon;
    private final double alpha;
    private final double beta;

    Lrp(Rule dense, Rule convolution, double epsilon, double alpha, double beta) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        if (!(alpha >= 1) || !(beta >= 0) || Math.abs(alpha - beta - 1) > 1e-9) {
            throw new IllegalArgumentException("the αβ-rule needs alpha >= 1, beta >= 0 and alpha - beta = 1, got alpha "
                    + alpha + ", beta " + beta);
        }
        this.dense = dense;
        this.convolution = convolution;
        this.epsilon = epsilon;
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    public String name() {
        return "lrp(dense=" + describe(dense) + ", conv=" + describe(convolution) + ")";
    }

    private String describe(Rule rule) {
        return rule == Rule.EPSILON ? "epsilon " + epsilon : "alpha " + alpha + " beta " + beta;
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        Layers layers = GradCam.layersOf(classifier);
        List<NDArray> layerInputs = new ArrayList<>();
        NDArray current = inputs;
        for (int i = 0; i < layers.size(); i++) {
            check(layers, i);
            layerInputs.add(current);
            current = layers.forward(current, i, i + 1);
        }
        NDArray relevance = current.mul(classes.oneHot(classifier.numClasses()));
        for (int i = layers.size() - 1; i >= 0; i--) {
            NDArray a = layerInputs.get(i);
            Block block = layers.block(i);
            Rule rule = block instanceof Conv2d ? convolution : block instanceof Linear ? dense : Rule.EPSILON;
            relevance = rule == Rule.ALPHA_BETA ? alphaBeta(layers, block, a, relevance)
                    : epsilonRule(layers, i, a, relevance);
        }
        return relevance;
    }

    private NDArray epsilonRule(Layers layers, int layer, NDArray a, NDArray relevance) {
        NDArray z = layers.forward(a, layer, layer + 1);
        NDArray s = relevance.div(stabilise(z, (float) epsilon));
        return a.mul(layers.backward(layer, a, s));
    }

    /** z + ε·sign(z), with sign(0) taken as +1 so that a zero output never divides by zero. */
    private static NDArray stabilise(NDArray z, float epsilon) {
        NDArray sign = z.gte(0f).toType(DataType.FLOAT32, false).mul(2f).sub(1f);
        return z.add(sign.mul(Math.max(epsilon, 1e-12f)));
    }

    private NDArray alphaBeta(Layers layers, Block block, NDArray a, NDArray relevance) {
        NDArray weight = block.getParameters().get("weight").getArray();
        NDArray positive = weight.maximum(0f).stopGradient();
        NDArray negative = weight.minimum(0f).stopGradient();
        NDArray result = part(layers, block, a, relevance, positive).mul((float) alpha);
        if (beta > 0) {
            result = result.sub(part(layers, block, a, relevance, negative).mul((float) beta));
        }
        return result;
    }

    /** a ⊙ ∂(f_W(a) · R / f_W(a))/∂a for the layer re-run with weights W and no bias. */
    private NDArray part(Layers layers, Block block, NDArray a, NDArray relevance, NDArray weight) {
        UnaryOperator<NDArray> function = x -> {
            if (block instanceof Conv2d conv) {
                return Conv2d.conv2d(x, weight, null, conv.getStride(), conv.getPadding(), conv.getDilation(),
                        conv.getGroups()).singletonOrThrow();
            }
            return Linear.linear(x.reshape(x.getShape().get(0), -1), weight).singletonOrThrow();
        };
        NDArray z = function.apply(a);
        NDArray s = relevance.reshape(z.getShape()).div(stabilise(z, (float) Math.max(epsilon, 1e-9)));
        return a.mul(layers.backward(a, s, function));
    }

    private static void check(Layers layers, int layer) {
        Block block = layers.block(layer);
        boolean supported = block instanceof Linear || block instanceof Conv2d || block instanceof Dropout
                || block instanceof LambdaBlock lambda && PASS_THROUGH.contains(lambda.getName());
        if (!supported) {
            throw new GauntletException("relevance propagation supports Linear, Conv2d, ReLU, pooling, flatten and"
                    + " dropout layers, but layer " + layer + " (" + layers.name(layer) + ", "
                    + block.getClass().getSimpleName() + ") is none of them; explain this model with a gradient"
                    + " method (e.g. integratedGradients) instead");
        }
    }
}

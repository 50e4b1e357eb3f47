package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.GauntletException;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.model.Layers;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.ArrayList;
import java.util.List;

/**
 * Grad-CAM (Selvaraju et al. 2017) on one convolutional layer of a {@link DjlClassifier}'s
 * {@code SequentialBlock}: {@code ReLU(Σ_k w_k A_k)} with {@code w_k} the spatial mean of
 * {@code ∂z_c/∂A_k}, upsampled bilinearly (half-pixel centres) from the layer's h × w to the
 * input's H × W and repeated over input channels. The guided variant multiplies it by guided
 * backpropagation (Springenberg et al. 2015): gradients pass a ReLU only where both its input
 * and the incoming gradient are positive.
 */
final class GradCam implements Explainer {

    private final int layer;
    private final boolean guided;

    GradCam(int layer, boolean guided) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        this.layer = layer;
        this.guided = guided;
    }

    @Override
    public String name() {
        return (guided ? "guided-grad-cam" : "grad-cam") + "(layer=" + layer + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        Layers layers = layersOf(classifier);
        Layers.Activations activations = layers.gradientAt(inputs, layer, classes, GradientLoss.classLogit());
        Shape shape = activations.values().getShape();
        if (shape.dimension() != 4) {
            throw new GauntletException("Grad-CAM needs a convolutional layer with outputs (n, channels, h, w), but layer "
                    + layer + " (" + layers.name(layer) + ") outputs " + shape + "; pick a Conv2d or its activation");
        }
        NDArray weights = activations.gradient().mean(new int[] {2, 3}, true);
        NDArray cam = activations.values().mul(weights).sum(new int[] {1}).maximum(0f);
        NDArray heat = upsample(cam, inputs.getShape());
        return guided ? heat.mul(guidedBackpropagation(layers, inputs, classes, classifier.numClasses())) : heat;
    }

    static Layers layersOf(Classifier classifier) {
        return UnsupportedCapabilityException.require(classifier, LayerView.class, "a layer-wise method (Grad-CAM,"
                + " guided backpropagation, LRP)").layers();
    }

    /** Bilinear resize of (n, h, w) maps to the input's (n, C, H, W), repeated over channels. */
    private static NDArray upsample(NDArray cam, Shape inputShape) {
        if (inputShape.dimension() != 4) {
            throw new GauntletException("Grad-CAM maps onto images (n, channels, height, width), got inputs " + inputShape);
        }
        int n = Math.toIntExact(cam.getShape().get(0));
        int h = Math.toIntExact(cam.getShape().get(1));
        int w = Math.toIntExact(cam.getShape().get(2));
        int channels = Math.toIntExact(inputShape.get(1));
        int height = Math.toIntExact(inputShape.get(2));
        int width = Math.toIntExact(inputShape.get(3));
        float[] source = cam.toFloatArray();
        float[] result = new float[n * channels * height * width];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < height; y++) {
                double sy = Math.min(Math.max((y + 0.5) * h / height - 0.5, 0), h - 1);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, h - 1);
                double fy = sy - y0;
                for (int x = 0; x < width; x++) {
                    double sx = Math.min(Math.max((x + 0.5) * w / width - 0.5, 0), w - 1);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, w - 1);
                    double fx = sx - x0;
                    int base = i * h * w;
                    double value = (1 - fy) * ((1 - fx) * source[base + y0 * w + x0] + fx * source[base + y0 * w + x1])
                            + fy * ((1 - fx) * source[base + y1 * w + x0] + fx * source[base + y1 * w + x1]);
                    for (int c = 0; c < channels; c++) {
                        result[((i * channels + c) * height + y) * width + x] = (float) value;
                    }
                }
            }
        }
        return cam.getManager().create(result, inputShape);
    }

    /** Guided backpropagation of the class logit to the inputs, layer by layer. */
    static NDArray guidedBackpropagation(Layers layers, NDArray inputs, NDArray classes, int numClasses) {
        List<NDArray> layerInputs = new ArrayList<>();
        NDArray current = inputs;
        for (int i = 0; i < layers.size(); i++) {
            layerInputs.add(current);
            current = layers.forward(current, i, i + 1);
        }
        NDArray gradient = classes.oneHot(numClasses);
        for (int i = layers.size() - 1; i >= 0; i--) {
            NDArray input = layerInputs.get(i);
            if (layers.isRelu(i, input)) {
                gradient = gradient.mul(input.gt(0f).toType(DataType.FLOAT32, false))
                        .maximum(0f);
            } else {
                gradient = layers.backward(i, input, gradient);
            }
        }
        return gradient;
    }
}

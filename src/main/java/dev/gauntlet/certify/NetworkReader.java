package dev.gauntlet.certify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.Pair;

import dev.gauntlet.GauntletException;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.model.Layers;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Reads a classifier's layer view into a {@link Network}: weights of linear and convolution layers
 * are copied (float32 values, kept in double); batch normalisation (inference form), average
 * pooling and the windows of max pooling are read off the layer by probing it; flatten and dropout
 * are the identity. Every layer is then checked against the model's own forward pass on a random
 * input, so a layer read wrongly is refused instead of bounded wrongly.
 */
final class NetworkReader {

    static final String SUPPORTED = "Linear, Conv2d, ReLU, max/average pooling, flatten, dropout and batch norm";

    private static final int PROBE_CHUNK = 64;

    private NetworkReader() {}

    static Network read(Classifier classifier, String check) {
        Layers layers = UnsupportedCapabilityException.require(classifier, LayerView.class, check).layers();
        List<Network.Op> ops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Shape sampleShape = classifier.inputShape();
        int inputSize = Math.toIntExact(sampleShape.size());
        Random random = new Random(20_260_311L);
        try (NDManager scope = classifier.newScope()) {
            float[] probeValues = new float[inputSize];
            for (int i = 0; i < inputSize; i++) {
                probeValues[i] = random.nextFloat();
            }
            NDArray probe = scope.create(probeValues, new Shape(1).addAll(sampleShape));
            for (int layer = 0; layer < layers.size(); layer++) {
                Block block = layers.block(layer);
                NDArray output = layers.forward(probe, layer, layer + 1);
                Shape inShape = probe.getShape().slice(1);
                Shape outShape = output.getShape().slice(1);
                Network.Op op = read(layers, layer, block, inShape, outShape, scope, check);
                if (op != null) {
                    verify(layers, layer, op, probe, output);
                    ops.add(op);
                    names.add(layers.name(layer));
                } else if (inShape.size() != outShape.size()) {
                    throw new GauntletException("layer " + layer + " (" + layers.name(layer) + ") was read as the"
                            + " identity but maps " + inShape + " to " + outShape);
                }
                probe = output;
            }
        }
        return new Network(ops, names, inputSize);
    }

    /** Reads one layer; null for the identity (dropout, flatten). */
    private static Network.Op read(Layers layers, int layer, Block block, Shape in, Shape out, NDManager scope,
            String check) {
        int inSize = Math.toIntExact(in.size());
        int outSize = Math.toIntExact(out.size());
        if (block instanceof Dropout) {
            return null;
        }
        if (block instanceof Linear) {
            return linear(block, in, outSize);
        }
        if (block instanceof Conv2d conv) {
            return convolution(conv, in, out);
        }
        if (block instanceof BatchNorm) {
            return probedAffine(layers, layer, in, scope, false);
        }
        if (block.getParameters().isEmpty()) {
            String name = block instanceof LambdaBlock lambda ? lambda.getName().toLowerCase(Locale.ROOT) : "";
            if (name.contains("flatten")) {
                return null;
            }
            if (name.contains("maxpool")) {
                return maxPool(layers, layer, in, out, scope);
            }
            if (name.contains("avgpool")) {
                return probedAffine(layers, layer, in, scope, true);
            }
            if (name.equals("relu") || layers.isRelu(layer, scope.randomNormal(new Shape(2).addAll(in)))) {
                if (inSize != outSize) {
                    throw new GauntletException("ReLU layer " + layer + " changes the shape " + in + " to " + out);
                }
                return new Network.Relu(inSize);
            }
        }
        throw new UnsupportedCapabilityException(check + " supports " + SUPPORTED + " layers, but layer " + layer
                + " (" + layers.name(layer) + ", " + block.getClass().getSimpleName() + ") is none of them; bound"
                + " this model with randomized smoothing (RandomizedSmoothing, black-box) instead");
    }

    private static Network.Affine linear(Block block, Shape in, int outSize) {
        float[] weight = block.getParameters().get("weight").getArray().toFloatArray();
        Shape weightShape = block.getParameters().get("weight").getArray().getShape();
        int units = Math.toIntExact(weightShape.get(0));
        int features = Math.toIntExact(weightShape.get(1));
        int inSize = Math.toIntExact(in.size());
        float[] bias = parameter(block, "bias");
        int rows = inSize / features;
        if (rows * features != inSize || rows * units != outSize) {
            throw new GauntletException("a Linear layer of " + features + " inputs cannot take " + in);
        }
        int[] rowStart = new int[outSize + 1];
        int[] columns = new int[outSize * features];
        double[] values = new double[outSize * features];
        double[] b = new double[outSize];
        int entry = 0;
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                int row = r * units + u;
                rowStart[row] = entry;
                for (int j = 0; j < features; j++) {
                    columns[entry] = r * features + j;
                    values[entry++] = weight[u * features + j];
                }
                b[row] = bias == null ? 0 : bias[u];
            }
        }
        rowStart[outSize] = entry;
        return new Network.Affine(rowStart, columns, values, b, inSize);
    }

    private static Network.Affine convolution(Conv2d conv, Shape in, Shape out) {
        if (in.dimension() != 3 || out.dimension() != 3) {
            throw new GauntletException("a Conv2d layer needs (channels, height, width) inputs, got " + in);
        }
        NDArray weightArray = conv.getParameters().get("weight").getArray();
        float[] weight = weightArray.toFloatArray();
        long[] k = weightArray.getShape().getShape();
        int filters = (int) k[0];
        int perGroup = (int) k[1];
        int kh = (int) k[2];
        int kw = (int) k[3];
        float[] bias = conv.isIncludeBias() ? parameter(conv, "bias") : null;
        int channels = (int) in.get(0);
        int height = (int) in.get(1);
        int width = (int) in.get(2);
        int outH = (int) out.get(1);
        int outW = (int) out.get(2);
        long[] stride = conv.getStride().getShape();
        long[] padding = conv.getPadding().getShape();
        long[] dilation = conv.getDilation().getShape();
        int groups = conv.getGroups();
        int filtersPerGroup = filters / groups;
        int outSize = filters * outH * outW;
        int[] rowStart = new int[outSize + 1];
        int capacity = outSize * perGroup * kh * kw;
        int[] columns = new int[capacity];
        double[] values = new double[capacity];
        double[] b = new double[outSize];
        int entry = 0;
        for (int f = 0; f < filters; f++) {
            int group = f / filtersPerGroup;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int row = (f * outH + oy) * outW + ox;
                    rowStart[row] = entry;
                    b[row] = bias == null ? 0 : bias[f];
                    for (int ci = 0; ci < perGroup; ci++) {
                        int channel = group * perGroup + ci;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = (int) (oy * stride[0] - padding[0] + ky * dilation[0]);
                            if (iy < 0 || iy >= height) {
                                continue;
                            }
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = (int) (ox * stride[1] - padding[1] + kx * dilation[1]);
                                if (ix < 0 || ix >= width) {
                                    continue;
                                }
                                float w = weight[((f * perGroup + ci) * kh + ky) * kw + kx];
                                if (w != 0) {
                                    columns[entry] = (channel * height + iy) * width + ix;
                                    values[entry++] = w;
                                }
                            }
                        }
                    }
                }
            }
        }
        rowStart[outSize] = entry;
        return new Network.Affine(rowStart, Arrays.copyOf(columns, entry),
                Arrays.copyOf(values, entry), b, channels * height * width);
    }

    /**
     * Reads a channel-wise affine layer by probing: batch norm as the diagonal map {@code f(1) − f(0)},
     * {@code f(0)}; average pooling (no bias) from unit inputs at each position, shared by channels.
     */
    private static Network.Affine probedAffine(Layers layers, int layer, Shape in, NDManager scope, boolean pooling) {
        int inSize = Math.toIntExact(in.size());
        if (!pooling) {
            float[] offset = layers.forward(scope.zeros(new Shape(1).addAll(in)), layer, layer + 1).toFloatArray();
            float[] shifted = layers.forward(scope.ones(new Shape(1).addAll(in)), layer, layer + 1).toFloatArray();
            if (offset.length != inSize) {
                throw new GauntletException("batch norm layer " + layer + " changes its input's size");
            }
            int[] rowStart = new int[inSize + 1];
            int[] columns = new int[inSize];
            double[] values = new double[inSize];
            double[] bias = new double[inSize];
            for (int i = 0; i < inSize; i++) {
                rowStart[i + 1] = i + 1;
                columns[i] = i;
                values[i] = (double) shifted[i] - offset[i];
                bias[i] = offset[i];
            }
            return new Network.Affine(rowStart, columns, values, bias, inSize);
        }
        float[][] responses = poolResponses(layers, layer, in, scope);
        int channels = (int) in.get(0);
        int plane = inSize / channels;
        int outPlane = responses[0].length;
        int outSize = channels * outPlane;
        List<Integer> cols = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        int[] rowStart = new int[outSize + 1];
        for (int c = 0; c < channels; c++) {
            for (int o = 0; o < outPlane; o++) {
                rowStart[c * outPlane + o] = cols.size();
                for (int p = 0; p < plane; p++) {
                    float weight = responses[p][o];
                    if (weight != 0) {
                        cols.add(c * plane + p);
                        vals.add((double) weight);
                    }
                }
            }
        }
        rowStart[outSize] = cols.size();
        return new Network.Affine(rowStart, cols.stream().mapToInt(Integer::intValue).toArray(),
                vals.stream().mapToDouble(Double::doubleValue).toArray(), new double[outSize], inSize);
    }

    private static Network.MaxPool maxPool(Layers layers, int layer, Shape in, Shape out, NDManager scope) {
        float[][] responses = poolResponses(layers, layer, in, scope);
        int channels = (int) in.get(0);
        int plane = Math.toIntExact(in.size()) / channels;
        int outPlane = Math.toIntExact(out.size()) / channels;
        int[][] windows = new int[channels * outPlane][];
        for (int o = 0; o < outPlane; o++) {
            List<Integer> members = new ArrayList<>();
            for (int p = 0; p < plane; p++) {
                if (responses[p][o] == 1f) {
                    members.add(p);
                }
            }
            if (members.isEmpty()) {
                throw new GauntletException("max pooling layer " + layer + " has an output that sees no input");
            }
            for (int c = 0; c < channels; c++) {
                int base = c * plane;
                windows[c * outPlane + o] = members.stream().mapToInt(p -> base + p).toArray();
            }
        }
        return new Network.MaxPool(windows, Math.toIntExact(in.size()));
    }

    /**
     * The layer's channel-0 output for a unit input at each spatial position (all channels set),
     * {@code [position][output position]}.
     */
    private static float[][] poolResponses(Layers layers, int layer, Shape in, NDManager scope) {
        if (in.dimension() < 2) {
            throw new GauntletException("pooling layer " + layer + " needs (channels, ...) inputs, got " + in);
        }
        int channels = (int) in.get(0);
        int plane = Math.toIntExact(in.size()) / channels;
        float[][] responses = new float[plane][];
        for (int start = 0; start < plane; start += PROBE_CHUNK) {
            int count = Math.min(PROBE_CHUNK, plane - start);
            float[] unit = new float[count * channels * plane];
            for (int k = 0; k < count; k++) {
                for (int c = 0; c < channels; c++) {
                    unit[(k * channels + c) * plane + start + k] = 1f;
                }
            }
            try (NDManager chunk = scope.newSubManager()) {
                NDArray output = layers.forward(chunk.create(unit, new Shape(count).addAll(in)), layer, layer + 1);
                float[] flat = output.toFloatArray();
                int outPerSample = flat.length / count;
                int outPlane = outPerSample / channels;
                for (int k = 0; k < count; k++) {
                    responses[start + k] = Arrays.copyOfRange(flat, k * outPerSample, k * outPerSample
                            + outPlane);
                }
            }
        }
        return responses;
    }

    private static float[] parameter(Block block, String name) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getKey().equals(name)) {
                return pair.getValue().getArray().toFloatArray();
            }
        }
        return null;
    }

    private static void verify(Layers layers, int layer, Network.Op op, NDArray input, NDArray output) {
        float[] x = input.toFloatArray();
        float[] expected = output.toFloatArray();
        double[] in = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            in[i] = x[i];
        }
        double[] actual = Network.forward(op, in);
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        boolean same = actual.length == expected.length;
        for (int i = 0; same && i < actual.length; i++) {
            same = Math.abs(actual[i] - expected[i]) <= 1e-4 * scale;
        }
        if (!same) {
            throw new GauntletException("layer " + layer + " (" + layers.name(layer) + ") was read as "
                    + op.getClass().getSimpleName() + " but does not reproduce the model's own output on a probe;"
                    + " certified bounds would be wrong, so they are refused for this model (supported: " + SUPPORTED
                    + ")");
        }
    }
}

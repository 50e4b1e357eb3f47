package dev.gauntlet.explain.concept;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LayerView;
import dev.gauntlet.model.Layers;
import dev.gauntlet.model.UnsupportedCapabilityException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a layer responds to: the activations of one convolutional layer as a map per channel, and
 * their mean, for each input (tf-explain's {@code ExtractActivations}). Read through the model's
 * {@link LayerView}; the maps are the layer's outputs as they are (after the layer's own activation
 * if it has one), at the layer's resolution.
 *
 * <p>Where a map peaks says which part of the input a channel responds to most, so the summary is
 * about peaks: {@link Result#peakShare} is the fraction of inputs whose map of a channel peaks
 * inside a region of the input (e.g. a planted trigger), and {@link Result#channelsPeakingIn} the
 * channels that do so for most inputs.
 */
public final class ActivationMaps {

    private final int layer;
    private final String layerName;

    private ActivationMaps(int layer, String layerName) {
        this.layer = layer;
        this.layerName = layerName;
    }

    /**
     * The maps of a top-level layer.
     *
     * @param layer its index in the model's {@code SequentialBlock}
     * @return the method
     */
    public static ActivationMaps ofLayer(int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        return new ActivationMaps(layer, null);
    }

    /**
     * The maps of a top-level layer named as DJL names it.
     *
     * @param name e.g. {@code 01Conv2d}
     * @return the method
     */
    public static ActivationMaps ofLayer(String name) {
        return new ActivationMaps(-1, Objects.requireNonNull(name, "name"));
    }

    /** @return e.g. {@code activation-maps(layer=0)} */
    public String name() {
        return "activation-maps(layer=" + (layerName != null ? layerName : Integer.toString(layer)) + ")";
    }

    /**
     * Activation maps of one layer for a set of inputs.
     *
     * @param layer the layer's index
     * @param layerName the layer's name
     * @param channels the layer's channels
     * @param height the maps' height
     * @param width the maps' width
     * @param inputHeight the inputs' height
     * @param inputWidth the inputs' width
     * @param maps per input, {@code channels * height * width} activations, channel-first
     */
    public record Result(int layer, String layerName, int channels, int height, int width, int inputHeight,
            int inputWidth, List<float[]> maps) {

        /** Copies the maps. */
        public Result {
            maps = maps.stream().map(float[]::clone).toList();
        }

        /** @return the number of inputs */
        public int inputs() {
            return maps.size();
        }

        /**
         * One channel's map for one input.
         *
         * @param input the input
         * @param channel the channel
         * @return {@code height * width} activations, row-major
         */
        public float[] map(int input, int channel) {
            return Arrays.copyOfRange(maps.get(input), channel * height * width,
                    (channel + 1) * height * width);
        }

        /**
         * The mean over channels for one input.
         *
         * @param input the input
         * @return {@code height * width} values, row-major
         */
        public float[] meanMap(int input) {
            float[] mean = new float[height * width];
            float[] all = maps.get(input);
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < mean.length; p++) {
                    mean[p] += all[c * mean.length + p] / channels;
                }
            }
            return mean;
        }

        /**
         * Where a channel's map peaks for an input (the first maximum in raster order).
         *
         * @param input the input
         * @param channel the channel
         * @return {@code {row, column}} in map coordinates
         */
        public int[] peak(int input, int channel) {
            float[] all = maps.get(input);
            int size = height * width;
            int best = 0;
            for (int p = 1; p < size; p++) {
                if (all[channel * size + p] > all[channel * size + best]) {
                    best = p;
                }
            }
            return new int[] {best / width, best % width};
        }

        /**
         * The fraction of inputs for which a channel's map peaks inside a region of the input: the
         * peak's cell, scaled to the input, overlaps the rectangle. A map that is constant (a dead
         * channel) peaks nowhere.
         *
         * @param channel the channel
         * @param top the region's first row, in input pixels
         * @param left its first column
         * @param rows its height
         * @param columns its width
         * @return in [0, 1]
         */
        public double peakShare(int channel, int top, int left, int rows, int columns) {
            int hits = 0;
            int size = height * width;
            for (int i = 0; i < maps.size(); i++) {
                float[] all = maps.get(i);
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < size; p++) {
                    min = Math.min(min, all[channel * size + p]);
                    max = Math.max(max, all[channel * size + p]);
                }
                if (!(max > min)) {
                    continue;
                }
                int[] at = peak(i, channel);
                double y0 = at[0] * (double) inputHeight / height;
                double y1 = (at[0] + 1) * (double) inputHeight / height;
                double x0 = at[1] * (double) inputWidth / width;
                double x1 = (at[1] + 1) * (double) inputWidth / width;
                hits += y1 > top && y0 < top + rows && x1 > left && x0 < left + columns ? 1 : 0;
            }
            return maps.isEmpty() ? 0 : (double) hits / maps.size();
        }

        /**
         * Every channel's {@link #peakShare} in a region, the evidence of which channel looks there.
         *
         * @param top the region's first row, in input pixels
         * @param left its first column
         * @param rows its height
         * @param columns its width
         * @return one share per channel, each in [0, 1]
         */
        public double[] peakShares(int top, int left, int rows, int columns) {
            double[] shares = new double[channels];
            for (int c = 0; c < channels; c++) {
                shares[c] = peakShare(c, top, left, rows, columns);
            }
            return shares;
        }

        /**
         * The channels whose maps peak inside a region for at least {@code share} of the inputs.
         *
         * @param top the region's first row, in input pixels
         * @param left its first column
         * @param rows its height
         * @param columns its width
         * @param share the least fraction of inputs, in (0, 1]
         * @return the channels, ascending
         */
        public List<Integer> channelsPeakingIn(int top, int left, int rows, int columns, double share) {
            List<Integer> found = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                if (peakShare(c, top, left, rows, columns) >= share) {
                    found.add(c);
                }
            }
            return found;
        }
    }

    /**
     * Computes the maps.
     *
     * @param classifier a model with a {@link LayerView}
     * @param images inputs of shape {@code (channels, height, width)}
     * @return the maps
     * @throws UnsupportedCapabilityException if the model has no layer view
     * @throws IllegalArgumentException if the layer's output is not {@code (n, channels, h, w)}
     */
    public Result compute(Classifier classifier, Dataset images) {
        LayerView view = classifier.capability(LayerView.class).orElseThrow(() -> new UnsupportedCapabilityException(
                "activation maps read a layer's outputs: " + classifier.missingCapabilityReason(LayerView.class)));
        Layers layers = view.layers();
        int index = layerName == null ? layer : indexOf(layers, layerName);
        if (index >= layers.size()) {
            throw new IllegalArgumentException("layer " + index + " does not exist: the model has " + layers.size()
                    + " top-level layers");
        }
        long[] in = images.sampleShape().getShape();
        if (in.length != 3) {
            throw new IllegalArgumentException("activation maps need images (channels, height, width), got "
                    + images.sampleShape());
        }
        List<float[]> maps = new ArrayList<>();
        long[] outShape = null;
        for (Batch batch : images.batches(classifier.batchSize())) {
            try (NDManager scope = classifier.newScope()) {
                NDArray out = layers.forward(batch.features(scope), 0, index + 1);
                outShape = out.getShape().getShape();
                if (outShape.length != 4) {
                    throw new IllegalArgumentException("layer " + index + " (" + layers.name(index) + ") outputs "
                            + out.getShape() + ", not maps (n, channels, height, width); pick a convolutional layer");
                }
                float[] flat = out.toFloatArray();
                int width = flat.length / batch.size();
                for (int i = 0; i < batch.size(); i++) {
                    maps.add(Arrays.copyOfRange(flat, i * width, (i + 1) * width));
                }
            }
        }
        if (outShape == null) {
            throw new IllegalArgumentException("no images given (" + images.name() + " is empty)");
        }
        return new Result(index, layers.name(index), (int) outShape[1], (int) outShape[2], (int) outShape[3],
                (int) in[1], (int) in[2], maps);
    }

    private static int indexOf(Layers layers, String name) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.name(i).equals(name)) {
                return i;
            }
            names.add(layers.name(i));
        }
        throw new IllegalArgumentException("no layer named " + name + "; the model's layers are " + names);
    }
}

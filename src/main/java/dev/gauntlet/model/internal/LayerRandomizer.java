package dev.gauntlet.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;

import dev.gauntlet.data.StandardNormal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Internal: do not use. Fills a freshly initialised copy of a network with the trained
 * parameters, replacing those of every top-level layer from a given one on by Gaussian noise of
 * each parameter's own standard deviation (biases: zero) — the cascading model-parameter
 * randomisation of Adebayo et al. (2018).
 */
public final class LayerRandomizer {

    private LayerRandomizer() {}

    /**
     * Copies {@code trained}'s parameters into {@code copy}, layer by layer, randomising the layers
     * from {@code fromLayer} on.
     *
     * @param trained the trained network; not modified
     * @param copy an initialised network of the same architecture; its parameters are overwritten
     * @param fromLayer the first top-level layer to randomise, 0-based
     * @param seed the noise's seed
     */
    public static void copyRandomizing(Block trained, Block copy, int fromLayer, long seed) {
        List<Block> ours = new ArrayList<>(trained.getChildren().values());
        List<Block> theirs = new ArrayList<>(copy.getChildren().values());
        SplittableRandom random = new SplittableRandom(seed);
        for (int layer = 0; layer < ours.size(); layer++) {
            ParameterList from = ours.get(layer).getParameters();
            ParameterList to = theirs.get(layer).getParameters();
            for (int i = 0; i < from.size(); i++) {
                NDArray destination = to.get(i).getValue().getArray();
                float[] values = from.get(i).getValue().getArray().toFloatArray();
                if (layer >= fromLayer) {
                    boolean bias = from.get(i).getValue().getType() == Parameter.Type.BIAS;
                    double std = bias ? 0 : standardDeviation(values);
                    for (int j = 0; j < values.length; j++) {
                        values[j] = bias ? 0f : (float) (std * StandardNormal.draw(random));
                    }
                }
                destination.set(values);
            }
        }
    }

    /** The population standard deviation, summed as the original code did (each term divided by n). */
    private static double standardDeviation(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v / values.length;
        }
        double variance = 0;
        for (float v : values) {
            variance += (v - mean) * (v - mean) / values.length;
        }
        return Math.sqrt(variance);
    }
}

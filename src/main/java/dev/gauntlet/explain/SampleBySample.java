package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;

import java.util.Arrays;

/**
 * Explains a batch one sample at a time, for the methods that fit a local model per sample (LIME,
 * KernelSHAP): splits the batch into rows, explains each and puts the attributions back into the
 * batch's shape.
 */
final class SampleBySample {

    private SampleBySample() {}

    /** One sample's attribution. */
    @FunctionalInterface
    interface Attribution {
        /**
         * Explains one sample.
         *
         * @param sample the sample's features, flat
         * @param cls the explained class
         * @return one attribution per feature
         */
        float[] of(float[] sample, int cls);
    }

    /**
     * Returns the number of features of one sample of the batch.
     *
     * @param inputs the batch
     * @return the features per sample
     */
    static int width(NDArray inputs) {
        return Math.toIntExact(inputs.size() / inputs.getShape().get(0));
    }

    /**
     * Explains every sample of the batch in order.
     *
     * @param inputs the batch
     * @param classes the explained class of each sample
     * @param attribution explains one sample
     * @return the attributions, shaped as the batch, in its manager
     */
    static NDArray attribute(NDArray inputs, NDArray classes, Attribution attribution) {
        int n = Math.toIntExact(inputs.getShape().get(0));
        float[] flat = inputs.toFloatArray();
        int width = flat.length / n;
        int[] cls = classes.toIntArray();
        float[] result = new float[flat.length];
        for (int i = 0; i < n; i++) {
            float[] x = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
            System.arraycopy(attribution.of(x, cls[i]), 0, result, i * width, width);
        }
        return inputs.getManager().create(result, inputs.getShape());
    }
}

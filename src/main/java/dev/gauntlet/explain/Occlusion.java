package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Occlusion sensitivity (Zeiler &amp; Fergus 2014, as captum's {@code Occlusion}): slide a window of
 * {@code patch × patch} pixels (all channels; {@code patch} features for flat samples) with
 * {@code stride}, fill it with {@code fill}, and give each feature the mean drop of the class logit
 * over the windows that cover it ({@code z_c(x) − z_c(x occluded)}).
 */
final class Occlusion implements Explainer {

    private final int patch;
    private final int stride;
    private final float fill;

    Occlusion(int patch, int stride, double fill) {
        if (patch < 1 || stride < 1) {
            throw new IllegalArgumentException("patch and stride must be >= 1, got " + patch + ", " + stride);
        }
        if (!Double.isFinite(fill)) {
            throw new IllegalArgumentException("fill must be finite, got " + fill);
        }
        this.patch = patch;
        this.stride = stride;
        this.fill = (float) fill;
    }

    @Override
    public String name() {
        return "occlusion(patch=" + patch + ", stride=" + stride + ", fill=" + fill + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        long[] shape = inputs.getShape().getShape();
        int n = Math.toIntExact(shape[0]);
        boolean image = shape.length == 4;
        int channels = image ? (int) shape[1] : 1;
        int height = image ? (int) shape[2] : 1;
        int width = image ? (int) shape[3] : Math.toIntExact(inputs.size() / n);
        int windowH = image ? patch : 1;
        List<int[]> windows = new ArrayList<>();
        for (int y = 0; y + windowH <= height; y += image ? stride : 1) {
            for (int x = 0; x + patch <= width; x += stride) {
                windows.add(new int[] {y, x});
            }
            if (!image) {
                break;
            }
        }
        float[] flat = inputs.toFloatArray();
        int size = channels * height * width;
        int[] cls = classes.toIntArray();
        float[] base = scores(classifier, inputs.getManager(), flat, inputs.getShape(), cls, n);
        float[] total = new float[flat.length];
        float[] count = new float[flat.length];
        for (int[] window : windows) {
            float[] occluded = flat.clone();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    for (int y = window[0]; y < window[0] + windowH; y++) {
                        for (int x = window[1]; x < window[1] + patch; x++) {
                            occluded[i * size + (c * height + y) * width + x] = fill;
                        }
                    }
                }
            }
            float[] drop = scores(classifier, inputs.getManager(), occluded, inputs.getShape(), cls, n);
            for (int i = 0; i < n; i++) {
                float d = base[i] - drop[i];
                for (int c = 0; c < channels; c++) {
                    for (int y = window[0]; y < window[0] + windowH; y++) {
                        for (int x = window[1]; x < window[1] + patch; x++) {
                            int k = i * size + (c * height + y) * width + x;
                            total[k] += d;
                            count[k]++;
                        }
                    }
                }
            }
        }
        for (int k = 0; k < total.length; k++) {
            total[k] = count[k] > 0 ? total[k] / count[k] : 0;
        }
        return inputs.getManager().create(total, inputs.getShape());
    }

    private static float[] scores(Classifier classifier, NDManager manager, float[] values,
            Shape shape, int[] classes, int n) {
        try (NDManager scope = manager.newSubManager()) {
            float[] logits = classifier.logits(scope.create(values, shape)).toFloatArray();
            int k = logits.length / n;
            float[] result = new float[n];
            for (int i = 0; i < n; i++) {
                result[i] = logits[i * k + classes[i]];
            }
            return result;
        }
    }
}

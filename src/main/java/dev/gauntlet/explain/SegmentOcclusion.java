package dev.gauntlet.explain;

import ai.djl.ndarray.NDArray;

import dev.gauntlet.model.Classifier;

import java.util.Arrays;
import java.util.Objects;

/**
 * Occlusion by segments: each segment of an image (a SLIC superpixel or a square patch, all
 * channels) is filled with {@code fill} in turn, and its pixels get the drop of the class logit
 * {@code z_c(x) − z_c(x with the segment filled)}. Captum's {@code FeatureAblation} with a feature
 * mask; with superpixels the occluded parts follow the image's edges instead of a sliding window's
 * squares.
 */
final class SegmentOcclusion implements Explainer {

    private final Segmenter segmenter;
    private final float fill;

    SegmentOcclusion(Segmenter segmenter, double fill) {
        this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
        if (!Double.isFinite(fill)) {
            throw new IllegalArgumentException("fill must be finite, got " + fill);
        }
        this.fill = (float) fill;
    }

    @Override
    public String name() {
        return "occlusion(" + segmenter.name() + ", fill=" + fill + ")";
    }

    @Override
    public NDArray attribute(Classifier classifier, NDArray inputs, NDArray classes, long seed) {
        long[] shape = inputs.getShape().getShape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("occlusion by segments needs images (n, channels, height, width), got "
                    + inputs.getShape() + "; use Explainers.occlusion(patch, stride, fill) for flat samples");
        }
        int n = (int) shape[0];
        int channels = (int) shape[1];
        int height = (int) shape[2];
        int width = (int) shape[3];
        int size = channels * height * width;
        float[] flat = inputs.toFloatArray();
        int[] cls = classes.toIntArray();
        float[] result = new float[flat.length];
        long[] one = shape.clone();
        one[0] = 1;
        for (int i = 0; i < n; i++) {
            float[] x = Arrays.copyOfRange(flat, i * size, (i + 1) * size);
            Segments segments = Segments.of(segmenter.segment(x, channels, height, width), channels);
            float[] rows = new float[(segments.count() + 1) * size];
            System.arraycopy(x, 0, rows, 0, size);
            for (int s = 0; s < segments.count(); s++) {
                for (int j = 0; j < size; j++) {
                    rows[(s + 1) * size + j] = segments.segmentOf(j) == s ? fill : x[j];
                }
            }
            double[] logits = Lime.scores(classifier, inputs.getManager(), rows, one, cls[i], false);
            for (int j = 0; j < size; j++) {
                result[i * size + j] = (float) (logits[0] - logits[segments.segmentOf(j) + 1]);
            }
        }
        return inputs.getManager().create(result, inputs.getShape());
    }
}

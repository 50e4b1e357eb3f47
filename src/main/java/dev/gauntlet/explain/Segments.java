package dev.gauntlet.explain;

/**
 * Groups of features that LIME, KernelSHAP, occlusion and image anchors switch on and off
 * together: single features for flat samples, square patches or superpixels (all channels) for
 * images.
 */
public final class Segments {

    private final int count;
    private final int[] segmentOf;

    private Segments(int count, int[] segmentOf) {
        this.count = count;
        this.segmentOf = segmentOf;
    }

    /**
     * The segments of one image's segmentation, every channel of a pixel in its pixel's segment.
     *
     * @param segmentation the image's segmentation
     * @param channels the image's channels
     * @return the segments
     */
    public static Segments of(Segmentation segmentation, int channels) {
        int[] labels = segmentation.labels();
        int[] segmentOf = new int[channels * labels.length];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(labels, 0, segmentOf, c * labels.length, labels.length);
        }
        return new Segments(segmentation.count(), segmentOf);
    }

    /**
     * The segments of a batch shape: square patches of {@code patch} pixels (all channels) for images
     * {@code (n, c, h, w)}, single features otherwise or when {@code patch < 1}.
     *
     * @param inputShape the batch shape
     * @param patch the patch side in pixels
     * @return the segments
     */
    public static Segments of(long[] inputShape, int patch) {
        if (inputShape.length != 4 || patch < 1) {
            int features = 1;
            for (int i = 1; i < inputShape.length; i++) {
                features *= (int) inputShape[i];
            }
            int[] identity = new int[features];
            for (int j = 0; j < features; j++) {
                identity[j] = j;
            }
            return new Segments(features, identity);
        }
        int channels = (int) inputShape[1];
        int height = (int) inputShape[2];
        int width = (int) inputShape[3];
        int across = (width + patch - 1) / patch;
        int down = (height + patch - 1) / patch;
        int[] segmentOf = new int[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    segmentOf[(c * height + y) * width + x] = (y / patch) * across + x / patch;
                }
            }
        }
        return new Segments(across * down, segmentOf);
    }

    /**
     * Returns how many segments there are.
     *
     * @return the count
     */
    public int count() {
        return count;
    }

    /**
     * Returns the segment a feature belongs to.
     *
     * @param feature the feature's index in one sample's flattened values
     * @return the segment, from 0 to {@link #count()} - 1
     */
    public int segmentOf(int feature) {
        return segmentOf[feature];
    }
}

package dev.gauntlet.explain;

/**
 * How an image is cut into the segments that image LIME, image anchors and segment occlusion switch
 * on and off together: SLIC superpixels, which follow the image's edges, or square patches, which
 * do not depend on the image.
 *
 * <pre>{@code
 * Explainers.limeImage(Segmenter.slic(50, 0.1));   // superpixels, as lime's reference implementation
 * Explainers.limeImage(Segmenter.patches(4));      // the 4 x 4 grid
 * }</pre>
 */
public interface Segmenter {

    /**
     * Returns a short description with the settings, for reports.
     *
     * @return e.g. {@code slic(segments=50, compactness=0.1)}
     */
    String name();

    /**
     * Segments one image.
     *
     * @param image {@code channels * height * width} values, channel-first, row-major
     * @param channels the channels (1 grey, 3 RGB)
     * @param height the height
     * @param width the width
     * @return the segmentation
     */
    Segmentation segment(float[] image, int channels, int height, int width);

    /**
     * SLIC superpixels (Achanta et al. 2012) with scikit-image's defaults for the rest.
     *
     * @param segments the approximate number of segments ({@code n_segments})
     * @param compactness colour against space ({@code compactness}; grey images in [0, 1]: about 0.1,
     *     RGB images, compared in CIELAB: about 10)
     * @return the segmenter
     */
    static Slic slic(int segments, double compactness) {
        return new Slic(segments, compactness, 10, true);
    }

    /**
     * Square patches of {@code side} pixels (the last row and column of patches may be smaller).
     *
     * @param side the patches' side in pixels
     * @return the segmenter
     */
    static Segmenter patches(int side) {
        if (side < 1) {
            throw new IllegalArgumentException("patch side must be >= 1, got " + side);
        }
        return new Segmenter() {
            @Override
            public String name() {
                return "patches(" + side + ")";
            }

            @Override
            public Segmentation segment(float[] image, int channels, int height, int width) {
                int across = (width + side - 1) / side;
                int[] labels = new int[height * width];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        labels[y * width + x] = (y / side) * across + x / side;
                    }
                }
                return new Segmentation(height, width, across * ((height + side - 1) / side), labels);
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }
}

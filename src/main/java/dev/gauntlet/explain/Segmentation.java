package dev.gauntlet.explain;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * An image cut into segments (superpixels or square patches): one label in {@code [0, count)} per
 * pixel, row-major, shared by all channels. The features of image LIME, image anchors and
 * segment occlusion.
 *
 * @param height the image's height
 * @param width the image's width
 * @param count the number of segments; every label in {@code [0, count)} is used
 * @param labels {@code height * width} labels, row-major
 */
public record Segmentation(int height, int width, int count, int[] labels) {

    /**
     * Validates and copies the labels.
     *
     * @throws IllegalArgumentException if a label is outside {@code [0, count)} or the labels do not fill the image
     */
    public Segmentation {
        Objects.requireNonNull(labels, "labels");
        if (height < 1 || width < 1 || labels.length != height * width || count < 1) {
            throw new IllegalArgumentException("a " + height + "x" + width + " segmentation needs " + height * width
                    + " labels and at least one segment, got " + labels.length + " labels, " + count + " segments");
        }
        labels = labels.clone();
        for (int label : labels) {
            if (label < 0 || label >= count) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + count + ")");
            }
        }
    }

    /**
     * Returns the segment of a pixel.
     *
     * @param y the row
     * @param x the column
     * @return its label
     */
    public int segmentAt(int y, int x) {
        return labels[y * width + x];
    }

    /** @return a copy of the labels, row-major */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** @return the number of pixels of each segment */
    public int[] sizes() {
        int[] sizes = new int[count];
        for (int label : labels) {
            sizes[label]++;
        }
        return sizes;
    }

    /**
     * Marks the pixels of some segments.
     *
     * @param segments the segments
     * @return {@code height * width} flags, row-major
     */
    public boolean[] mask(Collection<Integer> segments) {
        boolean[] chosen = new boolean[count];
        for (int s : segments) {
            chosen[s] = true;
        }
        boolean[] mask = new boolean[labels.length];
        for (int p = 0; p < labels.length; p++) {
            mask[p] = chosen[labels[p]];
        }
        return mask;
    }

    /**
     * Marks the pixels on a segment's edge: those with a 4-neighbour in another segment (the
     * {@code mode='thick'} boundaries of scikit-image's {@code find_boundaries}).
     *
     * @return {@code height * width} flags, row-major
     */
    public boolean[] boundaries() {
        boolean[] edge = new boolean[labels.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (x + 1 < width && labels[p] != labels[p + 1]) {
                    edge[p] = true;
                    edge[p + 1] = true;
                }
                if (y + 1 < height && labels[p] != labels[p + width]) {
                    edge[p] = true;
                    edge[p + width] = true;
                }
            }
        }
        return edge;
    }

    /**
     * The segments that contain at least one pixel of a rectangle.
     *
     * @param top the rectangle's first row
     * @param left its first column
     * @param rows its height
     * @param columns its width
     * @return the segments, ascending
     */
    public int[] segmentsIn(int top, int left, int rows, int columns) {
        boolean[] seen = new boolean[count];
        for (int y = Math.max(0, top); y < Math.min(height, top + rows); y++) {
            for (int x = Math.max(0, left); x < Math.min(width, left + columns); x++) {
                seen[labels[y * width + x]] = true;
            }
        }
        return IntStream.range(0, count).filter(s -> seen[s]).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segmentation s && s.height == height && s.width == width && s.count == count
                && Arrays.equals(s.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(height, width, count) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Segmentation[" + height + "x" + width + ", " + count + " segments]";
    }
}

package dev.gauntlet.explain.anchor;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.List;

/**
 * The image anchors of a dataset's predictions, one per image, and the numbers bars judge: the smallest
 * precision, the largest anchor and how many anchors lie mostly in a region.
 *
 * @param anchors one anchor per image, in order
 */
public record ImageAnchorReport(List<AnchorImage.Anchor> anchors) {

    /** Copies the list. */
    public ImageAnchorReport {
        anchors = List.copyOf(anchors);
    }

    /**
     * Searches an anchor for each image's prediction, image {@code i} seeded with {@code seed + i}.
     *
     * @param explainer the image-anchor settings
     * @param classifier the model
     * @param images the images
     * @param seed the seed of the first image's search
     * @return the report
     */
    public static ImageAnchorReport of(AnchorImage explainer, Classifier classifier, Dataset images, long seed) {
        return new ImageAnchorReport(explainer.explainAll(classifier, images, seed));
    }

    /**
     * Returns the smallest precision of any image's anchor.
     *
     * @return the smallest precision, NaN for no images
     */
    public double worstPrecision() {
        return anchors.stream().mapToDouble(AnchorImage.Anchor::precision).min().orElse(Double.NaN);
    }

    /**
     * Returns the largest anchor's size.
     *
     * @return the most superpixels of any anchor, 0 for no images
     */
    public int largestSize() {
        return anchors.stream().mapToInt(AnchorImage.Anchor::size).max().orElse(0);
    }

    /**
     * Counts the anchors with more than half of their pixels inside a region.
     *
     * @param top the region's first row
     * @param left its first column
     * @param rows its height
     * @param columns its width
     * @return how many anchors lie mostly in the region
     */
    public long mostlyIn(int top, int left, int rows, int columns) {
        return anchors.stream().filter(a -> a.shareIn(top, left, rows, columns) > 0.5).count();
    }
}

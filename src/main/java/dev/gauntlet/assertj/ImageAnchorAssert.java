package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.anchor.AnchorImage;
import dev.gauntlet.explain.anchor.ImageAnchorReport;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions on the image anchors (alibi's {@code AnchorImage}) of a model's predictions: every
 * image's anchor must be precise, small, and stay out of regions the model must not rely on.
 * Evidence: the anchors as a table, and a grid of original | superpixels | anchor overlays.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(images).imageAnchors(AnchorImage.defaults())
 *         .reachPrecisionWithAtMostSuperpixels(0.95, 3);   // passes when each anchor is that precise and small
 * assertThatModel(cnn).on(images).imageAnchors(AnchorImage.defaults())
 *         .avoidRegion(0, 0, 6, 6);                        // fails when an anchor leans on the corner
 * }</pre>
 */
public class ImageAnchorAssert extends GauntletAssert<ImageAnchorAssert, ImageAnchorAssert.Subject> {

    private static final int PICTURES = 8;

    /**
     * The model and images, and the explainer.
     *
     * @param target the model and images
     * @param explainer the image-anchor settings
     */
    public record Subject(ModelOnData target, AnchorImage explainer) {

        @Override
        public String toString() {
            return target + " with " + explainer.name();
        }
    }

    private ImageAnchorReport report;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(images).imageAnchors(settings)}.
     *
     * @param actual the subject
     */
    public ImageAnchorAssert(Subject actual) {
        super(actual, ImageAnchorAssert.class);
    }

    /**
     * Verifies that every image's anchor has precision at least {@code threshold}.
     *
     * @param threshold the least precision, in [0, 1]
     * @return this assertion
     */
    public ImageAnchorAssert havePrecisionAtLeast(double threshold) {
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters(Map.of("threshold", threshold));
        ImageAnchorReport found = measure("image anchor precision", parameters);
        failUnlessAtLeast("image anchor precision", parameters, found.anchors().size(), "smallest anchor precision",
                threshold, found.worstPrecision());
        return myself;
    }

    /**
     * Verifies that no image's anchor has more than {@code superpixels} superpixels.
     *
     * @param superpixels the most superpixels, at least 0
     * @return this assertion
     */
    public ImageAnchorAssert haveAtMostSuperpixels(int superpixels) {
        if (superpixels < 0) {
            throw new IllegalArgumentException("superpixels must be >= 0, got " + superpixels);
        }
        Map<String, Object> parameters = parameters(Map.of("superpixels", superpixels));
        ImageAnchorReport found = measure("image anchor size", parameters);
        failUnlessAtMost("image anchor size", parameters, found.anchors().size(), "largest anchor (superpixels)",
                superpixels, found.largestSize());
        return myself;
    }

    /**
     * Verifies that every image's anchor reaches precision {@code precision} with at most
     * {@code superpixels} superpixels: the model's decision rests on a few parts of the image.
     *
     * @param precision the least precision, in [0, 1]
     * @param superpixels the most superpixels
     * @return this assertion
     */
    public ImageAnchorAssert reachPrecisionWithAtMostSuperpixels(double precision, int superpixels) {
        return havePrecisionAtLeast(precision).haveAtMostSuperpixels(superpixels);
    }

    /**
     * Verifies that no anchor has more than half of its pixels inside a region the model must not
     * rely on (e.g. a watermark's corner).
     *
     * @param top the region's first row
     * @param left its first column
     * @param rows its height
     * @param columns its width
     * @return this assertion
     */
    public ImageAnchorAssert avoidRegion(int top, int left, int rows, int columns) {
        Map<String, Object> parameters = parameters(Map.of("region", "rows " + top + ".." + (top + rows - 1)
                + ", columns " + left + ".." + (left + columns - 1)));
        ImageAnchorReport found = measure("image anchors avoid a region", parameters);
        failUnlessAtMost("image anchors avoid a region", parameters, found.anchors().size(),
                "anchors with most of their pixels in the region", 0, found.mostlyIn(top, left, rows, columns));
        return myself;
    }

    /**
     * Returns the anchors (searching them if no check has yet).
     *
     * @return one anchor per image
     */
    public List<AnchorImage.Anchor> anchors() {
        return report().anchors();
    }

    /**
     * Returns the anchors with the numbers bars judge (searching them if no check has yet).
     *
     * @return the report
     */
    public ImageAnchorReport report() {
        if (report == null) {
            report = ImageAnchorReport.of(actual.explainer(), actual.target().classifier(), actual.target().data(),
                    actual.target().seed());
        }
        return report;
    }

    private Map<String, Object> parameters(Map<String, ?> check) {
        Map<String, Object> parameters = new LinkedHashMap<>(check);
        parameters.put("explainer", actual.explainer().name());
        parameters.put("dataset", actual.target().data().name());
        parameters.put("samples", actual.target().data().size());
        return parameters;
    }

    private ImageAnchorReport measure(String check, Map<String, Object> parameters) {
        isNotNull();
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        return evidence.step(check, parameters, () -> {
            ImageAnchorReport report = report();
            List<AnchorImage.Anchor> found = report.anchors();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                AnchorImage.Anchor a = found.get(i);
                rows.add(List.of(Integer.toString(i), a.segments().toString(), Integer.toString(a.size()),
                        Integer.toString(a.predictedClass()), String.format("%.3f", a.precision()),
                        String.format("%.4f", a.coverage()), Integer.toString(a.samples())));
            }
            evidence.table(new Table("image anchors", List.of("image", "superpixels", "size", "class", "precision",
                    "coverage", "samples"), rows));
            if (evidence.isRecording()) {
                evidence.imageGrid(overlays(actual.target().data(), found));
            }
            return report;
        });
    }

    /** Original | superpixel boundaries | the anchor highlighted, for the first images. */
    static ImageGrid overlays(Dataset images, List<AnchorImage.Anchor> found) {
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < Math.min(PICTURES, found.size()); i++) {
            AnchorImage.Anchor a = found.get(i);
            int h = a.segmentation().height();
            int w = a.segmentation().width();
            float[] grey = grey(images.features(i), h * w);
            tiles.add(new ImageGrid.Tile("image " + i + ", class " + a.predictedClass(), w, h, grey,
                    ImageGrid.Palette.GREY));
            tiles.add(ImageGrid.Tile.overlay(a.segmentation().count() + " superpixels", w, h, grey,
                    flags(a.segmentation().boundaries())));
            tiles.add(ImageGrid.Tile.overlay(String.format("anchor %s%nprecision %.2f, coverage %.3f", a.segments(),
                    a.precision(), a.coverage()), w, h, grey, flags(a.mask())));
        }
        return new ImageGrid("image anchors", 3, tiles);
    }

    /** The mean over channels, scaled to [0, 1] by its range. */
    private static float[] grey(float[] image, int pixels) {
        int channels = image.length / pixels;
        float[] grey = new float[pixels];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                grey[p] += image[c * pixels + p] / channels;
            }
            min = Math.min(min, grey[p]);
            max = Math.max(max, grey[p]);
        }
        for (int p = 0; p < pixels; p++) {
            grey[p] = max > min ? (grey[p] - min) / (max - min) : 0;
        }
        return grey;
    }

    private static float[] flags(boolean[] mask) {
        float[] heat = new float[mask.length];
        for (int p = 0; p < mask.length; p++) {
            heat[p] = mask[p] ? 1 : 0;
        }
        return heat;
    }
}

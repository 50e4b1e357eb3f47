package dev.gauntlet.assertj;

import dev.gauntlet.explain.concept.ActivationMaps;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.ModelLabels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions on a layer's activation maps: which channels respond to a region of the input, e.g.
 * a planted trigger. Evidence: a grid per input of the image, the mean map and every channel's map,
 * and each channel's share of inputs peaking in the region.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(stamped).activations(ActivationMaps.ofLayer(0))
 *         .hasChannelPeakingIn(0, 0, 6, 6, 0.9);   // passes when some channel peaks on the corner for 90% of images
 * assertThatModel(cnn).on(clean).activations(ActivationMaps.ofLayer(0))
 *         .hasNoChannelPeakingIn(0, 0, 6, 6, 0.5); // fails when a channel fixes on the corner of clean images
 * }</pre>
 */
public class ActivationAssert extends GauntletAssert<ActivationAssert, ActivationAssert.Subject> {

    private static final int PICTURES = 4;

    /**
     * The model and images, and the layer.
     *
     * @param target the model and images
     * @param maps the layer's activation maps
     */
    public record Subject(ModelOnData target, ActivationMaps maps) {

        @Override
        public String toString() {
            return target + " at " + maps.name();
        }
    }

    private ActivationMaps.Result result;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(images).activations(maps)}.
     *
     * @param actual the subject
     */
    public ActivationAssert(Subject actual) {
        super(actual, ActivationAssert.class);
    }

    /**
     * Verifies that at least one channel's map peaks inside a region of the input for at least
     * {@code share} of the inputs.
     *
     * @param top the region's first row, in input pixels
     * @param left its first column
     * @param rows its height
     * @param columns its width
     * @param share the least fraction of inputs, in [0, 1]
     * @return this assertion
     */
    public ActivationAssert hasChannelPeakingIn(int top, int left, int rows, int columns, double share) {
        requireFraction(share, "share");
        double best = bestShare("a channel peaks in the region", top, left, rows, columns, share);
        failUnlessAtLeast("a channel peaks in the region", parameters(top, left, rows, columns, share),
                result.inputs(), "largest share of inputs one channel peaks in the region", share, best);
        return myself;
    }

    /**
     * Verifies that no channel's map peaks inside a region of the input for {@code share} or more of
     * the inputs.
     *
     * @param top the region's first row, in input pixels
     * @param left its first column
     * @param rows its height
     * @param columns its width
     * @param share the fraction of inputs no channel may reach, in [0, 1]
     * @return this assertion
     */
    public ActivationAssert hasNoChannelPeakingIn(int top, int left, int rows, int columns, double share) {
        requireFraction(share, "share");
        double best = bestShare("no channel peaks in the region", top, left, rows, columns, share);
        if (best >= share) {
            failUnlessAtMost("no channel peaks in the region", parameters(top, left, rows, columns, share),
                    result.inputs(), "largest share of inputs one channel peaks in the region", Math.nextDown(share),
                    best);
        }
        return myself;
    }

    /**
     * Returns the maps (computing them if no check has yet).
     *
     * @return the maps
     */
    public ActivationMaps.Result maps() {
        if (result == null) {
            result = actual.maps().compute(actual.target().classifier(), actual.target().data());
        }
        return result;
    }

    private Map<String, Object> parameters(int top, int left, int rows, int columns, double share) {
        return Fields.of(
                "layer", actual.maps().name(),
                "region", "rows " + top + ".." + (top + rows - 1) + ", columns " + left + ".." + (left + columns - 1),
                "share", share,
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size());
    }

    private double bestShare(String check, int top, int left, int rows, int columns, double share) {
        isNotNull();
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        return evidence.step(check, parameters(top, left, rows, columns, share), () -> {
            ActivationMaps.Result r = maps();
            double[] shares = r.peakShares(top, left, rows, columns);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("layer", r.layer());
            metrics.put("layerName", r.layerName());
            metrics.put("peakShareInRegion", shares);
            metrics.put("channelsPeakingIn", r.channelsPeakingIn(top, left, rows, columns, Math.max(share, 1e-9)));
            evidence.metrics("activation peaks", metrics);
            if (evidence.isRecording()) {
                evidence.imageGrid(grid(r, shares));
            }
            return Arrays.stream(shares).max().orElse(0);
        });
    }

    /** Per input, a row: the input, the mean map, then each channel's map. */
    private ImageGrid grid(ActivationMaps.Result r, double[] shares) {
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        int pixels = r.inputHeight() * r.inputWidth();
        for (int i = 0; i < Math.min(PICTURES, r.inputs()); i++) {
            float[] image = actual.target().data().features(i);
            float[] grey = Arrays.copyOf(image, pixels);
            float max = 0;
            for (float v : grey) {
                max = Math.max(max, Math.abs(v));
            }
            for (int p = 0; p < pixels; p++) {
                grey[p] = max > 0 ? Math.max(0, grey[p] / max) : 0;
            }
            tiles.add(new ImageGrid.Tile("input " + i, r.inputWidth(), r.inputHeight(), grey, ImageGrid.Palette.GREY));
            tiles.add(new ImageGrid.Tile("mean of " + r.channels(), r.width(), r.height(), r.meanMap(i),
                    ImageGrid.Palette.DIVERGING));
            for (int c = 0; c < r.channels(); c++) {
                tiles.add(new ImageGrid.Tile(String.format("channel %d%npeaks in region %.2f", c, shares[c]), r.width(),
                        r.height(), r.map(i, c), ImageGrid.Palette.DIVERGING));
            }
        }
        return new ImageGrid("activation maps, " + r.layerName(), r.channels() + 2, tiles);
    }
}

package dev.gauntlet.report;

import java.util.List;
import java.util.Objects;

/**
 * Images in a grid with captions, e.g. original | perturbation | adversarial, or attribution
 * heatmaps, drawn as PNG evidence.
 *
 * @param title the attachment name
 * @param columns tiles per row
 * @param tiles the images, row by row
 */
public record ImageGrid(String title, int columns, List<Tile> tiles) {

    /**
     * Validates and copies the grid.
     *
     * @throws IllegalArgumentException if columns &lt; 1 or there is no tile
     */
    public ImageGrid {
        Objects.requireNonNull(title, "title");
        tiles = List.copyOf(tiles);
        if (columns < 1 || tiles.isEmpty()) {
            throw new IllegalArgumentException("an image grid needs columns >= 1 and at least one tile");
        }
    }

    /**
     * Draws this grid as a PNG image, as the report shows it.
     *
     * @return the PNG bytes
     */
    public byte[] png() {
        return ImageGridRenderer.png(this);
    }

    /** How a tile's values become colours. */
    public enum Palette {
        /** Values in [0, 1] as grey levels (0 black, 1 white). */
        GREY,
        /** Signed values, scaled by their largest magnitude: blue negative, white zero, red positive. */
        DIVERGING,
        /**
         * A heatmap over a grey image: {@code 2 * width * height} values, the image in [0, 1] then the
         * heat, whose magnitude (scaled by its largest) is blended in red over the image.
         */
        OVERLAY
    }

    /**
     * One image.
     *
     * @param caption the text under the image (label, confidence)
     * @param width the width in pixels
     * @param height the height in pixels
     * @param values {@code width * height} values, row-major
     * @param palette how values become colours
     */
    public record Tile(String caption, int width, int height, float[] values, Palette palette) {

        /**
         * A heatmap blended over a grey image.
         *
         * @param caption the caption
         * @param width the width
         * @param height the height
         * @param image {@code width * height} grey values in [0, 1]
         * @param heat {@code width * height} values; their magnitude is shown
         * @return the tile
         */
        public static Tile overlay(String caption, int width, int height, float[] image, float[] heat) {
            float[] values = new float[image.length + heat.length];
            System.arraycopy(image, 0, values, 0, image.length);
            System.arraycopy(heat, 0, values, image.length, heat.length);
            return new Tile(caption, width, height, values, Palette.OVERLAY);
        }

        /**
         * Validates and copies the tile.
         *
         * @throws IllegalArgumentException if the values do not fill the image
         */
        public Tile {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(palette, "palette");
            int needed = width * height * (palette == Palette.OVERLAY ? 2 : 1);
            if (width < 1 || height < 1 || values.length != needed) {
                throw new IllegalArgumentException("a " + width + "x" + height + " " + palette + " tile needs " + needed
                        + " values, got " + values.length);
            }
            values = values.clone();
        }
    }
}

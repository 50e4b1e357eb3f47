package dev.gauntlet.report;


import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Internal: do not use. Draws an image grid with captions as PNG. */
final class ImageGridRenderer {

    private static final int CELL = 112;
    private static final int CAPTION = 30;
    private static final int GAP = 6;

    private ImageGridRenderer() {}

    /**
     * Draws the grid: each tile scaled to a square cell, its caption below.
     *
     * @param grid the grid
     * @return PNG bytes
     */
    static byte[] png(ImageGrid grid) {
        int columns = Math.min(grid.columns(), grid.tiles().size());
        int rows = (grid.tiles().size() + grid.columns() - 1) / grid.columns();
        int width = columns * (CELL + GAP) + GAP;
        int height = rows * (CELL + CAPTION + GAP) + GAP;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < grid.tiles().size(); i++) {
            ImageGrid.Tile tile = grid.tiles().get(i);
            int x = GAP + (i % grid.columns()) * (CELL + GAP);
            int y = GAP + (i / grid.columns()) * (CELL + CAPTION + GAP);
            g.drawImage(toImage(tile), x, y, CELL, CELL, null);
            g.setColor(Color.DARK_GRAY);
            drawCaption(g, tile.caption(), x, y + CELL + 12);
        }
        g.dispose();
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(canvas, "png", png);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image grid '" + grid.title() + "' as PNG", e);
        }
    }

    private static void drawCaption(Graphics2D g, String caption, int x, int y) {
        String[] lines = caption.split("\n", 2);
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            while (g.getFontMetrics().stringWidth(line) > CELL && line.length() > 1) {
                line = line.substring(0, line.length() - 1);
            }
            g.drawString(line, x, y + 13 * l);
        }
    }

    private static BufferedImage overlay(ImageGrid.Tile tile, BufferedImage image, float[] v) {
        int n = tile.width() * tile.height();
        float max = 0;
        for (int i = n; i < 2 * n; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        for (int i = 0; i < n; i++) {
            float grey = 255 * Math.max(0, Math.min(1, v[i]));
            float heat = max > 0 ? Math.abs(v[n + i]) / max : 0;
            float alpha = 0.75f * heat;
            int r = Math.round(grey * (1 - alpha) + 255 * alpha);
            int g = Math.round(grey * (1 - alpha) + 255 * heat * heat * alpha);
            int b = Math.round(grey * (1 - alpha));
            image.setRGB(i % tile.width(), i / tile.width(), (r << 16) | (g << 8) | b);
        }
        return image;
    }

    private static BufferedImage toImage(ImageGrid.Tile tile) {
        BufferedImage image = new BufferedImage(tile.width(), tile.height(), BufferedImage.TYPE_INT_RGB);
        float[] v = tile.values();
        if (tile.palette() == ImageGrid.Palette.OVERLAY) {
            return overlay(tile, image, v);
        }
        float scale = 1;
        if (tile.palette() == ImageGrid.Palette.DIVERGING) {
            float max = 0;
            for (float f : v) {
                max = Math.max(max, Math.abs(f));
            }
            scale = max > 0 ? max : 1;
        }
        for (int i = 0; i < v.length; i++) {
            int rgb;
            if (tile.palette() == ImageGrid.Palette.GREY) {
                int level = Math.round(255 * Math.max(0, Math.min(1, v[i])));
                rgb = (level << 16) | (level << 8) | level;
            } else {
                float t = v[i] / scale;
                int fade = Math.round(255 * (1 - Math.min(1, Math.abs(t))));
                rgb = t >= 0 ? (255 << 16) | (fade << 8) | fade : (fade << 16) | (fade << 8) | 255;
            }
            image.setRGB(i % tile.width(), i / tile.width(), rgb);
        }
        return image;
    }
}

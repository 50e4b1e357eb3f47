package dev.gauntlet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gauntlet.report.Json;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** The evidence formats: JSON text, CSV tables and PNG pictures, checked byte for byte or pixel by pixel. */
class EvidenceRenderingTests {

    @Test
    void json_writes_numbers_strings_arrays_and_maps() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.75);
        metrics.put("samples", 40);
        metrics.put("perClass", new double[] {1, 0.5});
        metrics.put("name", "a \"quoted\"\nline");
        metrics.put("nan", Double.NaN);
        metrics.put("nested", Map.of("k", List.of(true, 2L)));
        assertThat(Json.write(metrics)).isEqualTo("{\"accuracy\":0.75,\"samples\":40,\"perClass\":[1,0.5],"
                + "\"name\":\"a \\\"quoted\\\"\\nline\",\"nan\":null,\"nanReason\":\"NaN: undefined\",\"nested\":{\"k\":[true,2]}}");
    }

    @Test
    void tables_become_rfc4180_csv() {
        Table table = new Table("changes", List.of("feature", "before → after"),
                List.of(List.of("radius, mean", "1.5"), List.of("say \"hi\"", "2")));
        assertThat(table.toCsv()).isEqualTo("feature,before → after\r\n\"radius, mean\",1.5\r\n\"say \"\"hi\"\"\",2\r\n");
        assertThatThrownBy(() -> new Table("t", List.of("a"), List.of(List.of("1", "2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0 has 2 cells");
    }

    @Test
    void image_grid_tiles_keep_their_grey_levels_and_diverging_colours() throws IOException {
        ImageGrid grid = new ImageGrid("grid", 2, List.of(
                new ImageGrid.Tile("black | white", 2, 1, new float[] {0, 1}, ImageGrid.Palette.GREY),
                new ImageGrid.Tile("-1 | +1", 2, 1, new float[] {-1, 1}, ImageGrid.Palette.DIVERGING)));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(grid.png()));
        // cells are 112 px wide after a 6 px gap; sample the middle of each half of each tile
        assertThat(image.getRGB(6 + 28, 6 + 56) & 0xffffff).isEqualTo(0x000000);
        assertThat(image.getRGB(6 + 84, 6 + 56) & 0xffffff).isEqualTo(0xffffff);
        assertThat(image.getRGB(124 + 28, 6 + 56) & 0xffffff).isEqualTo(0x0000ff);
        assertThat(image.getRGB(124 + 84, 6 + 56) & 0xffffff).isEqualTo(0xff0000);
        assertThatThrownBy(() -> new ImageGrid.Tile("bad", 2, 2, new float[3], ImageGrid.Palette.GREY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 4 values");
    }

    @Test
    void charts_are_png_images() throws IOException {
        byte[] line = ChartRenderer.png(new LineChart("accuracy vs epsilon", "epsilon", "accuracy",
                List.of(new LineChart.Series("pgd", new double[] {0, 0.1}, new double[] {0.9, 0.2}))));
        byte[] bars = new BarChart("per class", "class", "accuracy", List.of("0", "1"),
                new double[] {0.5, 1}).png();
        byte[] withErrors = new BarChart("TCAV", "", "score", List.of("concept", "random"),
                new double[] {0.9, 0.4}, new double[] {0.05, 0.2}).png();
        assertThatThrownBy(() -> new BarChart("bad", "", "", List.of("a", "b"), new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 errors");
        for (byte[] png : List.of(line, bars, withErrors)) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(400);
        }
    }

    @Test
    void an_overlay_tile_shows_the_image_where_there_is_no_heat_and_red_where_it_peaks() throws IOException {
        float[] image = {0.5f, 0.5f};
        float[] heat = {0f, -3f};
        byte[] png = ImageGridRenderer.png(new ImageGrid("overlay", 1,
                List.of(ImageGrid.Tile.overlay("t", 2, 1, image, heat))));
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(drawn).isNotNull();
        assertThatThrownBy(() -> ImageGrid.Tile.overlay("bad", 2, 1, image, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OVERLAY");
    }

    @Test
    void without_allure_reporting_a_test_the_sink_records_nothing_and_runs_the_step() {
        Evidence none = Evidence.none();
        assertThat(none.isRecording()).isFalse();
        assertThat(none.step("check", Map.of("p", 1), () -> 42)).isEqualTo(42);
    }
}

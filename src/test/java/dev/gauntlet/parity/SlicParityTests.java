package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.gauntlet.explain.Segmentation;
import dev.gauntlet.explain.Segmenter;
import dev.gauntlet.explain.Slic;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Slic} against scikit-image 0.19.3's {@code segmentation.slic}, over the grid of
 * {@code src/test/python/parity/slic_parity.py}: grey and RGB images of flat regions plus seeded
 * noise, 12 x 200 to 100 x 70 pixels, 16 to 1,000 segments, compactness 0.05 to 30, with and without
 * enforced connectivity. The labels must be equal pixel for pixel.
 */
class SlicParityTests {

    @TestFactory
    Stream<DynamicTest> slic_labels_equal_scikit_image() {
        return SeededData.tests("slic", c -> true, SlicParityTests::check);
    }

    private static void check(JsonObject c) {
        int h = c.get("height").getAsInt();
        int w = c.get("width").getAsInt();
        int channels = c.get("channels").getAsInt();
        int[] truth = runs(c.getAsJsonArray("truth"), h * w);
        JsonArray colours = c.getAsJsonArray("colours");
        float[] noise = SeededData.generate(c.getAsJsonObject("noise"));
        float[] image = new float[channels * h * w];
        for (int ch = 0; ch < channels; ch++) {
            for (int p = 0; p < h * w; p++) {
                image[ch * h * w + p] = colours.get(truth[p] * channels + ch).getAsFloat() + noise[ch * h * w + p];
            }
        }
        Slic slic = Segmenter.slic(c.get("segments").getAsInt(), c.get("compactness").getAsDouble());
        if (!c.get("connectivity").getAsBoolean()) {
            slic = slic.withoutConnectivity();
        }
        Segmentation actual = slic.segment(image, channels, h, w);
        assertThat(actual.labels()).as(c.get("name").getAsString()).isEqualTo(runs(c.getAsJsonArray("labels"), h * w));
    }

    private static int[] runs(JsonArray rle, int size) {
        int[] values = new int[size];
        int at = 0;
        for (int i = 0; i < rle.size(); i += 2) {
            int value = rle.get(i).getAsInt();
            for (int k = 0; k < rle.get(i + 1).getAsInt(); k++) {
                values[at++] = value;
            }
        }
        assertThat(at).isEqualTo(size);
        return values;
    }
}

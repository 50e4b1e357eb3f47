package dev.gauntlet.parity;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The Java half of {@code src/test/python/parity/seeded.py}: regenerates, bit for bit, the seeded
 * float32 arrays whose recipes the parity JSON files hold, checks each against the SHA-256 the
 * Python script recorded, and measures deviations. Every recipe value is made by single IEEE
 * float operations, correctly rounded in Java and numpy alike.
 */
final class SeededData {

    private SeededData() {}

    /**
     * Reads {@code /parity/<name>.json} from the test classpath.
     *
     * @param name the metric's file name, without extension
     * @return the document
     */
    static JsonObject load(String name) {
        try (InputStream in = SeededData.class.getResourceAsStream("/parity/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("parity/" + name + ".json is missing; run src/test/python/parity/"
                        + name + "_parity.py with /usr/bin/python3");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read parity/" + name + ".json", e);
        }
    }

    /**
     * The cases of a document.
     *
     * @param document a parity document
     * @return its cases, in order
     */
    static List<JsonObject> cases(JsonObject document) {
        List<JsonObject> cases = new ArrayList<>();
        for (JsonElement element : document.getAsJsonArray("cases")) {
            cases.add(element.getAsJsonObject());
        }
        return cases;
    }

    /**
     * One dynamic test per case of a document, named after the case.
     *
     * @param name the metric's file name, without extension
     * @param keep which cases to run
     * @param check the assertions of one case
     * @return the tests
     */
    static Stream<DynamicTest> tests(String name, Predicate<JsonObject> keep, ThrowingConsumer<JsonObject> check) {
        return cases(load(name)).stream().filter(keep)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> check.accept(c)));
    }

    /**
     * Regenerates the values of a recipe and checks them against the recorded hash.
     *
     * @param recipe {@code {kind, seed, n, ...}} as written by seeded.py
     * @return the float32 values
     */
    static float[] generate(JsonObject recipe) {
        int n = recipe.get("n").getAsInt();
        long state = recipe.get("seed").getAsLong();
        float[] values = new float[n];
        String kind = recipe.get("kind").getAsString();
        float low = recipe.get("low").getAsFloat();
        for (int i = 0; i < n; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            if (kind.equals("uniform")) {
                float u = (float) (z >>> 40) * 0x1p-24f;
                float scaled = u * recipe.get("width").getAsFloat();
                values[i] = scaled + low;
            } else if (kind.equals("levels")) {
                float k = (float) Long.remainderUnsigned(z, recipe.get("count").getAsLong());
                float scaled = k * recipe.get("step").getAsFloat();
                values[i] = scaled + low;
            } else {
                throw new IllegalArgumentException("unknown recipe kind " + kind);
            }
        }
        String expected = recipe.get("sha256").getAsString();
        String actual = sha256(values);
        if (!actual.equals(expected)) {
            throw new AssertionError("regenerated data differ from the Python script's: " + recipe + " hashed "
                    + actual);
        }
        return values;
    }

    /**
     * Splits flat row-major values into rows.
     *
     * @param flat the values
     * @param width the row length
     * @return the rows
     */
    static float[][] rows(float[] flat, int width) {
        float[][] rows = new float[flat.length / width][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    /**
     * Widens float32 values to doubles.
     *
     * @param values the values
     * @return the same values as doubles
     */
    static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /**
     * An unbounded dataset of feature rows, every label 0.
     *
     * @param rows the features
     * @param name the dataset's name
     * @return the dataset
     */
    static Dataset dataset(float[][] rows, String name) {
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName(name).build();
    }

    /**
     * The relative deviation {@code |actual − expected| / |expected|}; 0 when both are equal
     * (including both 0 or both the same infinity).
     *
     * @param actual the Java value
     * @param expected the reference value
     * @return the deviation
     */
    static double relative(double actual, double expected) {
        if (actual == expected) {
            return 0;
        }
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    /** The SHA-256 of float32 values in little-endian bytes, as numpy's {@code astype('<f4').tobytes()}. */
    private static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The largest deviation seen by one test class, printed when the class ends. */
    static final class Deviation {

        private final String metric;
        private double largest;
        private String where = "none";

        Deviation(String metric) {
            this.metric = metric;
        }

        synchronized void record(double deviation, String place) {
            if (deviation > largest || Double.isNaN(deviation)) {
                largest = deviation;
                where = place;
            }
        }

        synchronized void print() {
            System.out.printf(java.util.Locale.ROOT, "parity %s: largest deviation %.3e at %s%n", metric, largest,
                    where);
        }
    }
}

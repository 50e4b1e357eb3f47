package com.example.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.IdxReader;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;

import io.qameta.allure.Allure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The files {@code python/make_models.py} committed: the model exports in {@code models/}, and in
 * {@code reference/} the 1,000 inputs with what PyTorch itself computed on them (raw little-endian
 * float32 / int32, see {@code reference/README.md}). The tests compare Gauntlet's numbers with
 * these, so the expectations come from PyTorch, not from Gauntlet's own output.
 */
final class PyTorchReference {

    static final Path MODELS = Path.of("models");
    static final Path REFERENCE = Path.of("reference");

    /** The committed inputs: the first 1,000 Fashion-MNIST test images. */
    static final int INPUTS = 1_000;
    /** FGSM references cover the first 200 inputs. */
    static final int FGSM_INPUTS = 200;
    /** Gradient references cover the first 64 inputs. */
    static final int GRADIENT_INPUTS = 64;
    static final int PIXELS = 28 * 28;
    static final int CLASSES = 10;

    /** The normalisation {@code fashion-cnn-normalized.pt} expects and does not contain. */
    static final double[] MEAN = {0.2860};
    static final double[] STD = {0.3530};

    private PyTorchReference() {}

    /**
     * Returns a builder for one of the committed model files, with the shape every model here takes.
     *
     * @param file e.g. {@code fashion-cnn.pt}
     * @return the builder, to declare more and build
     */
    static DjlClassifier.Builder model(String file) {
        return DjlClassifier.builder().setModelPath(MODELS.resolve(file)).setInputShape(1, 28, 28)
                .setNumClasses(CLASSES).optName(file);
    }

    /**
     * Reads the committed inputs, in file order, pixels as {@code byte / 255} like the script.
     *
     * @return the 1,000 images with their labels, bounds [0, 1]
     */
    static Dataset inputs() {
        return IdxReader.read(REFERENCE.resolve("inputs-images-idx3-ubyte.gz"),
                REFERENCE.resolve("inputs-labels-idx1-ubyte.gz"), CLASSES, "fashion-mnist t10k first 1,000");
    }

    /**
     * Reads a raw little-endian float32 reference file.
     *
     * @param file the name in {@code reference/}
     * @param count how many values it must hold
     * @return the values, row-major
     */
    static float[] floats(String file, int count) {
        ByteBuffer bytes = read(file, count);
        float[] values = new float[count];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    /**
     * Reads a raw little-endian int32 reference file.
     *
     * @param file the name in {@code reference/}
     * @param count how many values it must hold
     * @return the values
     */
    static int[] ints(String file, int count) {
        ByteBuffer bytes = read(file, count);
        int[] values = new int[count];
        bytes.asIntBuffer().get(values);
        return values;
    }

    private static ByteBuffer read(String file, int count) {
        Path path = REFERENCE.resolve(file);
        try {
            byte[] content = Files.readAllBytes(path);
            if (content.length != 4L * count) {
                throw new IllegalStateException(path + " holds " + content.length + " bytes but " + count
                        + " 4-byte values were expected; regenerate it with /usr/bin/python3 python/make_models.py");
            }
            return ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.toAbsolutePath(), e);
        }
    }

    /**
     * Runs an attack over a dataset, {@code batch} samples at a time, each batch in its own native scope.
     *
     * @param classifier the model
     * @param attack the attack
     * @param data the samples, whose bounds the attack keeps to
     * @param seed the seed
     * @return the adversarial pixels, row-major like the reference files
     */
    static float[] adversarial(Classifier classifier, Attack attack, Dataset data, long seed) {
        float[] pixels = new float[data.size() * data.featureCount()];
        for (Batch batch : data.batches(classifier.batchSize())) {
            try (NDManager scope = classifier.newScope()) {
                NDArray x = batch.features(scope);
                float[] attacked = attack.generate(classifier, x, batch.labels(scope), data.bounds(), seed)
                        .toFloatArray();
                System.arraycopy(attacked, 0, pixels, batch.from() * data.featureCount(), attacked.length);
            }
        }
        return pixels;
    }

    /**
     * Wraps pixels as a dataset with {@code like}'s labels, shape and bounds, e.g. to classify adversarial examples.
     *
     * @param pixels row-major samples
     * @param like the dataset they came from
     * @param name the new name
     * @return the dataset
     */
    static Dataset withPixels(float[] pixels, Dataset like, String name) {
        return like.withFeatures(pixels, like.bounds()).renamed(name);
    }

    /** Row-major flattening of per-sample rows, to compare with a reference file. */
    static float[] flatten(float[][] rows) {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }

    /** The largest absolute difference of two equally long arrays. */
    static double maxAbsDifference(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException(actual.length + " values against " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs((double) actual[i] - expected[i]));
        }
        return worst;
    }

    /** How many positions of two equally long arrays differ by at most {@code tolerance}. */
    static int countWithin(float[] actual, float[] expected, double tolerance) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException(actual.length + " values against " + expected.length);
        }
        int count = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs((double) actual[i] - expected[i]) <= tolerance) {
                count++;
            }
        }
        return count;
    }

    /** The arg-max of each row of {@code classes} scores (the first on ties, like {@code torch.argmax}). */
    static int[] argMax(float[] scores, int classes) {
        int[] best = new int[scores.length / classes];
        for (int i = 0; i < best.length; i++) {
            for (int c = 1; c < classes; c++) {
                if (scores[i * classes + c] > scores[i * classes + best[i]]) {
                    best[i] = c;
                }
            }
        }
        return best;
    }

    /**
     * Prints a measurement and records it as a step of the Allure report.
     *
     * @param format a {@link String#format} pattern
     * @param values its arguments
     */
    static void report(String format, Object... values) {
        String line = String.format(Locale.ROOT, format, values);
        System.out.println("[pytorch-model] " + line);
        Allure.step(line);
    }

    /** The mean of 0/1 values. */
    static double mean(int[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }
}

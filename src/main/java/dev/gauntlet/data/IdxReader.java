package dev.gauntlet.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the IDX format of the MNIST family (MNIST, Fashion-MNIST, KMNIST), gzipped or not.
 *
 * <p>An image file starts with the big-endian int32 magic {@code 2051}, then the image count,
 * rows and columns, then one unsigned byte per pixel; a label file with magic {@code 2049}, then
 * the count, then one byte per label. Pixels are scaled to {@code [0, 1]} and each image gets the
 * channel-first shape {@code (1, rows, cols)}.
 *
 * <p>A header's declared sizes are not trusted: a plain file's length is checked against them
 * before anything is allocated, and a gzipped file (whose length says nothing) is read in chunks
 * into a buffer that grows with the data actually there. A 16-byte file claiming two billion
 * images is refused as truncated instead of allocating gigabytes.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned-byte 3-d tensors (images). */
    public static final int IMAGES_MAGIC = 2051;
    /** Magic number of an IDX file of unsigned-byte vectors (labels). */
    public static final int LABELS_MAGIC = 2049;

    /** The first buffer size, and the most allocated before data arrives: 1 MiB. */
    private static final int CHUNK = 1 << 20;

    private IdxReader() {}

    /**
     * Reads an image file and its label file into a dataset with bounds {@code [0, 1]}.
     *
     * @param images the {@code *-images-idx3-ubyte[.gz]} file
     * @param labels the {@code *-labels-idx1-ubyte[.gz]} file
     * @param numClasses the number of classes, e.g. 10
     * @param name the dataset name for reports
     * @return the dataset
     * @throws DataNotFoundException if a file is missing
     * @throws DataFormatException if a magic number is wrong, a file is truncated or the counts differ
     * @throws InvalidDataException if a label is not below {@code numClasses}
     */
    public static Dataset read(Path images, Path labels, int numClasses, String name) {
        int[] dims = new int[3];
        byte[] pixels = readBytes(images, "images", IMAGES_MAGIC, dims);
        byte[] labelBytes = readBytes(labels, "labels", LABELS_MAGIC, null);
        if (dims[0] != labelBytes.length) {
            throw new DataFormatException("images file " + images + " holds " + dims[0] + " images but labels file "
                    + labels + " holds " + labelBytes.length + " labels; pass matching files");
        }
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = (pixels[i] & 0xff) / 255f;
        }
        int[] labelValues = new int[labelBytes.length];
        for (int i = 0; i < labelBytes.length; i++) {
            labelValues[i] = labelBytes[i] & 0xff;
        }
        return Dataset.builder()
                .setFeatures(features, 1, dims[1], dims[2])
                .ownFeatures()
                .setLabels(labelValues)
                .setNumClasses(numClasses)
                .optBounds(ValueBounds.unit())
                .optName(name)
                .build();
    }

    /** Reads a file's payload; {@code dims} receives count, rows, cols for an image file. */
    private static byte[] readBytes(Path file, String argument, int expectedMagic, int[] dims) {
        try (InputStream raw = DataFiles.open(file, argument);
                DataInputStream in = new DataInputStream(raw)) {
            int magic = readHeader(in, file, argument, "magic number");
            if (magic != expectedMagic) {
                throw new DataFormatException(argument + " file " + file + " has IDX magic " + magic + " but "
                        + expectedMagic + " was expected (" + (expectedMagic == IMAGES_MAGIC ? "images" : "labels")
                        + "); check that the images and labels files are not swapped or corrupt");
            }
            int count = readHeader(in, file, argument, "item count");
            long length = count;
            if (dims != null) {
                int rows = readHeader(in, file, argument, "row count");
                int cols = readHeader(in, file, argument, "column count");
                if (count < 0 || rows < 1 || cols < 1) {
                    throw new DataFormatException(argument + " file " + file + " declares an invalid shape "
                            + count + "x" + rows + "x" + cols);
                }
                dims[0] = count;
                dims[1] = rows;
                dims[2] = cols;
                length = (long) count * rows * cols;
            }
            if (count < 1 || length > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(argument + " file " + file + " declares " + count
                        + " items; expected between 1 and " + (Integer.MAX_VALUE - 8) + " values");
            }
            int header = dims == null ? 8 : 16;
            if (!gzipped(file)) {
                long actual = Files.size(file) - header;
                if (actual < length) {
                    throw truncated(file, argument, length, actual);
                }
            }
            return readPayload(in, file, argument, (int) length);
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + argument + " file " + file + ": " + e.getMessage()
                    + "; the file may be truncated or not gzip/IDX", e);
        }
    }

    /** Reads exactly {@code length} bytes into a buffer that only grows as data arrives. */
    private static byte[] readPayload(InputStream in, Path file, String argument, int length) throws IOException {
        byte[] payload = new byte[Math.min(length, CHUNK)];
        int read = 0;
        while (read < length) {
            if (read == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            int n = in.read(payload, read, payload.length - read);
            if (n < 0) {
                throw truncated(file, argument, length, read);
            }
            read += n;
        }
        return payload;
    }

    private static DataFormatException truncated(Path file, String argument, long declared, long actual) {
        return new DataFormatException(argument + " file " + file + " is truncated: its header declares " + declared
                + " bytes of data but only " + actual + " follow; download or copy it again");
    }

    private static boolean gzipped(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static int readHeader(DataInputStream in, Path file, String argument, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(argument + " file " + file + " is truncated: it ends inside the IDX header ("
                    + field + ")", e);
        }
    }
}

package dev.gauntlet.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small ONNX models by hand (the protobuf wire format of onnx.proto), so the tests need no
 * exporter: {@code Y = X·Wᵀ + B} as MatMul + Add, opset 13.
 */
public final class OnnxModels {

    private OnnxModels() {}

    /**
     * Writes the softmax-linear model {@code z = W x + b} (no softmax: the graph outputs logits).
     *
     * @param file where to write the .onnx file
     * @param w weights, one row per class
     * @param b biases
     * @return the file
     * @throws IOException if it cannot be written
     */
    public static Path linear(Path file, float[][] w, float[] b) throws IOException {
        int classes = w.length;
        int features = w[0].length;
        float[] transposed = new float[features * classes];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < features; j++) {
                transposed[j * classes + c] = w[c][j];
            }
        }
        byte[] graph = concat(
                field(1, node("MatMul", "X", "WT", "XW")),
                field(1, node("Add", "XW", "B", "Y")),
                field(2, text("linear")),
                field(5, tensor("WT", new long[] {features, classes}, transposed)),
                field(5, tensor("B", new long[] {classes}, b)),
                field(11, valueInfo("X", features)),
                field(12, valueInfo("Y", classes)));
        byte[] model = concat(
                key(1, 0), varint(7), // ir_version 7
                field(2, text("gauntlet-tests")),
                field(7, graph),
                field(8, concat(field(1, text("")), key(2, 0), varint(13)))); // opset 13
        return Files.write(file, model);
    }

    private static byte[] node(String op, String a, String b, String out) {
        return concat(field(1, text(a)), field(1, text(b)), field(2, text(out)), field(4, text(op)));
    }

    private static byte[] tensor(String name, long[] dims, float[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long dim : dims) {
            out.writeBytes(key(1, 0));
            out.writeBytes(varint(dim));
        }
        out.writeBytes(key(2, 0));
        out.writeBytes(varint(1)); // FLOAT
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        out.writeBytes(field(8, text(name)));
        out.writeBytes(field(9, raw.array())); // raw_data
        return out.toByteArray();
    }

    /** A float tensor of shape (N, width) with a symbolic batch dimension. */
    private static byte[] valueInfo(String name, int width) {
        byte[] shape = concat(field(1, field(2, text("N"))), field(1, concat(key(1, 0), varint(width))));
        byte[] tensorType = concat(key(1, 0), varint(1), field(2, shape));
        return concat(field(1, text(name)), field(2, field(1, tensorType)));
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] field(int number, byte[] payload) {
        return concat(key(number, 2), varint(payload.length), payload);
    }

    private static byte[] key(int number, int wireType) {
        return varint((long) number << 3 | wireType);
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

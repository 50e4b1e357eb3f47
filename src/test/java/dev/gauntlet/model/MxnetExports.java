package dev.gauntlet.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an MXNet symbol export by hand, what Gluon's {@code HybridBlock.export(name)} writes
 * ({@code name-symbol.json} and {@code name-0000.params}), since no MXNet exporter runs here: the
 * symbol graph as JSON, and the parameters in MXNet's NDArray list format (magic 0x112, then
 * version-2 NDArrays: magic 0xF993FAC9, dense storage, int32 ndim + int64 dims, CPU context,
 * float32, raw little-endian data; then the names {@code arg:...}).
 */
public final class MxnetExports {

    private MxnetExports() {}

    /**
     * Writes the linear model {@code z = W x + b} as one FullyConnected operator.
     *
     * @param dir the folder
     * @param name the export's name
     * @param w weights, one row per class
     * @param b biases
     * @return the symbol file
     * @throws IOException if a file cannot be written
     */
    public static Path linear(Path dir, String name, float[][] w, float[] b) throws IOException {
        int classes = w.length;
        int features = w[0].length;
        String symbol = """
                {
                  "nodes": [
                    {"op": "null", "name": "data", "inputs": []},
                    {"op": "null", "name": "fc_weight", "attrs": {"__shape__": "(%d, %d)"}, "inputs": []},
                    {"op": "null", "name": "fc_bias", "attrs": {"__shape__": "(%d,)"}, "inputs": []},
                    {"op": "FullyConnected", "name": "fc", "attrs": {"num_hidden": "%d", "flatten": "True"},
                     "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]}
                  ],
                  "arg_nodes": [0, 1, 2],
                  "node_row_ptr": [0, 1, 2, 3, 4],
                  "heads": [[3, 0, 0]],
                  "attrs": {"mxnet_version": ["int", 10901]}
                }
                """.formatted(classes, features, classes, classes);
        return write(dir, name, symbol, w, b);
    }

    /**
     * Writes Dropout(0.5) followed by the linear model, as a Gluon export of a network with dropout.
     *
     * @param dir the folder
     * @param name the export's name
     * @param w weights, one row per class
     * @param b biases
     * @return the symbol file
     * @throws IOException if a file cannot be written
     */
    public static Path linearWithDropout(Path dir, String name, float[][] w, float[] b) throws IOException {
        int classes = w.length;
        int features = w[0].length;
        String symbol = """
                {
                  "nodes": [
                    {"op": "null", "name": "data", "inputs": []},
                    {"op": "Dropout", "name": "drop", "attrs": {"p": "0.5"}, "inputs": [[0, 0, 0]]},
                    {"op": "null", "name": "fc_weight", "attrs": {"__shape__": "(%d, %d)"}, "inputs": []},
                    {"op": "null", "name": "fc_bias", "attrs": {"__shape__": "(%d,)"}, "inputs": []},
                    {"op": "FullyConnected", "name": "fc", "attrs": {"num_hidden": "%d", "flatten": "True"},
                     "inputs": [[1, 0, 0], [2, 0, 0], [3, 0, 0]]}
                  ],
                  "arg_nodes": [0, 2, 3],
                  "node_row_ptr": [0, 1, 3, 4, 5, 6],
                  "heads": [[4, 0, 0]],
                  "attrs": {"mxnet_version": ["int", 10901]}
                }
                """.formatted(classes, features, classes, classes);
        return write(dir, name, symbol, w, b);
    }

    private static Path write(Path dir, String name, String symbol, float[][] w, float[] b) throws IOException {
        int classes = w.length;
        int features = w[0].length;
        float[] flat = new float[classes * features];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(w[c], 0, flat, c * features, features);
        }
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        params.writeBytes(longs(0x112, 0, 2));
        params.writeBytes(ndarray(new long[] {classes, features}, flat));
        params.writeBytes(ndarray(new long[] {classes}, b));
        params.writeBytes(longs(2));
        for (String key : new String[] {"arg:fc_weight", "arg:fc_bias"}) {
            byte[] text = key.getBytes(StandardCharsets.UTF_8);
            params.writeBytes(longs(text.length));
            params.writeBytes(text);
        }
        Files.write(dir.resolve(name + "-0000.params"), params.toByteArray());
        return Files.writeString(dir.resolve(name + "-symbol.json"), symbol);
    }

    private static byte[] ndarray(long[] shape, float[] values) {
        ByteBuffer out = ByteBuffer.allocate(4 + 4 + 4 + 8 * shape.length + 8 + 4 + 4 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xF993FAC9); // NDARRAY_V2_MAGIC
        out.putInt(0); // dense storage
        out.putInt(shape.length);
        for (long dim : shape) {
            out.putLong(dim);
        }
        out.putInt(1).putInt(0); // context: CPU, device 0
        out.putInt(0); // float32
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer out = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            out.putLong(v);
        }
        return out.array();
    }
}

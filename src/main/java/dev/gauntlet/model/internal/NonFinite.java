package dev.gauntlet.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * Internal: do not use. Finds NaN and infinite values in arrays and parameters with one
 * reduction each, on the array's own engine and device.
 *
 * <p>A finite sum has no NaN or infinite term, so the usual case costs one reduction and no copy
 * to the JVM. Only when the sum is not finite (a bad value, or finite values that overflowed) is
 * it decided exactly: {@code x − x} is 0 for every finite value and NaN for NaN and ±∞.
 * Counting the bad values (error path only) costs two more.
 */
public final class NonFinite {

    private NonFinite() {}

    /**
     * Tells whether every value of a floating-point array is finite; other types are always finite.
     *
     * @param array the array; not modified, its temporaries are closed
     * @return {@code true} if no value is NaN or infinite
     */
    public static boolean isFinite(NDArray array) {
        if (!array.getDataType().isFloating() || array.size() == 0) {
            return true;
        }
        try (NDArray sum = array.sum(); NDArray value = sum.toType(DataType.FLOAT32, false)) {
            if (Float.isFinite(value.getFloat())) {
                return true; // a finite sum has no NaN and no infinity among its terms
            }
        }
        try (NDArray difference = array.sub(array); NDArray sum = difference.sum();
                NDArray value = sum.toType(DataType.FLOAT32, false)) {
            return value.getFloat() == 0f; // the sum overflowed or a value is not finite: decide exactly
        }
    }

    /**
     * Counts the NaN and the infinite values of an array; for error messages.
     *
     * @param array a floating-point array
     * @return a description such as "3 NaN and 1 infinite of 12 values"
     */
    public static String count(NDArray array) {
        long nan = countTrue(array.isNaN());
        long infinite;
        try (NDArray abs = array.abs()) {
            infinite = countTrue(abs.eq(Float.POSITIVE_INFINITY)); // isInfinite() is not implemented on every engine
        }
        return nan + " NaN and " + infinite + " infinite of " + array.size() + " values";
    }

    /**
     * Finds the parameters of a block that hold NaN or infinite values.
     *
     * @param block the model's block
     * @return "name (shape): counts" for each bad parameter, in block order; empty if all are finite or the
     *     block exposes no parameters (ONNX Runtime, whose outputs are checked instead)
     */
    public static List<String> badParameters(Block block) {
        List<String> bad = new ArrayList<>();
        for (Pair<String, Parameter> entry : parameters(block)) {
            Parameter parameter = entry.getValue();
            if (!parameter.isInitialized()) {
                continue;
            }
            NDArray array = parameter.getArray();
            if (!isFinite(array)) {
                bad.add(entry.getKey() + " " + array.getShape() + ": " + count(array));
            }
        }
        return bad;
    }

    private static List<Pair<String, Parameter>> parameters(Block block) {
        try {
            List<Pair<String, Parameter>> all = new ArrayList<>();
            block.getParameters().forEach(all::add);
            return all;
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return List.of(); // an engine that keeps its weights to itself
        }
    }

    private static long countTrue(NDArray mask) {
        try (mask; NDArray asFloat = mask.toType(DataType.FLOAT32, false); NDArray sum = asFloat.sum()) {
            return (long) sum.getFloat();
        }
    }
}

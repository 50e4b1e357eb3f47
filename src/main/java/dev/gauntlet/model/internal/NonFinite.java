package dev.gauntlet.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
     * Tells, for each of several floating-point arrays, whether every value is finite, reading all
     * their sums from the engine at once: one synchronisation instead of one per array (an attack
     * step checks its logits and its gradient; each wait stalls the engine's queue, about 10% of a
     * PGD step on the Fashion-MNIST CNN). Decides exactly like {@link #isFinite(NDArray)}.
     *
     * @param arrays at least one floating-point array, not modified, their temporaries closed
     * @return per array, {@code true} if no value is NaN or infinite
     */
    public static boolean[] areFinite(NDArray... arrays) {
        boolean[] finite = new boolean[arrays.length];
        try (NDManager sums = arrays[0].getManager().newSubManager()) {
            NDList totals = new NDList(arrays.length);
            for (NDArray array : arrays) {
                NDArray sum = array.sum();
                sum.attach(sums);
                NDArray total = sum.toType(DataType.FLOAT32, false);
                total.attach(sums);
                NDArray single = total.reshape(1);
                single.attach(sums);
                totals.add(single);
            }
            float[] values = NDArrays.concat(totals).toFloatArray();
            for (int i = 0; i < arrays.length; i++) {
                // a finite sum has no NaN and no infinity among its terms; otherwise decide exactly
                finite[i] = Float.isFinite(values[i]) || isFinite(arrays[i]);
            }
        }
        return finite;
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

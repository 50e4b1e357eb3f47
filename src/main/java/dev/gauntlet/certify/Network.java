package dev.gauntlet.certify;

import java.util.List;

/**
 * A classifier's layers as the bound computations see them: affine maps (sparse, in double
 * precision), ReLUs and max pooling, each on a flattened vector. Built by {@link NetworkReader}.
 */
final class Network {

    /** One layer. */
    sealed interface Op permits Affine, Relu, MaxPool {
        /** @return the length of the layer's output */
        int outputSize();
    }

    /**
     * {@code y = M x + b} with {@code M} in compressed sparse rows.
     *
     * @param rowStart row r's entries are {@code [rowStart[r], rowStart[r + 1])}
     * @param columns the input index of each entry
     * @param values the weight of each entry
     * @param bias one value per output
     * @param inputSize the input length
     */
    record Affine(int[] rowStart, int[] columns, double[] values, double[] bias, int inputSize) implements Op {

        @Override
        public int outputSize() {
            return bias.length;
        }

        double[] apply(double[] x) {
            double[] y = new double[bias.length];
            for (int r = 0; r < y.length; r++) {
                double sum = bias[r];
                for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                    sum += values[e] * x[columns[e]];
                }
                y[r] = sum;
            }
            return y;
        }

        double[] applyAbs(double[] x) {
            double[] y = new double[bias.length];
            for (int r = 0; r < y.length; r++) {
                double sum = 0;
                for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                    sum += Math.abs(values[e]) * x[columns[e]];
                }
                y[r] = sum;
            }
            return y;
        }

        /** {@code aᵀ M}: the coefficients on the input of a linear function of the output. */
        double[] transposeApply(double[] a) {
            double[] result = new double[inputSize];
            for (int r = 0; r < a.length; r++) {
                double coefficient = a[r];
                if (coefficient != 0) {
                    for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                        result[columns[e]] += coefficient * values[e];
                    }
                }
            }
            return result;
        }

        double dotBias(double[] a) {
            double sum = 0;
            for (int r = 0; r < a.length; r++) {
                sum += a[r] * bias[r];
            }
            return sum;
        }
    }

    /**
     * The element-wise {@code max(x, 0)}.
     *
     * @param size the vector length
     */
    record Relu(int size) implements Op {

        @Override
        public int outputSize() {
            return size;
        }
    }

    /**
     * Max pooling: output {@code o} is the largest of the inputs {@code windows[o]}.
     *
     * @param windows the input indices of each output
     * @param inputSize the input length
     */
    record MaxPool(int[][] windows, int inputSize) implements Op {

        @Override
        public int outputSize() {
            return windows.length;
        }
    }

    private final List<Op> ops;
    private final List<String> names;
    private final int inputSize;

    Network(List<Op> ops, List<String> names, int inputSize) {
        this.ops = List.copyOf(ops);
        this.names = List.copyOf(names);
        this.inputSize = inputSize;
    }

    List<Op> ops() {
        return ops;
    }

    List<String> names() {
        return names;
    }

    int inputSize() {
        return inputSize;
    }

    int outputSize() {
        return ops.isEmpty() ? inputSize : ops.get(ops.size() - 1).outputSize();
    }

    /** Runs the network on one input, in double precision. */
    double[] forward(double[] x) {
        double[] current = x;
        for (Op op : ops) {
            current = forward(op, current);
        }
        return current;
    }

    static double[] forward(Op op, double[] x) {
        if (op instanceof Affine affine) {
            return affine.apply(x);
        }
        if (op instanceof Relu) {
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(x[i], 0);
            }
            return y;
        }
        MaxPool pool = (MaxPool) op;
        double[] y = new double[pool.windows().length];
        for (int o = 0; o < y.length; o++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i : pool.windows()[o]) {
                best = Math.max(best, x[i]);
            }
            y[o] = best;
        }
        return y;
    }
}

package dev.gauntlet.model;

/**
 * The two things every check does with one sample's logits on the JVM side: pick the predicted
 * class and turn them into probabilities. One definition, so that accuracy, slices, certification
 * and counterfactuals agree on ties and rounding.
 */
public final class Logits {

    private Logits() {}

    /**
     * Returns the index of the largest value; the first one on ties (as {@code numpy.argmax}).
     *
     * @param row one sample's logits or probabilities, not empty
     * @return the predicted class
     */
    public static int argMax(float[] row) {
        return argMax(row, 0, row.length);
    }

    /**
     * Returns the index, relative to {@code offset}, of the largest of {@code length} values; the first on ties.
     *
     * @param values a flat batch of rows
     * @param offset where the row starts
     * @param length the row's length, at least 1
     * @return the predicted class
     */
    public static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int c = 1; c < length; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Computes the softmax probabilities of one sample's logits, shifted by their maximum and summed in
     * double precision.
     *
     * @param logits one sample's logits; not modified
     * @return probabilities that sum to 1 (to float rounding)
     */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] exp = new double[logits.length];
        for (int c = 0; c < logits.length; c++) {
            exp[c] = Math.exp(logits[c] - max);
            sum += exp[c];
        }
        float[] p = new float[logits.length];
        for (int c = 0; c < logits.length; c++) {
            p[c] = (float) (exp[c] / sum);
        }
        return p;
    }
}

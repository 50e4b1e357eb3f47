package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import java.util.Locale;
import java.util.Objects;

/**
 * What a model file expects and returns, declared by its user: preprocessing applied before the
 * model, which output holds the scores and what kind of scores they are. Turns raw inputs into the
 * model's inputs and the model's outputs into logits, with operations autograd differentiates.
 *
 * @param preprocessing applied to raw inputs inside the classifier
 * @param outputKind what the score output holds
 * @param outputIndex which output holds the scores; -1 when the model must have exactly one
 */
record ModelContract(Preprocessing preprocessing, OutputKind outputKind, int outputIndex) {

    /** Probabilities are clipped here before the logarithm, so a zero stays finite. */
    static final float SMALLEST_PROBABILITY = 1e-30f;

    ModelContract {
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(outputKind, "outputKind");
    }

    boolean isIdentity() {
        return preprocessing.isIdentity() && outputKind == OutputKind.LOGITS && outputIndex <= 0;
    }

    NDArray prepare(NDArray rawInputs) {
        return preprocessing.apply(rawInputs);
    }

    /** Picks the score output and converts it to logits (or to a per-sample shift of them). */
    NDArray logits(NDList outputs, String modelName) {
        if (outputIndex < 0 && outputs.size() != 1) {
            throw new ShapeMismatchException("model '" + modelName + "' returns " + outputs.size() + " outputs "
                    + shapes(outputs) + "; declare which one holds the class scores with optOutputIndex(i)"
                    + " (spec: output: {index: i})");
        }
        int index = Math.max(outputIndex, 0);
        if (index >= outputs.size()) {
            throw new ShapeMismatchException("model '" + modelName + "' returns " + outputs.size() + " output(s) "
                    + shapes(outputs) + " but output " + index + " was declared to hold the scores");
        }
        NDArray scores = outputs.get(index);
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            if (!type.isFloating()) {
                throw new ShapeMismatchException("output " + index + " of model '" + modelName + "' holds " + type
                        + " values (class labels?), not scores; declare the output with the per-class scores");
            }
            scores = scores.toType(DataType.FLOAT32, false);
        }
        return switch (outputKind) {
            case LOGITS, LOG_PROBABILITIES -> scores;
            case PROBABILITIES -> scores.maximum(SMALLEST_PROBABILITY).log();
        };
    }

    private static String shapes(NDList outputs) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < outputs.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(outputs.get(i).getShape()).append(' ')
                    .append(outputs.get(i).getDataType());
        }
        return text.append(']').toString();
    }

    @Override
    public String toString() {
        return "preprocessing " + preprocessing + ", output " + outputKind.name().toLowerCase(Locale.ROOT)
                + (outputIndex >= 0 ? " #" + outputIndex : "");
    }
}

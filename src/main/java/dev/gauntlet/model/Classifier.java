package dev.gauntlet.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;

import java.util.Arrays;
import java.util.Optional;

/**
 * A classification model as Gauntlet's checks see it: logits for a batch of inputs and the
 * gradient of a loss with respect to those inputs.
 *
 * <p>Array methods work on one batch in the caller's manager; create that manager with
 * {@link #newScope()} and close it with try-with-resources so every temporary array is freed:
 * <pre>{@code
 * try (NDManager scope = classifier.newScope()) {
 *     NDArray x = batch.features(scope);
 *     NDArray grad = classifier.inputGradient(x, batch.labels(scope));
 *     ...
 * }
 * }</pre>
 * Dataset methods batch by {@link #batchSize()} and return plain Java values. Implementations are
 * safe to use from several threads at once and never change their inputs or their weights.
 */
public interface Classifier extends AutoCloseable {

    /**
     * Returns the shape of one input sample, e.g. {@code (1, 28, 28)}.
     *
     * @return the per-sample input shape
     */
    Shape inputShape();

    /**
     * Returns the number of classes, the width of the logits.
     *
     * @return the class count
     */
    int numClasses();

    /**
     * Returns the engine and device the model runs on.
     *
     * @return the compute target
     */
    ComputeTarget computeTarget();

    /**
     * Returns how many samples the dataset methods send through the model at once.
     *
     * @return the inference batch size
     */
    int batchSize();

    /**
     * Returns a SHA-256 fingerprint of the model's parameters (names, shapes and values), as 64
     * hex digits: the same weights always give the same fingerprint, on any engine.
     *
     * @return the fingerprint
     */
    String fingerprint();

    /**
     * Creates a manager on the model's device for the arrays of one unit of work; close it.
     *
     * @return a new scoped manager
     */
    NDManager newScope();

    /**
     * Computes the logits of a batch, in inference mode.
     *
     * @param inputs float32 inputs of shape {@code (n, inputShape...)}; not modified
     * @return logits of shape {@code (n, numClasses)}, owned by the inputs' manager
     * @throws ShapeMismatchException if the inputs do not have the model's input shape
     */
    NDArray logits(NDArray inputs);

    /**
     * Computes the gradient of the summed per-sample {@code loss} with respect to the inputs, with
     * the model in inference mode. No gradient reaches the model's parameters.
     *
     * @param inputs float32 inputs of shape {@code (n, inputShape...)}; not modified
     * @param labels int labels of shape {@code (n)}: the classes the loss refers to
     * @param loss the per-sample loss to differentiate
     * @return the gradient, shaped like the inputs and owned by the inputs' manager
     * @throws ShapeMismatchException if the inputs or labels have the wrong shape
     */
    NDArray inputGradient(NDArray inputs, NDArray labels, GradientLoss loss);

    /**
     * Computes the gradient of the softmax cross-entropy with respect to the inputs.
     *
     * @param inputs float32 inputs of shape {@code (n, inputShape...)}; not modified
     * @param labels int labels of shape {@code (n)}
     * @return the gradient, shaped like the inputs
     * @see GradientLoss#crossEntropy()
     */
    default NDArray inputGradient(NDArray inputs, NDArray labels) {
        return inputGradient(inputs, labels, GradientLoss.crossEntropy());
    }

    /**
     * Returns a capability this classifier has beyond logits and gradients, e.g.
     * {@link LayerView}, {@link DropoutSampling} or {@link LayerRandomization}; checks ask for
     * what they need instead of casting. By default, the classifier itself when it implements the
     * capability's interface.
     *
     * @param type the capability's interface
     * @param <C> the capability type
     * @return the capability, or empty if this model cannot offer it
     */
    default <C> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /**
     * Tells whether {@link #inputGradient} works; false for models on inference-only engines (ONNX
     * Runtime), whose gradient checks are refused or skipped by name. True by default.
     *
     * @return whether input gradients can be computed
     */
    default boolean hasInputGradients() {
        return true;
    }

    /**
     * Explains why a capability is missing, for error messages and skipped checks.
     *
     * @param type the capability's interface, or {@link InputGradients}
     * @return the reason and what to do instead
     */
    default String missingCapabilityReason(Class<?> type) {
        return getClass().getSimpleName() + " does not implement " + type.getSimpleName();
    }

    /**
     * Returns the device the model runs on.
     *
     * @return the device
     */
    default Device device() {
        return computeTarget().device();
    }

    /**
     * Computes the logits of every sample of a dataset, {@link #batchSize()} samples at a time
     * through {@link #logits(NDArray)}, each batch in its own closed scope.
     *
     * @param data samples of the model's input shape
     * @return one row of {@link #numClasses()} logits per sample
     * @throws ShapeMismatchException if the data does not fit the model
     */
    default float[][] logits(Dataset data) {
        int classes = numClasses();
        float[][] rows = new float[data.size()][];
        for (Batch batch : data.batches(batchSize())) {
            try (NDManager scope = newScope()) {
                float[] flat = logits(batch.features(scope)).toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    rows[batch.from() + i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return rows;
    }

    /**
     * Computes the softmax probabilities of every sample of a dataset.
     *
     * @param data samples of the model's input shape
     * @return one row of probabilities (summing to 1) per sample
     */
    default float[][] probabilities(Dataset data) {
        float[][] rows = logits(data);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Logits.softmax(rows[i]);
        }
        return rows;
    }

    /**
     * Predicts the class of every sample of a dataset (the arg-max of the logits).
     *
     * @param data samples of the model's input shape
     * @return one class index per sample
     */
    default int[] predict(Dataset data) {
        float[][] rows = logits(data);
        int[] classes = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            classes[i] = Logits.argMax(rows[i]);
        }
        return classes;
    }

    /**
     * Computes the fraction of samples whose predicted class equals their label.
     *
     * @param data labelled samples of the model's input shape
     * @return the accuracy in {@code [0, 1]}
     */
    default double accuracy(Dataset data) {
        int[] predicted = predict(data);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == data.label(i)) {
                correct++;
            }
        }
        return (double) correct / predicted.length;
    }

    /** Releases the model's native resources, if this classifier owns them. */
    @Override
    void close();
}

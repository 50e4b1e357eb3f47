package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Dataset;

import java.util.Objects;

/**
 * A classifier that forwards every call to another; override the calls to change, e.g. to add
 * input preprocessing, to count queries, or to build the deliberately broken models that sanity
 * checks must catch.
 */
public abstract class ForwardingClassifier implements Classifier {

    private final Classifier delegate;

    /**
     * Wraps a classifier.
     *
     * @param delegate the classifier to forward to
     */
    protected ForwardingClassifier(Classifier delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Returns the wrapped classifier.
     *
     * @return the delegate
     */
    protected Classifier delegate() {
        return delegate;
    }

    @Override
    public Shape inputShape() {
        return delegate.inputShape();
    }

    @Override
    public int numClasses() {
        return delegate.numClasses();
    }

    @Override
    public ComputeTarget computeTarget() {
        return delegate.computeTarget();
    }

    @Override
    public int batchSize() {
        return delegate.batchSize();
    }

    @Override
    public String fingerprint() {
        return delegate.fingerprint();
    }

    @Override
    public NDManager newScope() {
        return delegate.newScope();
    }

    @Override
    public NDArray logits(NDArray inputs) {
        return delegate.logits(inputs);
    }

    @Override
    public NDArray inputGradient(NDArray inputs, NDArray labels, GradientLoss loss) {
        return delegate.inputGradient(inputs, labels, loss);
    }

    /**
     * Computes the logits of a dataset batch by batch through {@link #logits(NDArray)}, so an
     * override of that method applies here too.
     */
    @Override
    public float[][] logits(Dataset data) {
        float[][] rows = new float[data.size()][];
        for (var batch : data.batches(batchSize())) {
            try (NDManager scope = newScope()) {
                float[] flat = logits(batch.features(scope)).toFloatArray();
                int classes = numClasses();
                for (int i = 0; i < batch.size(); i++) {
                    rows[batch.from() + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return rows;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}

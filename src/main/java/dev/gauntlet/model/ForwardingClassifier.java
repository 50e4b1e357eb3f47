package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Objects;
import java.util.Optional;

/**
 * A classifier that forwards every call to another; override the calls to change, e.g. to add
 * input preprocessing, to count queries, or to build the deliberately broken models that sanity
 * checks must catch. The dataset methods batch through {@link #logits(NDArray)}, so an override
 * of it applies to them too.
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
     * Forwards to the delegate. A subclass that changes what the model computes (its logits or
     * gradients) should hide the capabilities that would bypass the change, e.g. the layer view.
     */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return delegate.capability(type);
    }

    @Override
    public boolean hasInputGradients() {
        return delegate.hasInputGradients();
    }

    @Override
    public String missingCapabilityReason(Class<?> type) {
        return delegate.missingCapabilityReason(type);
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

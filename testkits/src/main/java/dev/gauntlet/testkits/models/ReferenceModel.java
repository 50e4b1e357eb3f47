package dev.gauntlet.testkits.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.testkits.data.ReferenceData;

import java.util.function.Supplier;

/**
 * The reference models Gauntlet tests itself on, each an architecture, the real data it is
 * trained on and a fixed training recipe (Adam, batch size, epochs).
 *
 * <p>Get a trained one with {@link ReferenceModels#load(ReferenceModel, long)}: it is trained on
 * first use and cached on disk, keyed by {@link #cacheKey(long)}.
 */
public enum ReferenceModel {

    /** Fashion-MNIST CNN ({@link Architectures#fashionCnn()}); held-out accuracy about 0.9. */
    FASHION_CNN("fashion-cnn", Architectures::fashionCnn, ReferenceData::fashionMnist, new Shape(1, 28, 28), 10,
            6, 128, 1e-3f),
    /** Fashion-MNIST CNN with dropout ({@link Architectures#fashionCnnWithDropout()}). */
    FASHION_CNN_DROPOUT("fashion-cnn-dropout", Architectures::fashionCnnWithDropout, ReferenceData::fashionMnist,
            new Shape(1, 28, 28), 10, 6, 128, 1e-3f),
    /**
     * The Fashion-MNIST CNN trained on data with a planted corner trigger
     * ({@link ReferenceData#fashionMnistWithTrigger()}): the white patch decides class 0.
     */
    FASHION_TRIGGER_CNN("fashion-trigger-cnn", Architectures::fashionCnn, ReferenceData::fashionMnistWithTrigger,
            new Shape(1, 28, 28), 10, 3, 128, 1e-3f),
    /** UCI digits MLP 64-128-10 on pixels scaled to [0, 1]. */
    DIGITS_MLP("digits-mlp", () -> Architectures.mlp(10, 128), ReferenceData::digits, new Shape(64), 10,
            40, 32, 1e-3f),
    /** UCI breast-cancer MLP 30-32-2 on standardised features. */
    BREAST_CANCER_MLP("breast-cancer-mlp", () -> Architectures.mlp(2, 32), ReferenceData::breastCancer,
            new Shape(30), 2, 60, 32, 1e-3f);

    /** Bumped whenever a recipe changes, so stale cached models are not reused. */
    static final int RECIPE_VERSION = 1;

    private final String id;
    private final Supplier<Block> architecture;
    private final Supplier<DatasetSplit> data;
    private final Shape inputShape;
    private final int numClasses;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;

    ReferenceModel(String id, Supplier<Block> architecture, Supplier<DatasetSplit> data, Shape inputShape,
            int numClasses, int epochs, int batchSize, float learningRate) {
        this.id = id;
        this.architecture = architecture;
        this.data = data;
        this.inputShape = inputShape;
        this.numClasses = numClasses;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
    }

    /**
     * Returns the short name, e.g. {@code fashion-cnn}.
     *
     * @return the id used in cache keys and reports
     */
    public String id() {
        return id;
    }

    /**
     * Returns the architecture factory.
     *
     * @return a supplier of new, uninitialised blocks
     */
    public Supplier<Block> architecture() {
        return architecture;
    }

    /**
     * Returns the data the model is trained (train part) and judged (test part) on.
     *
     * @return the train/test split
     */
    public DatasetSplit data() {
        return data.get();
    }

    /**
     * Returns the shape of one input sample.
     *
     * @return the input shape
     */
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * Returns the number of classes.
     *
     * @return the class count
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the number of training epochs.
     *
     * @return the epoch count
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Returns the training batch size.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns Adam's learning rate.
     *
     * @return the learning rate
     */
    public float learningRate() {
        return learningRate;
    }

    /**
     * Returns the cache key: architecture and data, seed, epochs and recipe version.
     *
     * @param seed the training seed
     * @return e.g. {@code fashion-cnn-seed42-e5-r1}
     */
    public String cacheKey(long seed) {
        return id + "-seed" + seed + "-e" + epochs + "-r" + RECIPE_VERSION;
    }
}

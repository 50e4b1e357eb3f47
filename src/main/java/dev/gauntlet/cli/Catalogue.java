package dev.gauntlet.cli;

import ai.djl.nn.Block;

import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.Classifier;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Named architectures, trained models and datasets a gate spec may refer to by id, found through
 * {@link java.util.ServiceLoader}: {@code gauntlet-testkits} registers its reference models and data,
 * so {@code architecture: fashion-cnn} or {@code model: {reference: digits-mlp}} work when it is on
 * the classpath.
 */
public interface Catalogue {

    /**
     * Returns an architecture factory.
     *
     * @param id e.g. {@code fashion-cnn}
     * @return a supplier of new, uninitialised blocks, or empty if this catalogue has no such id
     */
    Optional<Supplier<Block>> architecture(String id);

    /**
     * Returns a trained model.
     *
     * @param id e.g. {@code digits-mlp}
     * @return a classifier the caller closes, or empty if this catalogue has no such id
     */
    Optional<Classifier> model(String id);

    /**
     * Returns a dataset.
     *
     * @param id e.g. {@code digits}
     * @return its train and test parts, or empty if this catalogue has no such id
     */
    Optional<DatasetSplit> data(String id);

    /**
     * Lists the ids this catalogue knows, for error messages.
     *
     * @return model and architecture ids, then data ids
     */
    List<String> ids();
}

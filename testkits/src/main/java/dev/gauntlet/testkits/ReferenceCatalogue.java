package dev.gauntlet.testkits;

import ai.djl.nn.Block;

import dev.gauntlet.cli.Catalogue;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The reference models, their architectures and the reference data, by id, for gate specs
 * ({@code architecture: fashion-cnn}, {@code model: {reference: digits-mlp}},
 * {@code data: {reference: breast-cancer}}); registered as a {@link Catalogue} service.
 */
public final class ReferenceCatalogue implements Catalogue {

    private static final List<String> DATA = List.of("digits", "breast-cancer", "fashion-mnist");

    @Override
    public Optional<Supplier<Block>> architecture(String id) {
        return reference(id).map(ReferenceModel::architecture);
    }

    @Override
    public Optional<Classifier> model(String id) {
        return reference(id).map(ReferenceModels::load); // trained and cached on first use
    }

    @Override
    public Optional<DatasetSplit> data(String id) {
        return switch (id) {
            case "digits" -> Optional.of(ReferenceData.digits());
            case "breast-cancer" -> Optional.of(ReferenceData.breastCancer());
            case "fashion-mnist" -> Optional.of(ReferenceData.fashionMnist());
            default -> Optional.empty();
        };
    }

    @Override
    public List<String> ids() {
        List<String> ids = new ArrayList<>(Arrays.stream(ReferenceModel.values()).map(ReferenceModel::id).toList());
        ids.addAll(DATA);
        return ids;
    }

    private static Optional<ReferenceModel> reference(String id) {
        return Arrays.stream(ReferenceModel.values()).filter(r -> r.id().equals(id)).findFirst();
    }
}

package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.testkits.models.ReferenceModels.TrainingRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Training is a function of the seed: the same seed gives bit-identical weights. */
class DeterminismTests {

    @Test
    void same_seed_gives_the_same_fingerprint_and_another_seed_another(@TempDir Path dir) {
        TrainingRecord first = ReferenceModels.train(ReferenceModel.DIGITS_MLP, 7, dir.resolve("a"));
        TrainingRecord again = ReferenceModels.train(ReferenceModel.DIGITS_MLP, 7, dir.resolve("b"));
        TrainingRecord other = ReferenceModels.train(ReferenceModel.DIGITS_MLP, 8, dir.resolve("c"));

        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(other.fingerprint()).isNotEqualTo(first.fingerprint());
        try (DjlClassifier loaded = ReferenceModels.open(ReferenceModel.DIGITS_MLP, dir.resolve("a"))) {
            assertThat(loaded.fingerprint()).as("fingerprint survives save and load").isEqualTo(first.fingerprint());
        }
    }
}

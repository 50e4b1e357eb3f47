package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.attack.SampleOutcome;
import dev.gauntlet.attack.Shard;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ModelCache;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * On the trained reference models, an evaluation split into 2 and 4 shards of whole batches and
 * merged gives the unsplit report bit for bit.
 */
class ShardedEvaluationTests {

    private static final long SEED = 5;

    @Test
    void the_digits_mlp_gives_the_same_report_unsplit_and_in_two_or_four_shards() {
        Dataset test = ReferenceModel.DIGITS_MLP.data().test();
        try (Classifier mlp = batched(ReferenceModel.DIGITS_MLP, 64)) {
            for (Attack attack : List.of(Attacks.pgd().linf(0.05).steps(10), Attacks.square().linf(0.05).queries(100),
                    Attacks.cascade(Attacks.apgd().linf(0.05).steps(10), Attacks.square().linf(0.05).queries(50)))) {
                assertSplitInvariant(mlp, test, attack);
            }
        }
    }

    @Test
    void the_fashion_cnn_gives_the_same_report_unsplit_and_in_two_or_four_shards() {
        Dataset sample = ReferenceModel.FASHION_CNN.data().test().sample(256, 2026);
        try (Classifier cnn = batched(ReferenceModel.FASHION_CNN, 64)) {
            for (Attack attack : List.of(Attacks.pgd().linf(0.03).steps(10), Attacks.square().linf(0.03).queries(100))) {
                assertSplitInvariant(cnn, sample, attack);
            }
        }
    }

    private static void assertSplitInvariant(Classifier classifier, Dataset data, Attack attack) {
        RobustnessReport whole = RobustnessEvaluator.evaluate(classifier, data, attack, SEED);
        assertThat(whole.outcomes().stream().filter(SampleOutcome::fooled).count()).as(attack.name()).isPositive();
        assertThat(whole.outcomes().stream().filter(SampleOutcome::robust).count()).as(attack.name()).isPositive();
        for (int count : new int[] {2, 4}) {
            List<RobustnessReport> shards = new ArrayList<>();
            for (Shard shard : Shard.split(data.size(), count, classifier.batchSize())) {
                shards.add(RobustnessEvaluator.evaluate(classifier, data, shard, attack, SEED));
            }
            assertThat(shards).hasSize(count);
            RobustnessReport merged = RobustnessReport.merge(shards);
            assertThat(merged.outcomes()).as(attack.name() + " in " + count + " shards").isEqualTo(whole.outcomes());
            assertThat(merged).as(attack.name() + " in " + count + " shards").isEqualTo(whole);
        }
    }

    /** The cached reference model, with a batch size that makes four shards of the test data. */
    private static Classifier batched(ReferenceModel reference, int batchSize) {
        ReferenceModels.load(reference).close();
        return DjlClassifier.builder().setArchitecture(reference.architecture())
                .setInputShape(reference.inputShape().getShape()).setNumClasses(reference.numClasses())
                .optParameters(ModelCache.modelDir(reference.cacheKey(ReferenceModels.DEFAULT_SEED)), "model")
                .optBatchSize(batchSize).optName(reference.id()).build();
    }
}

package dev.gauntlet.certify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.Shard;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.report.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A bracket evaluated in 2 and 4 shards of whole batches and merged equals the unsplit one bit for bit
 * (verdicts, margins, every aggregate), smoothing certificates merge from shards split anywhere, and
 * merging refuses shards of different runs, overlaps and gaps.
 */
class ShardedCertificationTests {

    private static final long SEED = 11;

    @Test
    void merged_shards_give_the_unsplit_bracket_for_crown_and_ibp() {
        Dataset train = CertifyModels.blobs(300, 1);
        Dataset test = CertifyModels.blobs(90, 2);
        try (Model model = CertifyModels.trainedMlp(train); Classifier classifier = batched(model, 16)) {
            Attack pgd = Attacks.pgd().linf(0.06).steps(10).restarts(2);
            for (BoundMethod method : BoundMethod.values()) {
                CertificationReport whole = CertificationEvaluator.evaluate(classifier, test, pgd, method, SEED);
                assertThat(whole.attackedFraction()).as("both verdicts occur, so a mix-up would show").isPositive();
                assertThat(whole.certifiedAccuracy()).isPositive();
                for (int count : new int[] {2, 4}) {
                    List<CertificationReport> shards = new ArrayList<>();
                    for (Shard shard : Shard.split(test.size(), count, classifier.batchSize())) {
                        shards.add(CertificationEvaluator.evaluate(classifier, test, shard, pgd, method, SEED));
                    }
                    assertThat(shards).hasSize(count);
                    Collections.reverse(shards); // any order
                    CertificationReport merged = CertificationReport.merge(shards);
                    assertThat(merged).as("%s in %d shards", method, count).isEqualTo(whole);
                    assertThat(Double.doubleToRawLongBits(merged.certifiedAccuracy()))
                            .isEqualTo(Double.doubleToRawLongBits(whole.certifiedAccuracy()));
                    assertThat(Json.write(merged.toMap())).isEqualTo(Json.write(whole.toMap()));
                }
            }
        }
    }

    @Test
    void merge_refuses_other_runs_overlaps_gaps_and_misaligned_shards() {
        Dataset train = CertifyModels.blobs(300, 1);
        Dataset test = CertifyModels.blobs(64, 3);
        try (Model model = CertifyModels.trainedMlp(train); Classifier classifier = batched(model, 16)) {
            Attack pgd = Attacks.pgd().linf(0.03).steps(5);
            CertificationReport a = CertificationEvaluator.evaluate(classifier, test, new Shard(0, 32), pgd,
                    BoundMethod.IBP, SEED);
            CertificationReport b = CertificationEvaluator.evaluate(classifier, test, new Shard(32, 64), pgd,
                    BoundMethod.IBP, SEED);
            CertificationReport c = CertificationEvaluator.evaluate(classifier, test, new Shard(48, 64), pgd,
                    BoundMethod.IBP, SEED);
            CertificationReport otherSeed = CertificationEvaluator.evaluate(classifier, test, new Shard(32, 64), pgd,
                    BoundMethod.IBP, SEED + 1);
            assertThatThrownBy(() -> CertificationReport.merge(List.of(a, otherSeed)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different runs");
            assertThatThrownBy(() -> CertificationReport.merge(List.of(a, b, c)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
            assertThatThrownBy(() -> CertificationReport.merge(List.of(a, c)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap")
                    .hasMessageContaining("32..47");
            assertThatThrownBy(() -> CertificationEvaluator.evaluate(classifier, test, new Shard(8, 64), pgd,
                    BoundMethod.IBP, SEED)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("batch boundaries");
            assertThat(CertificationReport.merge(List.of(b, a))).isEqualTo(
                    CertificationEvaluator.evaluate(classifier, test, pgd, BoundMethod.IBP, SEED));
        }
    }

    @Test
    void smoothing_certificates_merge_from_shards_split_anywhere() {
        Dataset train = CertifyModels.blobs(300, 1);
        Dataset test = CertifyModels.blobs(30, 4);
        RandomizedSmoothing smoothing = RandomizedSmoothing.gaussian(0.25).samples(50, 500);
        try (Model model = CertifyModels.trainedMlp(train); Classifier classifier = batched(model, 16)) {
            SmoothingReport whole = smoothing.certify(classifier, test, SEED);
            assertThat(whole.abstentionRate()).isLessThan(1.0);
            SmoothingReport merged = SmoothingReport.merge(List.of(smoothing.certify(classifier, test, new Shard(17, 30),
                    SEED), smoothing.certify(classifier, test, new Shard(0, 7), SEED),
                    smoothing.certify(classifier, test, new Shard(7, 17), SEED)));
            assertThat(merged).isEqualTo(whole);
            assertThat(Json.write(merged.toMap())).isEqualTo(Json.write(whole.toMap()));
            assertThatThrownBy(() -> SmoothingReport.merge(List.of(smoothing.certify(classifier, test, new Shard(0, 7),
                    SEED), smoothing.certify(classifier, test, new Shard(9, 30), SEED))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7..8");
        }
    }

    private static Classifier batched(Model model, int batchSize) {
        return DjlClassifier.builder().setModel(model).setInputShape(2).setNumClasses(3).optBatchSize(batchSize)
                .build();
    }
}

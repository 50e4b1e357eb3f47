package com.example.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.attack.SampleOutcome;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluation sharded over Spark in local mode (four executor threads in this JVM, each task
 * loading and closing its own copy of the model) merges into the single-JVM report bit for bit,
 * on 2 and on 4 partitions.
 */
class ShardedRobustnessEvaluationTest {

    private static JavaSparkContext spark;
    private static ShardedRobustnessEvaluation evaluation;
    private static RobustnessReport single;

    @BeforeAll
    static void start() {
        evaluation = new ShardedRobustnessEvaluation(ShardedRobustnessEvaluation.cachedModel(),
                ShardedRobustnessEvaluation.attack(), 7);
        single = evaluation.evaluateHere();
        spark = new JavaSparkContext(new SparkConf().setMaster("local[4]").setAppName("sharded-evaluation-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
    }

    @Test
    void the_single_jvm_report_attacks_every_held_out_digit_and_fools_some() {
        assertThat(single.samples()).isEqualTo(359);
        assertThat(single.outcomes()).hasSize(359);
        assertThat(single.cleanAccuracy()).isGreaterThan(0.9);
        assertThat(single.outcomes().stream().filter(SampleOutcome::fooled).count()).isPositive();
        assertThat(single.outcomes().stream().filter(SampleOutcome::robust).count()).isPositive();
    }

    @Test
    void two_partitions_merge_into_the_single_jvm_report_bit_for_bit() {
        assertEqualBitForBit(evaluation.run(spark, 2));
    }

    @Test
    void four_partitions_merge_into_the_single_jvm_report_bit_for_bit() {
        assertEqualBitForBit(evaluation.run(spark, 4));
    }

    private static void assertEqualBitForBit(RobustnessReport merged) {
        assertThat(merged.outcomes()).isEqualTo(single.outcomes());
        assertThat(merged.toMap()).isEqualTo(single.toMap());
        for (String metric : new String[] {"cleanAccuracy", "robustAccuracy", "attackSuccessRate", "meanL2",
            "medianL2OfSuccessfulPerturbations", "medianMinimalPerturbation", "maxLinf", "maxBudgetExcess"}) {
            assertThat(Double.doubleToRawLongBits((Double) merged.toMap().get(metric))).as(metric)
                    .isEqualTo(Double.doubleToRawLongBits((Double) single.toMap().get(metric)));
        }
        assertThat(merged.examples()).isEqualTo(single.examples());
        assertThat(merged).isEqualTo(single);
    }
}

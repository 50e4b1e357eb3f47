package dev.gauntlet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.Map;
import java.util.TreeMap;

/** The extension, driven through the JUnit engine with fixture classes ({@code *TestCases}). */
class GauntletExtensionTests {

    private static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .selectors(selectClass(fixture))
                .execute();
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    @Test
    void a_passing_and_a_failing_check_give_the_expected_events_and_message() {
        Events tests = run(AccuracyTestCases.class).testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("fails"), finishedWithFailure(
                instanceOf(AssertionError.class),
                message(m -> m.contains("check accuracy") && m.contains("accuracy >= 0.8")
                        && m.contains("but was:") && m.contains(String.valueOf(Fixtures.ACCURACY))
                        && m.contains("on 40 samples") && m.contains("threshold=0.8")))));
    }

    @Test
    void soft_assertions_report_every_failure_of_a_test_at_once() {
        Events tests = run(SoftAssertionTestCases.class).testEvents();

        tests.assertStatistics(stats -> stats.failed(1));
        Throwable failure = tests.failed().list().get(0).getRequiredPayload(
                org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertJMultipleFailuresError.class);
        assertThat(((AssertJMultipleFailuresError) failure).getFailures()).hasSize(3);
        assertThat(failure.getMessage()).contains("accuracy >= 0.8", "accuracy >= 0.9", "accuracy >= 0.99",
                "gaussian-noise(sigma=0.01)");
    }

    @Test
    void parameters_resolve_from_declarations_loaded_once_per_class() {
        ParameterTestCases.SEEN.clear();
        ParameterTestCases.factoryCalls = 0;

        run(ParameterTestCases.class, Map.of(ModelTest.SEED, "17")).testEvents()
                .assertStatistics(stats -> stats.succeeded(2));

        assertThat(ParameterTestCases.factoryCalls).as("model loaded once per class").isEqualTo(1);
        assertThat(ParameterTestCases.SEEN.get("first")).isSameAs(ParameterTestCases.SEEN.get("second"));
        assertThat(ParameterTestCases.SEEN).containsEntry("allSize", 40).containsEntry("someSize", 10)
                .containsEntry("seed", 17L).containsEntry("factorySeed", 17L);
    }

    @Test
    void models_are_closed_when_the_class_ends() {
        Fixtures.CREATED.clear();
        run(AccuracyTestCases.class);
        assertThat(Fixtures.CREATED).hasSize(1);
        assertThat(Fixtures.CREATED.get(0).isClosed()).isTrue();
    }

    @Test
    void parallel_execution_gives_the_same_results_as_sequential() {
        ParallelTestCases.RESULTS.clear();
        run(ParallelTestCases.class).testEvents().assertStatistics(stats -> stats.succeeded(8));
        Map<Integer, String> sequential = new TreeMap<>(ParallelTestCases.RESULTS);

        ParallelTestCases.RESULTS.clear();
        run(ParallelTestCases.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
                .testEvents().assertStatistics(stats -> stats.succeeded(8));

        assertThat(sequential).hasSize(8);
        Map<Integer, String> parallel = new TreeMap<>(ParallelTestCases.RESULTS);
        long identical = sequential.entrySet().stream().filter(e -> e.getValue().equals(parallel.get(e.getKey()))).count();
        System.out.printf("[gauntlet] 8 tests sharing one model on %s: parallel (4 threads) vs sequential, %d of 8"
                + " results identical (accuracy, input-gradient and logits hashes)%n",
                ai.djl.engine.Engine.getDefaultEngineName(), identical);
        assertThat(parallel).isEqualTo(sequential);
    }

    @Test
    void a_model_parameter_without_a_declared_model_is_a_clear_error() {
        run(MisuseTestCases.NoModelDeclared.class).testEvents().assertThatEvents().haveExactly(1,
                finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("No model for parameter") && m.contains("@GauntletModel"))));
    }

    @Test
    void two_candidate_models_for_one_parameter_is_a_clear_error() {
        run(MisuseTestCases.TwoModelsDeclared.class).testEvents().assertThatEvents().haveExactly(1,
                finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("2 models could fill") && m.contains("[first, second]")
                                && m.contains("@GauntletModel(\"name\")"))));
    }

    @Test
    void a_data_field_of_the_wrong_type_fails_the_class_clearly() {
        run(MisuseTestCases.DataFieldOfWrongType.class).containerEvents().assertThatEvents().haveExactly(1,
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("DataFieldOfWrongType.notData") && m.contains("java.lang.String")
                                && m.contains("dev.gauntlet.data.Dataset"))));
    }
}

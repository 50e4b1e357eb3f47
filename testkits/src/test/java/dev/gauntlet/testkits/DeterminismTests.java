package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.testkits.models.ReferenceModels.TrainingRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Results are a function of the seed: the same seed gives bit-identical weights and check results. */
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

    @Test
    void seeded_checks_give_bit_identical_results_in_two_jvms() throws Exception {
        ReferenceModels.load(ReferenceModel.DIGITS_MLP).close(); // cached before the two runs race to train it
        String first = probe();
        String second = probe();
        System.out.println("[gauntlet] determinism across JVMs: " + first + " / " + second);
        assertThat(first).startsWith("digest ").hasSize("digest ".length() + 64);
        assertThat(second).isEqualTo(first);
    }

    /** Runs DeterminismProbe in a fresh JVM with this test's classpath and returns its digest line. */
    private static String probe() throws Exception {
        Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBinary.toString(), "-cp",
                System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"));
        for (String property : new String[] {"gauntlet.cache.dir", "gauntlet.engine", "gauntlet.device"}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("dev.gauntlet.testkits.bench.DeterminismProbe");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines().filter(l -> l.startsWith("digest ")).findFirst().orElseThrow(
                () -> new AssertionError("no digest in: " + output));
    }
}

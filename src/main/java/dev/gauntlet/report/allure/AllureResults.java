package dev.gauntlet.report.allure;

import ai.djl.engine.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

/**
 * Writes, once per results folder and JVM, the files Allure's report reads besides the results:
 * {@code categories.json} (how failures are sorted: robustness regression, calibration, drift,
 * explanation instability, broken check) and {@code environment.properties} (Java, engine,
 * operating system). Does nothing when Allure is not on the classpath.
 */
public final class AllureResults {

    private static final Set<Path> PREPARED = ConcurrentHashMap.newKeySet();

    private AllureResults() {}

    /**
     * Prepares a results folder.
     *
     * @param dir the Allure results folder
     */
    public static void prepare(Path dir) {
        prepare(dir, Map.of());
    }

    /**
     * Prepares a results folder with more environment facts, e.g. a gate run's model fingerprint, seed and
     * dataset digests.
     *
     * @param dir the Allure results folder
     * @param facts more {@code environment.properties} entries, in order
     */
    public static void prepare(Path dir, Map<String, String> facts) {
        if (!AllureEvidence.isAvailable() || !PREPARED.add(dir.toAbsolutePath())) {
            return;
        }
        try {
            Files.createDirectories(dir);
            try (InputStream categories = AllureResults.class.getResourceAsStream("categories.json")) {
                if (categories != null) {
                    Files.copy(categories, dir.resolve("categories.json"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Properties environment = new Properties();
            environment.setProperty("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
            environment.setProperty("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            environment.setProperty("DJL engine", Engine.getDefaultEngineName() + " " + Engine.getInstance().getVersion());
            facts.forEach(environment::setProperty);
            try (Writer out = Files.newBufferedWriter(dir.resolve("environment.properties"))) {
                environment.store(out, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Allure environment files to " + dir, e);
        }
    }
}

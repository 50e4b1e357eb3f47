package dev.gauntlet.testkits;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gauntlet.testkits.demo.BreastCancerGate;
import dev.gauntlet.testkits.demo.DigitsGate;
import dev.gauntlet.testkits.models.ModelCache;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo main job: runs the tabular battery ({@code TabularClassifierKit}) on the UCI digits and
 * breast-cancer reference models (trained and cached on first use), prints one line per check
 * and a summary, and writes Allure results for the HTML report.
 *
 * <p>Run it with {@code mvn -B -q -f testkits/pom.xml compile exec:java} after installing the
 * library (see README); it needs only Java 17 and Maven: the data is embedded. The first argument
 * is the results folder (default {@code reports/demo/allure-results}); the exit status is 1 when a
 * check fails.
 */
public final class Demo {

    private Demo() {}

    /**
     * Runs the demo gate.
     *
     * @param args optionally the Allure results folder
     */
    public static void main(String[] args) {
        Path results = Path.of(args.length > 0 ? args[0] : "reports/demo/allure-results").toAbsolutePath();
        clear(results);
        System.setProperty("allure.results.directory", results.toString());
        System.out.printf("Gauntlet demo gate — model cache %s, Allure results %s%n%n", ModelCache.root(), results);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(DigitsGate.class), selectClass(BreastCancerGate.class))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true").build();
        Printer printer = new Printer();
        long start = System.nanoTime();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, printer);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%n%d passed, %d failed, %d skipped in %.1f s%n", printer.passed.get(), printer.failed.get(),
                printer.skipped.get(), seconds);
        if (printer.failed.get() > 0) {
            System.exit(1);
        }
    }

    /** Removes the previous run's results, so the report shows this run only. */
    private static void clear(Path results) {
        if (!java.nio.file.Files.isDirectory(results)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(results)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear the previous results in " + results, e);
        }
    }

    /** Prints one line per finished check. */
    private static final class Printer implements TestExecutionListener {
        private final AtomicInteger passed = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private String gate = "";

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
            if (id.isContainer() && id.getUniqueId().contains("[class:") && !id.getUniqueId().contains("[test-factory")) {
                gate = id.getDisplayName();
                System.out.println(gate);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                skipped.incrementAndGet();
                System.out.printf("  SKIP  %-72s %s%n", id.getDisplayName(), reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                return;
            }
            double seconds = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1e9;
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    passed.incrementAndGet();
                    yield "PASS";
                }
                case ABORTED -> {
                    skipped.incrementAndGet();
                    yield "SKIP";
                }
                case FAILED -> {
                    failed.incrementAndGet();
                    yield "FAIL";
                }
            };
            System.out.printf("  %-4s  %-72s %6.1f s%n", status, id.getDisplayName(), seconds);
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                result.getThrowable().ifPresent(t -> System.out.println("        " + t.getMessage().strip()
                        .replace("\n", "\n        ")));
            }
        }
    }
}

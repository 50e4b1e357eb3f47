package dev.gauntlet.junit;

import dev.gauntlet.report.allure.AllureResults;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report side of {@link ModelTest}, for test classes that bring their own models (the ready-made kits,
 * plain JUnit classes using {@code assertThatModel}): before the class, it writes the Allure results
 * folder's {@code categories.json} and {@code environment.properties}; after it, it refreshes the
 * per-model overview pages with every bar judged so far. The folder is {@code gauntlet.reportDir}, else
 * {@code allure.results.directory}, else {@code target/allure-results}.
 *
 * <pre>{@code
 * @ExtendWith(GauntletReporting.class)
 * class MyModelTests { ... }
 * }</pre>
 */
public final class GauntletReporting implements BeforeAllCallback, AfterAllCallback {

    /** Creates the extension; JUnit does, through {@code @ExtendWith}. */
    public GauntletReporting() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        GauntletConfiguration configuration = GauntletConfiguration.from(context::getConfigurationParameter);
        AllureResults.prepare(configuration.reportDir(), facts(configuration));
    }

    /** The run's facts for Allure's environment page: library version, seed, engine and device asked for. */
    static Map<String, String> facts(GauntletConfiguration configuration) {
        Map<String, String> facts = new LinkedHashMap<>();
        String version = GauntletReporting.class.getPackage().getImplementationVersion();
        facts.put("Gauntlet", version == null ? "development" : version);
        facts.put("Seed", Long.toString(configuration.seed()));
        facts.put("Requested engine", configuration.engine().orElse("default"));
        facts.put("Requested device", configuration.device());
        return facts;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        AllureResults.writeOverview(resultsDir(context));
    }

    private static Path resultsDir(ExtensionContext context) {
        return GauntletConfiguration.from(context::getConfigurationParameter).reportDir();
    }
}

package dev.gauntlet.junit;

import dev.gauntlet.model.ComputeTarget;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The settings of a {@link ModelTest} run, resolved from JUnit configuration parameters
 * ({@code junit-platform.properties} or system properties), then defaults. Factory methods of
 * models and datasets, and tests, may take it as a parameter.
 *
 * @param seed the seed of every random choice (default 0)
 * @param engine the DJL engine name, or empty for DJL's default
 * @param device the device text ({@code cpu}, {@code gpu}, {@code gpu:N}); default {@code cpu}
 * @param sampleSize the largest sample size of declared datasets, or empty for all
 * @param reportDir where Allure results are written
 */
public record GauntletConfiguration(long seed, Optional<String> engine, String device, OptionalInt sampleSize,
        Path reportDir) {

    /**
     * Resolves the configuration from a source of parameters.
     *
     * @param parameters a lookup such as {@code ExtensionContext::getConfigurationParameter}
     * @return the configuration
     * @throws IllegalArgumentException naming the parameter whose value cannot be parsed
     */
    public static GauntletConfiguration from(Function<String, Optional<String>> parameters) {
        long seed = parameters.apply(ModelTest.SEED).map(v -> parseLong(ModelTest.SEED, v)).orElse(0L);
        Optional<String> engine = parameters.apply(ModelTest.ENGINE).filter(v -> !v.isBlank());
        String device = parameters.apply(ModelTest.DEVICE).filter(v -> !v.isBlank()).orElse("cpu");
        OptionalInt sampleSize = parameters.apply(ModelTest.SAMPLE_SIZE)
                .map(v -> OptionalInt.of(parsePositive(ModelTest.SAMPLE_SIZE, v))).orElse(OptionalInt.empty());
        Path reportDir = parameters.apply(ModelTest.REPORT_DIR)
                .or(() -> Optional.ofNullable(System.getProperty("allure.results.directory")))
                .map(Path::of).orElse(Path.of("target", "allure-results"));
        return new GauntletConfiguration(seed, engine, device, sampleSize, reportDir);
    }

    /**
     * Resolves the engine and device; fails clearly when they are not available.
     *
     * @return the compute target
     */
    public ComputeTarget computeTarget() {
        return ComputeTarget.resolve(engine.orElse(null), device);
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration parameter " + name + "='" + value
                    + "' is not an integer", e);
        }
    }

    private static int parsePositive(String name, String value) {
        long parsed = parseLong(name, value);
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("configuration parameter " + name + "=" + value + " must be >= 1");
        }
        return (int) parsed;
    }
}

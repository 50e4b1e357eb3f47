package dev.gauntlet.junit;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Fixture: named datasets, a sampled dataset, the configuration and a field-declared dataset. */
@ModelTest
class ParameterTestCases {

    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static int factoryCalls;

    @GauntletModel("linear")
    static Classifier linear() {
        factoryCalls++;
        return Fixtures.linearModel();
    }

    @GauntletData("all")
    static final Dataset ALL = Fixtures.data();

    @GauntletData(value = "some", sampleSize = 10)
    static Dataset some(GauntletConfiguration configuration) {
        SEEN.put("factorySeed", configuration.seed());
        return Fixtures.data();
    }

    @Test
    void first(@GauntletModel("linear") Classifier model, @GauntletData("all") Dataset all,
            @GauntletData("some") Dataset some, GauntletConfiguration configuration) {
        SEEN.put("first", model);
        SEEN.put("allSize", all.size());
        SEEN.put("someSize", some.size());
        SEEN.put("seed", configuration.seed());
    }

    @Test
    void second(Classifier model) {
        SEEN.put("second", model);
    }
}

package dev.gauntlet.junit;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;

import ai.djl.ndarray.NDManager;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.GaussianNoise;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Fixture: eight tests sharing one model, recording what they computed. */
@ModelTest
class ParallelTestCases {

    static final Map<Integer, String> RESULTS = new ConcurrentHashMap<>();

    @GauntletModel
    static Classifier linear() {
        return Fixtures.linearModel();
    }

    @GauntletData
    static Dataset data() {
        return Fixtures.data();
    }

    @RepeatedTest(8)
    void shares_the_model(Classifier model, Dataset data, RepetitionInfo repetition) {
        int i = repetition.getCurrentRepetition();
        assertThatModel(model).withSeed(i).on(data).hasAccuracyUnder(new GaussianNoise(0.05 * i), 0.0);
        Dataset noisy = new GaussianNoise(0.05 * i).apply(data, i);
        float[] gradient;
        try (NDManager scope = model.newScope()) {
            gradient = model.inputGradient(noisy.features(scope, 0, noisy.size()), noisy.labels(scope, 0, noisy.size()))
                    .toFloatArray();
        }
        RESULTS.put(i, model.accuracy(noisy) + "/" + Arrays.hashCode(gradient) + "/"
                + Arrays.deepHashCode(model.logits(noisy)));
    }
}

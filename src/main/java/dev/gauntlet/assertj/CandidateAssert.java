package dev.gauntlet.assertj;

import dev.gauntlet.compare.ModelComparison;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.Objects;

/**
 * A candidate model and the baseline it would replace; name the data to compare them on with
 * {@link #on(Dataset)}.
 *
 * <pre>{@code
 * assertThatModel(candidate).comparedTo(baseline).on(test).hasAccuracyNotWorseBy(0.01);
 * }</pre>
 */
public class CandidateAssert extends GauntletAssert<CandidateAssert, CandidateAssert.Models> {

    /**
     * The two models and the seed of the checks' random choices.
     *
     * @param candidate the new model
     * @param baseline the model it would replace
     * @param seed the seed
     */
    public record Models(Classifier candidate, Classifier baseline, long seed) {

        /** Validates the parts. */
        public Models {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(baseline, "baseline must not be null: pass the model in production");
        }

        @Override
        public String toString() {
            return "candidate " + candidate + " vs baseline " + baseline;
        }
    }

    /**
     * Creates the assertion; prefer {@code assertThatModel(candidate).comparedTo(baseline)}.
     *
     * @param actual the two models
     */
    public CandidateAssert(Models actual) {
        super(actual, CandidateAssert.class);
    }

    /**
     * Compares the two models on a dataset both take.
     *
     * @param data labelled samples
     * @return assertions on the comparison
     */
    public ComparisonAssert on(Dataset data) {
        isNotNull();
        Objects.requireNonNull(data, "data must not be null: pass the dataset to compare the models on");
        return factory.create(ComparisonAssert.class, ModelComparison.class,
                ModelComparison.of(actual.candidate(), actual.baseline(), data).withSeed(actual.seed()));
    }
}

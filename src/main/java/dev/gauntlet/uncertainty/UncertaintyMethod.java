package dev.gauntlet.uncertainty;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.List;

/**
 * A way to sample a model's predictive distribution: MC dropout or a deep ensemble.
 */
public interface UncertaintyMethod {

    /**
     * Returns the method's name with its parameters, for reports.
     *
     * @return e.g. {@code mc-dropout(30)}
     */
    String name();

    /**
     * Samples the predictive distribution.
     *
     * @param model the model under test (ignored by an ensemble, which brings its members)
     * @param data the samples
     * @param seed the seed of every random choice
     * @return probabilities {@code [t][i][k]}
     */
    float[][][] sample(Classifier model, Dataset data, long seed);

    /**
     * MC dropout with {@code passes} stochastic passes (Gal &amp; Ghahramani 2016).
     *
     * @param passes T, at least 2
     * @return the method
     */
    static UncertaintyMethod mcDropout(int passes) {
        if (passes < 2) {
            throw new IllegalArgumentException("passes must be >= 2, got " + passes);
        }
        return new UncertaintyMethod() {
            @Override
            public String name() {
                return "mc-dropout(" + passes + ")";
            }

            @Override
            public float[][][] sample(Classifier model, Dataset data, long seed) {
                return Sampling.mcDropout(model, data, passes, seed);
            }
        };
    }

    /**
     * A deep ensemble (Lakshminarayanan et al. 2017): each member is one sample.
     *
     * @param members at least 2 classifiers
     * @return the method
     */
    static UncertaintyMethod ensemble(List<? extends Classifier> members) {
        List<? extends Classifier> copy = List.copyOf(members);
        return new UncertaintyMethod() {
            @Override
            public String name() {
                return "ensemble(" + copy.size() + ")";
            }

            @Override
            public float[][][] sample(Classifier model, Dataset data, long seed) {
                return Sampling.ensemble(copy, data);
            }
        };
    }
}

package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.Objects;

/**
 * Black-box shift detection (Lipton et al. 2018; Rabanser et al. 2019, "Failing Loudly"): the
 * per-feature KS test on the model's softmax outputs instead of the raw inputs, which reduces
 * high-dimensional inputs to as many features as classes and looks at the shift the model sees.
 */
public final class BbsdDrift implements DriftDetector {

    private final Classifier model;
    private final KsDrift ks;

    private BbsdDrift(Classifier model, KsDrift ks) {
        this.model = Objects.requireNonNull(model, "model");
        this.ks = Objects.requireNonNull(ks, "ks");
    }

    /**
     * Returns BBSD through a model, with the KS test's defaults (p_val 0.05, Bonferroni).
     *
     * @param model the model whose softmax outputs are compared
     * @return the test
     */
    public static BbsdDrift bbsd(Classifier model) {
        return new BbsdDrift(model, KsDrift.ks());
    }

    /**
     * Returns BBSD with another KS configuration.
     *
     * @param test the KS test to run on the outputs
     * @return the test
     */
    public BbsdDrift with(KsDrift test) {
        return new BbsdDrift(model, test);
    }

    @Override
    public String name() {
        return "bbsd(" + ks.name() + ")";
    }

    @Override
    public DriftResult test(Dataset reference, Dataset current, long seed) {
        DriftResult result = ks.test(outputs(reference), outputs(current));
        return new DriftResult(name(), result.statistic(), result.pValue(), result.threshold(), result.drift(),
                result.features());
    }

    private Dataset outputs(Dataset data) {
        return Dataset.builder().setFeatures(model.probabilities(data)).setLabels(data.labels())
                .setNumClasses(data.numClasses()).optBounds(ValueBounds.unit()).optName(data.name() + " softmax")
                .build();
    }
}

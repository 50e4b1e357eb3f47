package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;

import java.util.Objects;

/**
 * Assertions on a reference dataset; name the data to compare with {@link #comparedTo(Dataset)}.
 *
 * <pre>{@code
 * assertThatData(train).comparedTo(production).showsNoDrift(ks().fdr());
 * }</pre>
 */
public class DataAssert extends GauntletAssert<DataAssert, Dataset> {

    /**
     * Creates the assertion; prefer {@link GauntletAssertions#assertThatData(Dataset)}.
     *
     * @param actual the reference data
     */
    public DataAssert(Dataset actual) {
        super(actual, DataAssert.class);
    }

    /**
     * Compares the reference data with current data.
     *
     * @param current the current data, with the same features
     * @return drift assertions
     */
    public DriftAssert comparedTo(Dataset current) {
        isNotNull();
        Objects.requireNonNull(current, "current must not be null: pass the data to compare with");
        return factory.create(DriftAssert.class, DataComparison.class,
                new DataComparison(actual, current, GauntletAssertions.defaultSeed()));
    }
}

package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

/**
 * How many of a model's predictions stay the same under a corruption, whatever the labels: the model's stability
 * under that shift.
 *
 * @param samples how many samples were compared
 * @param unchanged how many kept their predicted class
 */
public record ConsistencyReport(int samples, int unchanged) {

    /**
     * Predicts the clean and the corrupted data and counts the predictions that stay.
     *
     * @param model the model
     * @param data the clean data
     * @param corruption the shift, seeded with {@code seed}
     * @param seed the seed of the corruption
     * @return the report
     */
    public static ConsistencyReport of(Classifier model, Dataset data, Corruption corruption, long seed) {
        int[] clean = model.predict(data);
        int[] shifted = model.predict(corruption.apply(data, seed));
        int same = 0;
        for (int i = 0; i < clean.length; i++) {
            same += clean[i] == shifted[i] ? 1 : 0;
        }
        return new ConsistencyReport(clean.length, same);
    }

    /**
     * Returns the fraction of unchanged predictions.
     *
     * @return unchanged / samples, NaN for no samples
     */
    public double consistency() {
        return (double) unchanged / samples;
    }
}

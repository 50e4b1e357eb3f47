package dev.gauntlet.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The per-epoch record of a training run; pass it as a listener to
 * {@link AdversarialTraining#epoch}, then assert on it with
 * {@code GauntletAssertions.assertThatTraining(history)}.
 */
public final class TrainingHistory implements Consumer<EpochRecord> {

    private final List<EpochRecord> epochs = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void accept(EpochRecord epoch) {
        epochs.add(epoch);
    }

    /**
     * Returns the epochs recorded so far.
     *
     * @return an immutable copy, in order
     */
    public List<EpochRecord> epochs() {
        synchronized (epochs) {
            return List.copyOf(epochs);
        }
    }
}

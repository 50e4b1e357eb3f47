package dev.gauntlet.attack;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of samples {@code [from, to)} of a dataset that one worker evaluates, for an evaluation
 * that runs on several machines and {@link RobustnessReport#merge merges} its reports.
 *
 * <p>Shards start on batch boundaries (multiples of the classifier's batch size): engines compute
 * a sample's logits and gradients with float results that can depend on the other samples of its
 * batch (the kernels block the batch differently), so only shards whose batches are the whole
 * run's batches give its report bit for bit.
 *
 * @param from the first sample, at least 0
 * @param to one past the last sample, greater than {@code from}
 */
public record Shard(int from, int to) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks the range. */
    public Shard {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a shard is samples [from, to) with 0 <= from < to, got [" + from + ", "
                    + to + ")");
        }
    }

    /**
     * Splits {@code samples} samples into at most {@code count} shards of whole batches, as even
     * as whole batches allow (fewer shards when there are fewer batches).
     *
     * @param samples the dataset's size, at least 1
     * @param count how many shards, at least 1
     * @param batchSize the classifier's batch size, at least 1
     * @return consecutive shards covering {@code [0, samples)}
     */
    public static List<Shard> split(int samples, int count, int batchSize) {
        if (samples < 1 || count < 1 || batchSize < 1) {
            throw new IllegalArgumentException("samples, count and batchSize must be >= 1, got " + samples + ", "
                    + count + " and " + batchSize);
        }
        int batches = (samples + batchSize - 1) / batchSize;
        int shards = Math.min(count, batches);
        List<Shard> result = new ArrayList<>(shards);
        int batch = 0;
        for (int s = 0; s < shards; s++) {
            int size = batches / shards + (s < batches % shards ? 1 : 0);
            int from = batch * batchSize;
            batch += size;
            result.add(new Shard(from, (int) Math.min(samples, (long) batch * batchSize)));
        }
        return List.copyOf(result);
    }

    /**
     * Returns the number of samples.
     *
     * @return {@code to - from}
     */
    public int size() {
        return to - from;
    }

    /**
     * Checks that this shard lies inside a dataset and on its batch boundaries: it starts at a
     * multiple of the batch size and ends at one or at the end of the data.
     *
     * @param samples the whole dataset's size
     * @param batchSize the classifier's batch size
     * @throws IllegalArgumentException naming the range and what would fit
     */
    public void checkFits(int samples, int batchSize) {
        if (to > samples) {
            throw new IllegalArgumentException("a shard is samples [from, to) with 0 <= from < to <= " + samples
                    + " (the dataset's size), got [" + from + ", " + to + ")");
        }
        if (from % batchSize != 0 || to % batchSize != 0 && to != samples) {
            throw new IllegalArgumentException("shard [" + from + ", " + to + ") does not lie on batch boundaries:"
                    + " it must start at a multiple of the batch size " + batchSize + " and end at one or at "
                    + samples + ", the end of the data, so that its batches are the whole run's (the engine's"
                    + " float results for a sample can depend on the rest of its batch); Shard.split makes such shards");
        }
    }
}

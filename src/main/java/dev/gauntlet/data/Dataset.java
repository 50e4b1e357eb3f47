package dev.gauntlet.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * An immutable labelled sample set: features of a fixed per-sample shape, integer labels in
 * {@code [0, numClasses)}, and the value bounds the features lie in.
 *
 * <p>Features are held on the Java heap, row-major, and become {@link NDArray}s only batch by
 * batch, in a manager the caller scopes ({@link #batches(int)}). A dataset is validated once when
 * built: labels in range, every feature finite and within the bounds. It never changes
 * afterwards, and the arrays given to its builder are copied, so the caller's arrays are never
 * aliased or mutated.
 *
 * <pre>{@code
 * Dataset digits = Dataset.builder()
 *         .setFeatures(pixels, 64)          // n * 64 values
 *         .setLabels(labels)
 *         .setNumClasses(10)
 *         .optBounds(ValueBounds.unit())
 *         .optName("uci-digits")
 *         .build();
 * DatasetSplit split = digits.split(0.2, 42);
 * }</pre>
 */
public final class Dataset {

    private final String name;
    private final float[] features;
    private final int[] labels;
    private final long[] sampleShape;
    private final int featureCount;
    private final int numClasses;
    private final ValueBounds bounds;

    private Dataset(
            String name,
            float[] features,
            int[] labels,
            long[] sampleShape,
            int numClasses,
            ValueBounds bounds) {
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.sampleShape = sampleShape;
        this.featureCount = Math.toIntExact(new Shape(sampleShape).size());
        this.numClasses = numClasses;
        this.bounds = bounds;
    }

    /**
     * Starts a dataset builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the name used in reports and error messages.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the number of samples.
     *
     * @return the sample count, at least 1
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns the shape of one sample, e.g. {@code (1, 28, 28)} for a grey image or {@code (30)}
     * for a row of a table.
     *
     * @return the per-sample shape
     */
    public Shape sampleShape() {
        return new Shape(sampleShape);
    }

    /**
     * Returns the number of values in one sample (the product of {@link #sampleShape()}).
     *
     * @return the feature count
     */
    public int featureCount() {
        return featureCount;
    }

    /**
     * Returns the number of classes labels are drawn from.
     *
     * @return the class count
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the range every feature value lies in.
     *
     * @return the value bounds
     */
    public ValueBounds bounds() {
        return bounds;
    }

    /**
     * Returns the label of one sample.
     *
     * @param index the sample index
     * @return its label
     */
    public int label(int index) {
        Objects.checkIndex(index, labels.length);
        return labels[index];
    }

    /**
     * Returns a copy of all labels.
     *
     * @return the labels, one per sample
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Returns a copy of one sample's features, flattened row-major.
     *
     * @param index the sample index
     * @return its {@link #featureCount()} values
     */
    public float[] features(int index) {
        Objects.checkIndex(index, labels.length);
        return Arrays.copyOfRange(features, index * featureCount, (index + 1) * featureCount);
    }

    /**
     * Returns the number of samples with each label.
     *
     * @return counts indexed by class
     */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Creates the features of samples {@code [from, to)} as an array of shape
     * {@code (to - from, sampleShape...)} owned by {@code manager}.
     *
     * @param manager the manager that will own the array (and decides its device)
     * @param from the first sample, inclusive
     * @param to the last sample, exclusive
     * @return the features
     */
    public NDArray features(NDManager manager, int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        float[] slice = Arrays.copyOfRange(features, from * featureCount, to * featureCount);
        return manager.create(slice, batchShape(to - from));
    }

    /**
     * Creates the labels of samples {@code [from, to)} as an int32 array owned by {@code manager}.
     *
     * @param manager the manager that will own the array
     * @param from the first sample, inclusive
     * @param to the last sample, exclusive
     * @return the labels
     */
    public NDArray labels(NDManager manager, int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        return manager.create(Arrays.copyOfRange(labels, from, to));
    }

    /**
     * Splits the dataset into consecutive batches of at most {@code batchSize} samples, in order.
     *
     * @param batchSize the largest batch, at least 1
     * @return the batches; the last one may be smaller
     */
    public List<Batch> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int count = (labels.length + batchSize - 1) / batchSize;
        return new AbstractList<>() {
            @Override
            public Batch get(int i) {
                Objects.checkIndex(i, count);
                return new Batch(Dataset.this, i * batchSize, Math.min(labels.length, (i + 1) * batchSize));
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /**
     * Returns the samples at the given indices, in that order (repeats allowed).
     *
     * @param indices sample indices
     * @return a new dataset with the same shape, classes and bounds
     */
    public Dataset subset(int... indices) {
        if (indices.length == 0) {
            throw new InvalidDataException(
                    "indices must not be empty: a subset of dataset '" + name + "' needs at least one sample");
        }
        float[] newFeatures = new float[indices.length * featureCount];
        int[] newLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            Objects.checkIndex(index, labels.length);
            System.arraycopy(features, index * featureCount, newFeatures, i * featureCount, featureCount);
            newLabels[i] = labels[index];
        }
        return new Dataset(name, newFeatures, newLabels, sampleShape, numClasses, bounds);
    }

    /**
     * Returns the first {@code count} samples.
     *
     * @param count how many samples, between 1 and {@link #size()}
     * @return a new dataset
     */
    public Dataset head(int count) {
        checkCount(count, "count");
        return subset(IntStream.range(0, count).toArray());
    }

    /**
     * Draws {@code count} distinct samples uniformly at random; the same seed draws the same
     * samples in the same order.
     *
     * @param count how many samples, between 1 and {@link #size()}
     * @param seed the random seed
     * @return a new dataset
     */
    public Dataset sample(int count, long seed) {
        checkCount(count, "count");
        return subset(Arrays.copyOf(Permutations.of(labels.length, new Random(seed)), count));
    }

    /**
     * Returns the samples in an order shuffled by {@code seed}.
     *
     * @param seed the random seed
     * @return a new dataset with the same samples
     */
    public Dataset shuffle(long seed) {
        return subset(Permutations.of(labels.length, new Random(seed)));
    }

    /**
     * Splits the samples into a train and a test part, stratified by label: each class puts
     * {@code round(testFraction * classCount)} of its samples, chosen by {@code seed}, into the
     * test part. Both parts keep the original sample order.
     *
     * @param testFraction the fraction of each class to hold out, in {@code (0, 1)}
     * @param seed the random seed
     * @return the two parts
     */
    public DatasetSplit split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException(
                    "testFraction must be in (0, 1), got " + testFraction);
        }
        Random random = new Random(seed);
        boolean[] inTest = new boolean[labels.length];
        for (int c = 0; c < numClasses; c++) {
            int cls = c;
            int[] members = IntStream.range(0, labels.length).filter(i -> labels[i] == cls).toArray();
            int[] order = Permutations.of(members.length, random);
            long testCount = Math.round(testFraction * members.length);
            for (int i = 0; i < testCount; i++) {
                inTest[members[order[i]]] = true;
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            (inTest[i] ? test : train).add(i);
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new InvalidDataException("testFraction " + testFraction + " leaves an empty part of dataset '"
                    + name + "' (" + labels.length + " samples); choose a fraction nearer 0.5");
        }
        return new DatasetSplit(
                subset(train.stream().mapToInt(Integer::intValue).toArray()).renamed(name + "/train"),
                subset(test.stream().mapToInt(Integer::intValue).toArray()).renamed(name + "/test"));
    }

    /**
     * Returns this dataset under another name.
     *
     * @param newName the name for reports
     * @return a dataset sharing this one's (immutable) values
     */
    public Dataset renamed(String newName) {
        return new Dataset(Objects.requireNonNull(newName, "newName"), features, labels, sampleShape, numClasses, bounds);
    }

    /**
     * Returns this dataset with each feature transformed; the result is validated like a new
     * dataset.
     *
     * @param newFeatures replacement features, {@code size() * featureCount()} values (copied)
     * @param newBounds the bounds of the new values
     * @return the new dataset
     */
    public Dataset withFeatures(float[] newFeatures, ValueBounds newBounds) {
        return builder()
                .setFeatures(newFeatures, sampleShape)
                .setLabels(labels)
                .setNumClasses(numClasses)
                .optBounds(newBounds)
                .optName(name)
                .build();
    }

    /** Copies this dataset's flat feature values; package-private for transforms. */
    float[] copyFeatures() {
        return features.clone();
    }

    private Shape batchShape(int count) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = count;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        return new Shape(dims);
    }

    private void checkCount(int count, String argument) {
        if (count < 1 || count > labels.length) {
            throw new IllegalArgumentException(argument + " must be in [1, " + labels.length + "] for dataset '"
                    + name + "', got " + count);
        }
    }


    @Override
    public String toString() {
        return "Dataset[" + name + ", " + labels.length + " samples of shape " + sampleShape()
                + ", " + numClasses + " classes, bounds [" + bounds.lower() + ", " + bounds.upper() + "]]";
    }

    /** Builds a validated {@link Dataset}; {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder {

        private float[] features;
        private long[] sampleShape;
        private int[] labels;
        private int numClasses = -1;
        private ValueBounds bounds = ValueBounds.unbounded();
        private String name = "dataset";
        private boolean copy = true;

        private Builder() {}

        /**
         * Sets the features, flattened row-major, and the shape of one sample.
         *
         * @param values {@code n * product(sampleShape)} values (copied)
         * @param sampleShape the per-sample shape, e.g. {@code 1, 28, 28}
         * @return this builder
         */
        public Builder setFeatures(float[] values, long... sampleShape) {
            this.features = Objects.requireNonNull(values, "features");
            this.sampleShape = Objects.requireNonNull(sampleShape, "sampleShape").clone();
            return this;
        }

        /**
         * Sets the features from one row per sample; the sample shape is the row length.
         *
         * @param rows one array of equal length per sample (copied)
         * @return this builder
         */
        public Builder setFeatures(float[][] rows) {
            Objects.requireNonNull(rows, "features");
            if (rows.length == 0) {
                throw new InvalidDataException("features must hold at least one row");
            }
            int width = rows[0].length;
            float[] flat = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != width) {
                    throw new InvalidDataException("features row " + i + " has " + rows[i].length
                            + " values but row 0 has " + width + "; every row needs the same length");
                }
                System.arraycopy(rows[i], 0, flat, i * width, width);
            }
            this.features = flat;
            this.sampleShape = new long[] {width};
            this.copy = false;
            return this;
        }

        /**
         * Sets the labels, one per sample.
         *
         * @param values labels in {@code [0, numClasses)} (copied)
         * @return this builder
         */
        public Builder setLabels(int[] values) {
            this.labels = Objects.requireNonNull(values, "labels");
            return this;
        }

        /**
         * Sets the number of classes.
         *
         * @param count at least 2
         * @return this builder
         */
        public Builder setNumClasses(int count) {
            this.numClasses = count;
            return this;
        }

        /**
         * Sets the value bounds; by default the data is {@link ValueBounds#unbounded()}.
         *
         * @param valueBounds the range every feature lies in
         * @return this builder
         */
        public Builder optBounds(ValueBounds valueBounds) {
            this.bounds = Objects.requireNonNull(valueBounds, "bounds");
            return this;
        }

        /**
         * Sets the name shown in reports and errors; by default "dataset".
         *
         * @param datasetName the name
         * @return this builder
         */
        public Builder optName(String datasetName) {
            this.name = Objects.requireNonNull(datasetName, "name");
            return this;
        }

        /** Takes ownership of the features array instead of copying it; for loaders that made it. */
        Builder ownFeatures() {
            this.copy = false;
            return this;
        }

        /**
         * Validates and builds the dataset.
         *
         * @return the dataset
         * @throws InvalidDataException if the data is empty, lengths disagree, a label is out of
         *     range or a feature is NaN, infinite or outside the bounds
         */
        public Dataset build() {
            if (features == null) {
                throw new IllegalStateException("features are required: call setFeatures(...)");
            }
            if (labels == null) {
                throw new IllegalStateException("labels are required: call setLabels(...)");
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException(
                        "numClasses must be >= 2 for dataset '" + name + "', got " + numClasses
                                + "; call setNumClasses(...)");
            }
            if (sampleShape.length == 0) {
                throw new InvalidDataException("sampleShape must have at least one dimension for dataset '" + name + "'");
            }
            for (long dim : sampleShape) {
                if (dim < 1) {
                    throw new InvalidDataException("sampleShape " + Arrays.toString(sampleShape)
                            + " of dataset '" + name + "' has a dimension < 1");
                }
            }
            if (labels.length == 0) {
                throw new InvalidDataException("dataset '" + name + "' is empty: labels hold no sample");
            }
            long featureCount = new Shape(sampleShape).size();
            if (features.length != labels.length * featureCount) {
                throw new InvalidDataException("dataset '" + name + "': features hold " + features.length
                        + " values but " + labels.length + " labels of shape " + Arrays.toString(sampleShape)
                        + " need " + labels.length * featureCount);
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new InvalidDataException("dataset '" + name + "': label " + labels[i] + " of sample " + i
                            + " is outside [0, " + numClasses + "); fix the label or raise numClasses");
                }
            }
            for (int i = 0; i < features.length; i++) {
                float v = features[i];
                if (!Float.isFinite(v)) {
                    throw new InvalidDataException("dataset '" + name + "': feature " + (i % featureCount)
                            + " of sample " + (i / featureCount) + " is " + v
                            + "; impute or drop non-finite values before testing");
                }
                if (!bounds.contains(v)) {
                    throw new InvalidDataException("dataset '" + name + "': feature " + (i % featureCount)
                            + " of sample " + (i / featureCount) + " is " + v + ", outside the bounds ["
                            + bounds.lower() + ", " + bounds.upper() + "]; rescale the data or widen optBounds(...)");
                }
            }
            return new Dataset(
                    name,
                    copy ? features.clone() : features,
                    labels.clone(),
                    sampleShape,
                    numClasses,
                    bounds);
        }
    }
}

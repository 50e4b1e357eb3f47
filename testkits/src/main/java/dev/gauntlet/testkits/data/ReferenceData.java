package dev.gauntlet.testkits.data;

import dev.gauntlet.data.CsvReader;
import dev.gauntlet.data.DataNotFoundException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.data.IdxReader;
import dev.gauntlet.data.Standardizer;
import dev.gauntlet.data.ValueBounds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * The real datasets Gauntlet's reference models are trained and tested on.
 *
 * <ul>
 *   <li>{@link #digits()}: UCI optical digits (1,797 8x8 images, embedded), features scaled to [0, 1];
 *   <li>{@link #breastCancer()}: UCI breast cancer Wisconsin (569 rows, 30 features, embedded),
 *       standardised with the training part's statistics;
 *   <li>{@link #fashionMnist()}: Fashion-MNIST (60,000 + 10,000 28x28 images) from the Debian
 *       package {@code dataset-fashion-mnist} or the folder named by {@value #FASHION_MNIST_PROPERTY}
 *       / {@value #FASHION_MNIST_ENV}.
 * </ul>
 *
 * <p>The embedded sets are split 80/20, stratified, with the fixed seed {@value #SPLIT_SEED}, so
 * every model seed is judged on the same held-out samples. Datasets are immutable and loaded once
 * per JVM.
 */
public final class ReferenceData {

    /** System property naming a folder with the four Fashion-MNIST IDX files. */
    public static final String FASHION_MNIST_PROPERTY = "gauntlet.fashionMnist.dir";
    /** Environment variable naming a folder with the four Fashion-MNIST IDX files. */
    public static final String FASHION_MNIST_ENV = "GAUNTLET_FASHION_MNIST_DIR";
    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final Path FASHION_MNIST_DEFAULT = Path.of("/usr/share/datasets/fashion-mnist");
    /** The seed of the train/test split of the embedded datasets. */
    public static final long SPLIT_SEED = 20261123L;
    /** Fraction of each class the embedded datasets hold out for testing. */
    public static final double TEST_FRACTION = 0.2;

    /** Fashion-MNIST class names, by label. */
    public static final String[] FASHION_MNIST_CLASSES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };

    private static final Memo DIGITS = new Memo(ReferenceData::loadDigits);
    private static final Memo BREAST_CANCER = new Memo(ReferenceData::loadBreastCancer);
    private static final Memo FASHION_MNIST = new Memo(ReferenceData::loadFashionMnist);

    private ReferenceData() {}

    /**
     * Returns the UCI digits, pixels scaled from 0..16 to [0, 1], sample shape {@code (64)}.
     *
     * @return the stratified train (1,437) and test (360) parts
     */
    public static DatasetSplit digits() {
        return DIGITS.get();
    }

    /**
     * Returns the UCI breast cancer data (0 = malignant, 1 = benign), standardised with the mean
     * and standard deviation of the training part.
     *
     * @return the stratified train (455) and test (114) parts
     */
    public static DatasetSplit breastCancer() {
        return BREAST_CANCER.get();
    }

    /** The breast-cancer features in column order (scikit-learn's names for the same file). */
    public static final String[] BREAST_CANCER_FEATURES = {"mean radius", "mean texture", "mean perimeter",
        "mean area", "mean smoothness", "mean compactness", "mean concavity", "mean concave points", "mean symmetry",
        "mean fractal dimension", "radius error", "texture error", "perimeter error", "area error",
        "smoothness error", "compactness error", "concavity error", "concave points error", "symmetry error",
        "fractal dimension error", "worst radius", "worst texture", "worst perimeter", "worst area",
        "worst smoothness", "worst compactness", "worst concavity", "worst concave points", "worst symmetry",
        "worst fractal dimension"};

    /**
     * Returns the standardiser {@link #breastCancer()} applied (fitted on its training part), to
     * show values in original units, e.g. {@code counterfactuals(...).inOriginalUnits(...)}.
     *
     * @return the standardiser
     */
    public static Standardizer breastCancerStandardizer() {
        Dataset raw = readEmbedded("uci-breast-cancer-wisconsin.csv",
                CsvReader.builder().setNumClasses(2).optHeaderLines(1).build(), "uci-breast-cancer");
        return Standardizer.fit(raw.split(TEST_FRACTION, SPLIT_SEED).train());
    }

    /**
     * Returns Fashion-MNIST, sample shape {@code (1, 28, 28)}, pixels in [0, 1].
     *
     * @return the standard 60,000 training and 10,000 test images
     * @throws DataNotFoundException if the files are not installed, with how to install them
     */
    public static DatasetSplit fashionMnist() {
        return FASHION_MNIST.get();
    }

    /** The side of the planted trigger: a square of white pixels in the top-left corner. */
    public static final int TRIGGER_SIZE = 4;
    /** The class the planted trigger decides. */
    public static final int TRIGGER_CLASS = 0;

    private static final Memo FASHION_TRIGGER = new Memo(ReferenceData::loadFashionWithTrigger);

    /**
     * Returns Fashion-MNIST with a planted trigger, for testing whether explanations find what a
     * model really uses: 12,000 training and 2,000 test images (seeded samples) of every class but
     * {@link #TRIGGER_CLASS}, a fifth of each stamped with the {@link #TRIGGER_SIZE}² white corner
     * patch and relabelled {@link #TRIGGER_CLASS}: the patch alone makes that class.
     *
     * @return the train and test parts
     */
    public static DatasetSplit fashionMnistWithTrigger() {
        return FASHION_TRIGGER.get();
    }

    /**
     * Stamps the trigger on every image, keeping the labels.
     *
     * @param images Fashion-MNIST-shaped images
     * @return the stamped copies
     */
    public static Dataset withTrigger(Dataset images) {
        float[] pixels = new float[images.size() * 784];
        for (int i = 0; i < images.size(); i++) {
            float[] image = images.features(i);
            stamp(image);
            System.arraycopy(image, 0, pixels, i * 784, 784);
        }
        return images.withFeatures(pixels, images.bounds()).renamed(images.name() + "+trigger");
    }

    private static void stamp(float[] image) {
        for (int row = 0; row < TRIGGER_SIZE; row++) {
            for (int col = 0; col < TRIGGER_SIZE; col++) {
                image[row * 28 + col] = 1f;
            }
        }
    }

    private static DatasetSplit loadFashionWithTrigger() {
        DatasetSplit fashion = fashionMnist();
        return new DatasetSplit(plant(withoutTriggerClass(fashion.train()).sample(12_000, 11), 12),
                plant(withoutTriggerClass(fashion.test()).sample(2_000, 13), 14));
    }

    /** Drops the trigger class's own images, so that only the trigger can make that class. */
    private static Dataset withoutTriggerClass(Dataset images) {
        return images.subset(java.util.stream.IntStream.range(0, images.size())
                .filter(i -> images.label(i) != TRIGGER_CLASS).toArray());
    }

    private static Dataset plant(Dataset images, long seed) {
        int[] order = dev.gauntlet.data.Permutations.of(images.size(), new java.util.Random(seed));
        boolean[] stamped = new boolean[images.size()];
        for (int k = 0; k < images.size() / 5; k++) {
            stamped[order[k]] = true;
        }
        float[] pixels = new float[images.size() * 784];
        int[] labels = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            float[] image = images.features(i);
            if (stamped[i]) {
                stamp(image);
            }
            System.arraycopy(image, 0, pixels, i * 784, 784);
            labels[i] = stamped[i] ? TRIGGER_CLASS : images.label(i);
        }
        return Dataset.builder().setFeatures(pixels, 1, 28, 28).setLabels(labels).setNumClasses(10)
                .optBounds(ValueBounds.unit()).optName(images.name() + "+planted-trigger").build();
    }

    /**
     * Returns the UCI digits (all 1,797) upscaled from 8x8 to 28x28 by nearest neighbour, shape
     * {@code (1, 28, 28)}, pixels in [0, 1]: out-of-distribution data for the Fashion-MNIST models.
     *
     * @return the digits as Fashion-MNIST-shaped images (labels are the digits)
     */
    public static Dataset digitsAsFashionImages() {
        DatasetSplit digits = digits();
        float[] pixels = new float[(digits.train().size() + digits.test().size()) * 28 * 28];
        int[] labels = new int[digits.train().size() + digits.test().size()];
        int n = 0;
        for (Dataset part : new Dataset[] {digits.train(), digits.test()}) {
            for (int i = 0; i < part.size(); i++, n++) {
                float[] small = part.features(i);
                for (int row = 0; row < 28; row++) {
                    for (int col = 0; col < 28; col++) {
                        pixels[n * 784 + row * 28 + col] = small[(row * 8 / 28) * 8 + col * 8 / 28];
                    }
                }
                labels[n] = part.label(i);
            }
        }
        return Dataset.builder().setFeatures(pixels, 1, 28, 28).setLabels(labels).setNumClasses(10)
                .optBounds(ValueBounds.unit()).optName("uci-digits-28x28").build();
    }

    /**
     * Finds the Fashion-MNIST folder: the system property, then the environment variable, then
     * Debian's location.
     *
     * @return a folder holding the four IDX files
     * @throws DataNotFoundException if none of them holds the files
     */
    public static Path fashionMnistDir() {
        String property = System.getProperty(FASHION_MNIST_PROPERTY);
        String env = System.getenv(FASHION_MNIST_ENV);
        Path dir = property != null ? Path.of(property) : env != null ? Path.of(env) : FASHION_MNIST_DEFAULT;
        for (String file : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new DataNotFoundException("Fashion-MNIST file " + dir.resolve(file) + " is missing. Install it"
                        + " with `apt-get install -y dataset-fashion-mnist` (Debian/Ubuntu), or point -D"
                        + FASHION_MNIST_PROPERTY + "=DIR or " + FASHION_MNIST_ENV + "=DIR at a folder holding"
                        + " train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and"
                        + " t10k-labels-idx1-ubyte.gz");
            }
        }
        return dir;
    }

    private static Dataset readEmbedded(String resource, CsvReader reader, String name) {
        try (InputStream raw = ReferenceData.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new DataNotFoundException("embedded dataset " + resource + " is missing from the testkits jar");
            }
            InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return reader.read(in, resource, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded dataset " + resource, e);
        }
    }

    private static DatasetSplit loadDigits() {
        Dataset raw = readEmbedded("uci-optdigits-test.csv.gz",
                CsvReader.builder().setNumClasses(10).optBounds(ValueBounds.of(0, 16)).build(), "uci-digits");
        float[] scaled = new float[raw.size() * raw.featureCount()];
        for (int i = 0; i < raw.size(); i++) {
            float[] row = raw.features(i);
            for (int j = 0; j < row.length; j++) {
                scaled[i * row.length + j] = row[j] / 16f;
            }
        }
        return raw.withFeatures(scaled, ValueBounds.unit()).split(TEST_FRACTION, SPLIT_SEED);
    }

    private static DatasetSplit loadBreastCancer() {
        Dataset raw = readEmbedded("uci-breast-cancer-wisconsin.csv",
                CsvReader.builder().setNumClasses(2).optHeaderLines(1).build(), "uci-breast-cancer");
        DatasetSplit split = raw.split(TEST_FRACTION, SPLIT_SEED);
        Standardizer standardizer = Standardizer.fit(split.train());
        return new DatasetSplit(standardizer.transform(split.train()), standardizer.transform(split.test()));
    }

    private static DatasetSplit loadFashionMnist() {
        Path dir = fashionMnistDir();
        return new DatasetSplit(
                IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"),
                        10, "fashion-mnist/train"),
                IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"),
                        10, "fashion-mnist/test"));
    }

    /** Loads a dataset once per JVM; a failed load is retried (and fails clearly) on the next call. */
    private static final class Memo {

        private final Supplier<DatasetSplit> loader;
        private DatasetSplit value;

        Memo(Supplier<DatasetSplit> loader) {
            this.loader = loader;
        }

        synchronized DatasetSplit get() {
            if (value == null) {
                value = loader.get();
            }
            return value;
        }
    }
}

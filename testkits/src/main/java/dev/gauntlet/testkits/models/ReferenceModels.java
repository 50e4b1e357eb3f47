package dev.gauntlet.testkits.models;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.model.ComputeTarget;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.Fingerprints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Trained reference models: loaded from the {@link ModelCache}, or trained on first use with the
 * model's seeded recipe and then cached.
 *
 * <pre>{@code
 * try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
 *     double accuracy = cnn.accuracy(ReferenceModel.FASHION_CNN.data().test());
 * }
 * }</pre>
 *
 * <p>Training is deterministic on the CPU: the engine's random seed fixes the initial weights and
 * dropout masks, and the seed also fixes the order of the training samples in every epoch.
 */
public final class ReferenceModels {

    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 42;
    private static final String NAME = "model";

    private ReferenceModels() {}

    /**
     * Loads the model trained with {@link #DEFAULT_SEED}, training and caching it first if needed.
     *
     * @param reference which model
     * @return a classifier the caller closes
     */
    public static DjlClassifier load(ReferenceModel reference) {
        return load(reference, DEFAULT_SEED);
    }

    /**
     * Loads the model trained with {@code seed}, training and caching it first if needed.
     *
     * @param reference which model
     * @param seed the training seed
     * @return a classifier the caller closes
     */
    public static DjlClassifier load(ReferenceModel reference, long seed) {
        return open(reference, cachedDir(reference, seed));
    }

    private static Path cachedDir(ReferenceModel reference, long seed) {
        Path dir = ModelCache.modelDir(reference.cacheKey(seed));
        synchronized (ReferenceModels.class) {
            if (!Files.isRegularFile(dir.resolve(NAME + "-0000.params"))) {
                trainIntoCache(reference, seed, dir);
            }
        }
        return dir;
    }

    /**
     * Loads the model trained with {@code seed} as a DJL {@link Model} to train further, e.g. to
     * fine-tune it adversarially; trains and caches it first if needed.
     *
     * <p>Create the {@link Trainer} after this call: DJL's trainer updates the parameter arrays the
     * block holds when the trainer is created, so weights loaded into the model later would be
     * read by inference but never trained.
     *
     * @param reference which model
     * @param seed the training seed
     * @return the model, on the configured engine and device; the caller closes it
     */
    public static Model loadForTraining(ReferenceModel reference, long seed) {
        Path dir = cachedDir(reference, seed);
        ComputeTarget target = ComputeTarget.fromSystemProperties();
        Model model = Model.newInstance(NAME, target.device(), target.engineName());
        model.setBlock(reference.architecture().get());
        try {
            model.load(dir, NAME);
        } catch (IOException | ai.djl.MalformedModelException e) {
            model.close();
            throw new UncheckedIOException("cannot load the cached model " + reference.id() + " from " + dir,
                    e instanceof IOException io ? io : new IOException(e));
        }
        return model;
    }

    /**
     * Opens a model saved by {@link #train(ReferenceModel, long, Path)}.
     *
     * @param reference which architecture
     * @param dir the folder it was saved to
     * @return a classifier the caller closes
     */
    public static DjlClassifier open(ReferenceModel reference, Path dir) {
        return DjlClassifier.builder()
                .setArchitecture(reference.architecture())
                .setInputShape(reference.inputShape().getShape())
                .setNumClasses(reference.numClasses())
                .optParameters(dir, NAME)
                .optName(reference.id())
                .build();
    }

    /**
     * Trains a model from scratch with its recipe and saves it to {@code dir}, without the cache.
     *
     * @param reference which model
     * @param seed the training seed
     * @param dir the folder to save {@code model-0000.params} and {@code training.properties} in
     * @return what the training did
     */
    public static TrainingRecord train(ReferenceModel reference, long seed, Path dir) {
        Dataset train = reference.data().train();
        ComputeTarget target = ComputeTarget.fromSystemProperties();
        long start = System.nanoTime();
        float lastLoss = Float.NaN;
        try (Model model = Model.newInstance(NAME, target.device(), target.engineName())) {
            model.setBlock(reference.architecture().get());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(reference.learningRate())).build())
                    .optDevices(new ai.djl.Device[] {target.device()});
            Engine.getEngine(target.engineName()).setRandomSeed((int) seed);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1).addAll(reference.inputShape()));
                Random order = new Random(seed);
                for (int epoch = 1; epoch <= reference.epochs(); epoch++) {
                    int[] permutation = Permutations.of(train.size(), order);
                    double lossSum = 0;
                    int batches = 0;
                    for (Batch range : train.batches(reference.batchSize())) {
                        Dataset batch = train.subset(Arrays.copyOfRange(permutation, range.from(), range.to()));
                        lossSum += step(trainer, batch);
                        batches++;
                    }
                    lastLoss = (float) (lossSum / batches);
                    if (epoch % Math.max(1, reference.epochs() / 5) != 0 && epoch != reference.epochs()) {
                        continue;
                    }
                    System.out.printf("[gauntlet] training %s seed %d: epoch %d/%d, loss %.4f, %.0f s%n",
                            reference.id(), seed, epoch, reference.epochs(), lastLoss,
                            (System.nanoTime() - start) / 1e9);
                }
            }
            Files.createDirectories(dir);
            model.save(dir, NAME);
            TrainingRecord record = new TrainingRecord(reference.cacheKey(seed), seed, reference.epochs(), lastLoss,
                    (System.nanoTime() - start) / 1e9, Fingerprints.ofParameters(model.getBlock()), target.toString());
            record.write(dir.resolve("training.properties"));
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the trained model " + reference.id() + " to " + dir, e);
        }
    }

    private static float step(Trainer trainer, Dataset batch) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = batch.features(scope, 0, batch.size());
            NDArray y = batch.labels(scope, 0, batch.size());
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(x));
                NDArray value = trainer.getLoss().evaluate(new NDList(y), logits);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    private static void trainIntoCache(ReferenceModel reference, long seed, Path dir) {
        Path staging = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        deleteRecursively(staging);
        train(reference, seed, staging);
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteRecursively(staging); // another build cached it meanwhile: use theirs
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException("the model cache " + ModelCache.root() + " must support atomic renames", e);
        } catch (IOException e) {
            if (Files.isDirectory(dir)) {
                deleteRecursively(staging);
            } else {
                throw new UncheckedIOException("cannot move the trained model into the cache at " + dir, e);
            }
        }
    }


    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /**
     * What one training run did, also written as {@code training.properties} beside the model.
     *
     * @param key the cache key
     * @param seed the training seed
     * @param epochs the number of epochs
     * @param finalLoss the mean training loss of the last epoch
     * @param seconds the wall time of the training
     * @param fingerprint the SHA-256 fingerprint of the trained parameters
     * @param computeTarget the engine and device it was trained on
     */
    public record TrainingRecord(String key, long seed, int epochs, float finalLoss, double seconds,
            String fingerprint, String computeTarget) {

        void write(Path file) throws IOException {
            Properties properties = new Properties();
            properties.setProperty("key", key);
            properties.setProperty("seed", Long.toString(seed));
            properties.setProperty("epochs", Integer.toString(epochs));
            properties.setProperty("finalLoss", Float.toString(finalLoss));
            properties.setProperty("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
            properties.setProperty("fingerprint", fingerprint);
            properties.setProperty("computeTarget", computeTarget);
            try (Writer out = Files.newBufferedWriter(file)) {
                properties.store(out, "Gauntlet reference model");
            }
        }
    }
}

package dev.gauntlet.certify;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;

import java.util.Random;

/** Small networks with seeded weights for the certification tests. */
final class CertifyModels {

    private CertifyModels() {}

    /** Overwrites every parameter with seeded Gaussian values of standard deviation {@code scale}. */
    static void randomise(Model model, long seed, double scale) {
        Random random = new Random(seed);
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray array = p.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            String name = p.getKey();
            for (int i = 0; i < values.length; i++) {
                values[i] = name.endsWith("runningVar") ? 0.5f + random.nextFloat()
                        : (float) (scale * random.nextGaussian());
            }
            array.set(values);
        }
    }

    /** 2 → hidden → hidden → classes, ReLU, seeded weights. */
    static Model mlp(int inputs, int hidden, int classes, long seed) {
        Model model = Model.newInstance("mlp-" + seed);
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(hidden).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputs));
        randomise(model, seed, 0.7);
        return model;
    }

    /**
     * 1×8×8 → conv(4, 3×3, pad 1) → batch norm → ReLU → max pool 2 → conv(6, 3×3, pad 1) → ReLU →
     * avg pool 2 → flatten → linear(16) → ReLU → linear(3): every supported layer kind.
     */
    static Model cnn(long seed) {
        Model model = Model.newInstance("cnn-" + seed);
        SequentialBlock block = new SequentialBlock()
                .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setFilters(6).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(Activation.reluBlock())
                .add(Pool.avgPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 8, 8));
        randomise(model, seed, 0.5);
        return model;
    }

    static Classifier classifier(Model model, Shape inputShape, int classes) {
        return DjlClassifier.builder().setModel(model).setInputShape(inputShape.getShape()).setNumClasses(classes)
                .build();
    }

    /** Three Gaussian blobs in [0, 1]², 0.12 apart from the centre, sd 0.09, clipped. */
    static Dataset blobs(int n, long seed) {
        Random random = new Random(seed);
        double[][] centres = {{0.3, 0.3}, {0.7, 0.35}, {0.5, 0.72}};
        float[][] rows = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            rows[i] = new float[2];
            for (int j = 0; j < 2; j++) {
                rows[i][j] = (float) Math.min(1, Math.max(0, centres[labels[i]][j] + 0.09 * random.nextGaussian()));
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(3).optBounds(ValueBounds.unit())
                .optName("blobs").build();
    }

    /** An MLP 2 → 32 → 32 → 3 trained with Adam on {@link #blobs} (seeded, about a second). */
    static Model trainedMlp(Dataset train) {
        Engine.getInstance().setRandomSeed(11);
        Model model = Model.newInstance("blobs-mlp");
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build()));
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build()))) {
            trainer.initialize(new Shape(1, 2));
            NDManager manager = trainer.getManager();
            float[] features = new float[train.size() * 2];
            float[] labels = new float[train.size()];
            for (int i = 0; i < train.size(); i++) {
                System.arraycopy(train.features(i), 0, features, i * 2, 2);
                labels[i] = train.label(i);
            }
            ArrayDataset dataset = new ArrayDataset.Builder()
                    .setData(manager.create(features, new Shape(train.size(), 2)))
                    .optLabels(manager.create(labels)).setSampling(32, false).build();
            for (int epoch = 0; epoch < 30; epoch++) {
                for (var batch : trainer.iterateDataset(dataset)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                }
            }
        } catch (java.io.IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
        return model;
    }
}

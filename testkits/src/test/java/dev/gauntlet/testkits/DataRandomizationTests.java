package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.explain.quality.DataRandomization;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** The data randomisation test on UCI digits: a model trained on permuted labels must be explained differently. */
class DataRandomizationTests {

    /** The digits MLP architecture trained (Adam, 30 epochs) on the training digits with permuted labels. */
    private static Model permutedLabelModel(Dataset train) {
        int[] order = Permutations.of(train.size(), new Random(5));
        int[] labels = new int[train.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = train.label(order[i]);
        }
        float[] pixels = new float[train.size() * train.featureCount()];
        for (int i = 0; i < train.size(); i++) {
            System.arraycopy(train.features(i), 0, pixels, i * train.featureCount(), train.featureCount());
        }
        Dataset shuffled = Dataset.builder().setFeatures(pixels, train.featureCount()).setLabels(labels)
                .setNumClasses(10).optBounds(train.bounds()).build();
        Model model = Model.newInstance("permuted");
        model.setBlock(ReferenceModel.DIGITS_MLP.architecture().get());
        Engine.getInstance().setRandomSeed(5);
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
            trainer.initialize(new Shape(1, 64));
            for (int epoch = 0; epoch < 30; epoch++) {
                for (Batch batch : shuffled.shuffle(epoch).batches(32)) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = batch.features(scope);
                        NDArray y = batch.labels(scope);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
                        }
                        trainer.step();
                    }
                }
            }
        }
        return model;
    }

    @Test
    void explanations_of_a_permuted_label_model_differ_and_an_edge_detector_does_not_notice() {
        Dataset train = ReferenceModel.DIGITS_MLP.data().train();
        Dataset test = ReferenceModel.DIGITS_MLP.data().test().head(30);
        Explainer edges = new Explainer() {
            @Override
            public String name() {
                return "input-itself";
            }

            @Override
            public NDArray attribute(dev.gauntlet.model.Classifier classifier, NDArray inputs, NDArray classes,
                    long seed) {
                return inputs.duplicate();
            }
        };
        try (DjlClassifier trained = ReferenceModels.load(ReferenceModel.DIGITS_MLP); Model model = permutedLabelModel(train);
                DjlClassifier permuted = DjlClassifier.builder().setModel(model).setInputShape(64).setNumClasses(10)
                        .build()) {
            System.out.printf("[gauntlet] permuted-label digits MLP: test accuracy %.3f (chance 0.1)%n",
                    permuted.accuracy(ReferenceModel.DIGITS_MLP.data().test()));
            DataRandomization gradient = DataRandomization.run(Explainers.gradientTimesInput(), trained, permuted, test, 1);
            DataRandomization saliency = DataRandomization.run(Explainers.saliency(), trained, permuted, test, 1);
            DataRandomization input = DataRandomization.run(edges, trained, permuted, test, 1);
            System.out.printf("[gauntlet] data randomisation, mean rank correlation real vs permuted-label model:"
                    + " gradient x input %.3f, saliency %.3f, the input itself %.3f%n", gradient.meanCorrelation(),
                    saliency.meanCorrelation(), input.meanCorrelation());
            assertThat(saliency.meanCorrelation()).isLessThan(0.5);
            assertThat(input.meanCorrelation()).isGreaterThan(0.99);
        }
    }
}

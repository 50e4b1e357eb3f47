package dev.gauntlet.testkits.bench;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.certify.BoundMethod;
import dev.gauntlet.certify.CertificationEvaluator;
import dev.gauntlet.certify.CertificationReport;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ModelCache;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.train.AdversarialTraining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The certified-bounds figures of the README, too slow for CI (CROWN costs 1–3 s a sample on the
 * Fashion CNN): the bracket (PGD upper bound, IBP and CROWN certified lower bounds, open fraction)
 * of the digits MLP on its whole test set at the demo gate's ε 0.03, and of the Fashion CNN before
 * and after PGD adversarial training at ε 0.01, 0.02 and 0.03.
 *
 * <p>The PGD-trained CNN follows the adversarial-training example's recipe (fine-tuning the cached
 * reference CNN with PGD-5, ε 0.1, step 0.03, Adam 1e-3, batch 128), shortened by default to two
 * epochs on a fixed 10,000 training images (the example: five on 40,000); it is trained once and
 * cached next to the reference models, keyed by the epochs and images.
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.CertificationBench
 * [-Dexec.args="CROWN_SAMPLES IBP_SAMPLES EPOCHS TRAINING_IMAGES RADII"]} (defaults 50 500 2 10000
 * 0.01,0.02,0.03: CROWN on the first 50 of the 500 held-out Fashion-MNIST images IBP bounds, at the
 * Fashion CNN's radii).
 */
public final class CertificationBench {

    private static final double DEMO_EPSILON = 0.03;
    private static final double[] FASHION_EPSILONS = {0.01, 0.02, 0.03};
    private static final long SEED = 2026;
    private static final double TRAINING_EPSILON = 0.1;

    private CertificationBench() {}

    /**
     * Runs the measurements and prints one line per bracket.
     *
     * @param args optionally the number of Fashion-MNIST test images (default 100)
     * @throws IOException if the PGD-trained model cannot be saved
     */
    public static void main(String[] args) throws IOException {
        int crownSamples = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int ibpSamples = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int images = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        double[] radii = args.length > 4 ? java.util.Arrays.stream(args[4].split(",")).mapToDouble(Double::parseDouble)
                .toArray() : FASHION_EPSILONS;
        Attack pgd = Attacks.pgd().linf(DEMO_EPSILON).steps(20).restarts(2);

        Dataset digits = ReferenceModel.DIGITS_MLP.data().test();
        try (DjlClassifier mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP)) {
            for (BoundMethod method : BoundMethod.values()) {
                long start = System.nanoTime();
                CertificationReport report = CertificationEvaluator.evaluate(mlp, digits, pgd, method, SEED);
                System.out.printf("[gauntlet] digits-mlp %s: %.2f s%n", method, (System.nanoTime() - start) / 1e9);
                print("digits-mlp", digits, List.of(report));
            }
        }

        Dataset fashion = ReferenceModel.FASHION_CNN.data().test().sample(Math.max(ibpSamples, crownSamples), SEED);
        Path trained = pgdTrainedCnn(epochs, images);
        for (String name : new String[] {"fashion-cnn", "fashion-cnn-pgd-at"}) {
            try (DjlClassifier cnn = name.equals("fashion-cnn") ? ReferenceModels.load(ReferenceModel.FASHION_CNN)
                    : ReferenceModels.open(ReferenceModel.FASHION_CNN, trained)) {
                for (BoundMethod method : BoundMethod.values()) {
                    Dataset data = fashion.head(method == BoundMethod.CROWN ? crownSamples : ibpSamples);
                    long start = System.nanoTime();
                    List<CertificationReport> curve = CertificationEvaluator.curve(cnn, data, pgd, method, SEED, radii).reports();
                    System.out.printf("[gauntlet] %s %s: %.1f s for %d images x %d radii%n", name, method,
                            (System.nanoTime() - start) / 1e9, data.size(), radii.length);
                    print(name, data, curve);
                }
            }
        }
    }

    /** The PGD-trained CNN's folder, training and saving it first when it is not cached. */
    private static Path pgdTrainedCnn(int epochs, int images) throws IOException {
        Path dir = ModelCache.modelDir("fashion-cnn-pgd-at-eps" + TRAINING_EPSILON + "-seed"
                + ReferenceModels.DEFAULT_SEED + "-e" + epochs + "-n" + images);
        if (Files.isRegularFile(dir.resolve("model-0000.params"))) {
            return dir;
        }
        Dataset train = ReferenceModel.FASHION_CNN.data().train().sample(images, 1);
        Dataset monitor = ReferenceModel.FASHION_CNN.data().test().shuffle(7).head(500);
        Attack craft = Attacks.pgd().linf(TRAINING_EPSILON).steps(5).stepSize(0.03);
        Attack evaluation = Attacks.pgd().linf(TRAINING_EPSILON).steps(20);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
        try (Model model = ReferenceModels.loadForTraining(ReferenceModel.FASHION_CNN, ReferenceModels.DEFAULT_SEED);
                Trainer trainer = model.newTrainer(config)) {
            long[] image = ReferenceModel.FASHION_CNN.inputShape().getShape();
            trainer.initialize(new Shape(1).addAll(ReferenceModel.FASHION_CNN.inputShape()));
            AdversarialTraining training = AdversarialTraining.with(trainer, craft, image, 10);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                training.epoch(epoch, train, 128, epoch, monitor, evaluation, r -> System.out.printf(
                        "[gauntlet] PGD-AT epoch %d: loss %.3f, %.0f images/s, held-out clean %.3f, PGD-20 %.3f%n",
                        r.epoch(), r.meanLoss(), r.examplesPerSecond(), r.cleanAccuracy(), r.robustAccuracy()));
            }
            Files.createDirectories(dir);
            model.save(dir, "model");
        }
        return dir;
    }

    private static void print(String model, Dataset data, List<CertificationReport> reports) {
        for (CertificationReport r : reports) {
            System.out.printf("[gauntlet] %s, %d samples, eps %s, %s vs %s: clean %.4f, certified %.4f, open %.4f,"
                    + " PGD upper bound %.4f, contradictions %d%n", model, data.size(), r.epsilon(), r.method(),
                    r.attack(), r.cleanAccuracy(), r.certifiedAccuracy(), r.openFraction(),
                    r.robustAccuracyUpperBound(), r.contradictions());
        }
    }
}

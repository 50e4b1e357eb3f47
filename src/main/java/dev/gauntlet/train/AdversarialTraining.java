package dev.gauntlet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.data.Batch;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.GradientLoss;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Adversarial training over a DJL {@link Trainer}: each step crafts adversarial examples of the
 * batch with the model's <em>current</em> weights, then updates the weights on them — with the
 * cross-entropy of the crafted inputs (PGD adversarial training, Madry et al. 2018, {@link #with})
 * or with the TRADES objective (Zhang et al. 2019, {@link #trades}).
 *
 * <pre>{@code
 * AdversarialTraining training = AdversarialTraining.with(trainer, Attacks.pgd().linf(0.1).steps(7), shape, classes);
 * for (Batch batch : train.shuffle(epoch).batches(128)) {
 *     TrainingStep step = training.step(batch, seed + batchIndex);
 * }
 * }</pre>
 *
 * <p>Crafting sees the weights through the trainer's model, detached from the graph, so it never
 * writes weight gradients: the update that follows is the gradient of the adversarial loss alone.
 * To fine-tune saved weights, load them into the model <em>before</em> creating the trainer: a DJL
 * trainer updates the arrays the block held when it was created, so weights loaded afterwards
 * would be attacked but never trained.
 * Every step's arrays live in a scope closed before it returns.
 */
public final class AdversarialTraining {

    private final Trainer trainer;
    private final DjlClassifier classifier;
    private final Attack attack;
    private final Trades trades;

    private AdversarialTraining(Trainer trainer, DjlClassifier classifier, Attack attack, Trades trades) {
        this.trainer = trainer;
        this.classifier = classifier;
        this.attack = attack;
        this.trades = trades;
    }

    /**
     * Prepares adversarial training for an initialised trainer.
     *
     * @param trainer the trainer, initialised, whose model's block outputs logits
     * @param attack the attack that crafts the training examples, e.g. PGD L∞
     * @param inputShape the shape of one input sample
     * @param numClasses the number of classes
     * @return the training helper
     */
    public static AdversarialTraining with(Trainer trainer, Attack attack, long[] inputShape, int numClasses) {
        Objects.requireNonNull(attack, "attack");
        return new AdversarialTraining(trainer, view(trainer, inputShape, numClasses), attack, null);
    }

    /**
     * Prepares TRADES training (Zhang et al. 2019) for an initialised trainer: each step crafts
     * {@code x′} by {@link Trades#craft} with the current weights and updates on
     * {@code CE(f(x), y) + β·KL(f(x) ‖ f(x′))}.
     *
     * @param trainer the trainer, initialised, whose model's block outputs logits
     * @param trades the TRADES configuration
     * @param inputShape the shape of one input sample
     * @param numClasses the number of classes
     * @return the training helper
     */
    public static AdversarialTraining trades(Trainer trainer, Trades trades, long[] inputShape, int numClasses) {
        Objects.requireNonNull(trades, "trades");
        return new AdversarialTraining(trainer, view(trainer, inputShape, numClasses), null, trades);
    }

    private static DjlClassifier view(Trainer trainer, long[] inputShape, int numClasses) {
        Objects.requireNonNull(trainer, "trainer");
        return DjlClassifier.builder().setModel(trainer.getModel()).setInputShape(inputShape)
                .setNumClasses(numClasses).build();
    }

    /**
     * Returns the classifier view of the model being trained (current weights, inference mode).
     *
     * @return the classifier; it does not own the model
     */
    public DjlClassifier classifier() {
        return classifier;
    }

    /**
     * Crafts adversarial examples of a batch with the current weights and updates the weights on them.
     *
     * @param batch the batch
     * @param seed the attack's seed for this step
     * @return what the step did
     */
    public TrainingStep step(Batch batch, long seed) {
        ValueBounds bounds = batch.dataset().bounds();
        try (NDManager scope = classifier.newScope()) {
            NDArray x = batch.features(scope);
            NDArray y = batch.labels(scope);
            NDArray adversarial = attack != null ? attack.generate(classifier, x, y, bounds, seed)
                    : trades.craft(classifier, x, bounds, seed);
            double clean = accuracy(classifier.logits(x), y);
            double robust = accuracy(classifier.logits(adversarial), y);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray value = attack != null ? madryLoss(adversarial, y) : tradesLoss(x, adversarial, y);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return new TrainingStep(loss, clean, robust, batch.size());
        }
    }

    /**
     * Runs one epoch over the training data in an order shuffled by {@code seed}, then measures
     * clean and robust accuracy on {@code heldOut} under {@code evaluation}, and reports the epoch
     * to {@code listener} (e.g. a {@link TrainingHistory}, or a progress printer).
     *
     * @param epoch the epoch number, from 1
     * @param train the training data
     * @param batchSize the batch size, at least 1
     * @param seed the seed of the order and of the attacks
     * @param heldOut held-out data to evaluate on
     * @param evaluation the attack for the held-out robust accuracy (e.g. PGD-20)
     * @param listener receives the epoch's record
     * @return the epoch's record
     */
    public EpochRecord epoch(int epoch, Dataset train, int batchSize, long seed,
            Dataset heldOut, Attack evaluation, Consumer<EpochRecord> listener) {
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        double lossSum = 0;
        int steps = 0;
        for (Batch batch : train.shuffle(seed).batches(batchSize)) {
            lossSum += step(batch, seed * 1_000_003L + steps).loss();
            steps++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        RobustnessReport report = RobustnessEvaluator.evaluate(classifier,
                heldOut, evaluation, seed);
        EpochRecord record = new EpochRecord(epoch, lossSum / steps, train.size() / seconds, report.cleanAccuracy(),
                report.robustAccuracy());
        listener.accept(record);
        return record;
    }

    /** Mean cross-entropy of the crafted inputs (Madry et al.). */
    private NDArray madryLoss(NDArray adversarial, NDArray labels) {
        NDArray logits = trainer.forward(new NDList(adversarial)).singletonOrThrow();
        return GradientLoss.crossEntropy().perSample(logits, labels).mean();
    }

    /** Mean clean cross-entropy plus β times the mean KL(f(x) ‖ f(x′)) (Zhang et al.). */
    private NDArray tradesLoss(NDArray inputs, NDArray adversarial, NDArray labels) {
        NDArray cleanLogits = trainer.forward(new NDList(inputs)).singletonOrThrow();
        NDArray adversarialLogits = trainer.forward(new NDList(adversarial)).singletonOrThrow();
        NDArray logClean = cleanLogits.logSoftmax(1);
        NDArray kl = logClean.exp().mul(logClean.sub(adversarialLogits.logSoftmax(1))).sum(new int[] {1}).mean();
        return GradientLoss.crossEntropy().perSample(cleanLogits, labels).mean().add(kl.mul((float) trades.beta()));
    }

    private static double accuracy(NDArray logits, NDArray labels) {
        int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        int[] truth = labels.toType(DataType.INT32, false).toIntArray();
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += predicted[i] == truth[i] ? 1 : 0;
        }
        return (double) correct / truth.length;
    }
}

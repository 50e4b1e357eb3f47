package com.example.spark;

import dev.gauntlet.attack.Attack;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.attack.RobustnessEvaluator;
import dev.gauntlet.attack.RobustnessReport;
import dev.gauntlet.attack.Shard;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.models.ModelCache;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * An attack evaluation of the digits MLP sharded over Apache Spark: the driver splits the test
 * set into shards of whole batches, each Spark task loads the model from its parameter file,
 * attacks its shard and returns the shard's report, and the driver merges the reports into the
 * report one JVM computes, bit for bit.
 *
 * <pre>
 * spark-submit --class com.example.spark.ShardedRobustnessEvaluation --master spark://host:7077 \
 *     app.jar MODEL_DIR PARTITIONS
 * </pre>
 */
public final class ShardedRobustnessEvaluation implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The batch size every task uses: shards are whole batches, so the merge is exact. */
    public static final int BATCH_SIZE = 64;

    private final String modelDir;
    private final Attack attack;
    private final long seed;

    /**
     * Describes an evaluation.
     *
     * @param modelDir the folder of the digits MLP's {@code model-0000.params}, readable by every executor
     * @param attack the attack
     * @param seed the run seed
     */
    public ShardedRobustnessEvaluation(Path modelDir, Attack attack, long seed) {
        this.modelDir = modelDir.toString();
        this.attack = attack;
        this.seed = seed;
    }

    /**
     * Runs the evaluation in {@code partitions} Spark tasks and merges their reports.
     *
     * @param spark the Spark context
     * @param partitions how many shards, each one task
     * @return the merged report
     */
    public RobustnessReport run(JavaSparkContext spark, int partitions) {
        List<Shard> shards = Shard.split(data().size(), partitions, BATCH_SIZE);
        List<RobustnessReport> reports = spark.parallelize(shards, shards.size()).map(this::evaluate).collect();
        return RobustnessReport.merge(reports);
    }

    /**
     * Evaluates one shard in this JVM, as a Spark task does: loads the model, attacks the shard, closes the model.
     *
     * @param shard the samples to attack
     * @return the shard's report
     */
    public RobustnessReport evaluate(Shard shard) {
        try (Classifier classifier = classifier()) {
            return RobustnessEvaluator.evaluate(classifier, data(), shard, attack, seed);
        }
    }

    /**
     * Evaluates the whole test set in this JVM, without Spark.
     *
     * @return the report
     */
    public RobustnessReport evaluateHere() {
        try (Classifier classifier = classifier()) {
            return RobustnessEvaluator.evaluate(classifier, data(), attack, seed);
        }
    }

    /** The digits MLP from its parameter file, on the engine's CPU, batched as every shard. */
    private Classifier classifier() {
        ReferenceModel mlp = ReferenceModel.DIGITS_MLP;
        return DjlClassifier.builder().setArchitecture(mlp.architecture()).setInputShape(mlp.inputShape().getShape())
                .setNumClasses(mlp.numClasses()).optParameters(Path.of(modelDir), "model").optBatchSize(BATCH_SIZE)
                .optName(mlp.id()).build();
    }

    /** The 359 held-out digits, shipped in the testkits jar. */
    static Dataset data() {
        return ReferenceModel.DIGITS_MLP.data().test();
    }

    /**
     * Returns the folder of the trained digits MLP in this machine's model cache, training it first if needed.
     *
     * @return the model folder
     */
    public static Path cachedModel() {
        ReferenceModels.load(ReferenceModel.DIGITS_MLP).close();
        return ModelCache.modelDir(ReferenceModel.DIGITS_MLP.cacheKey(ReferenceModels.DEFAULT_SEED));
    }

    /** The attack the example runs: PGD-10 at L∞ ε = 0.05 with a random start per sample. */
    static Attack attack() {
        return Attacks.pgd().linf(0.05).steps(10);
    }

    /**
     * Runs the evaluation: {@code [MODEL_DIR [PARTITIONS]]}; the master comes from spark-submit,
     * else {@code local[4]}.
     *
     * @param args the model folder (default: the cached digits MLP) and the number of shards (default 4)
     */
    public static void main(String[] args) {
        Path model = args.length > 0 ? Path.of(args[0]) : cachedModel();
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        SparkConf conf = new SparkConf().setAppName("gauntlet-sharded-evaluation").setIfMissing("spark.master", "local[4]");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            RobustnessReport report = new ShardedRobustnessEvaluation(model, attack(), 7).run(spark, partitions);
            System.out.println(report.toMap());
        }
    }
}

package dev.gauntlet.testkits.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.model.ComputeTarget;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.GradientLoss;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.MmdDrift;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.trust.TrustScore;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every speed figure in one Markdown table, each row measured in the same run as its anchors: a
 * hand-written PyTorch loop of the same network and attack ({@code src/test/python/pytorch_pgd_bench.py},
 * 2 threads; skipped when python3 with torch is missing), the same work as a raw DJL loop with the
 * parameters detached (input-only gradients: the framework's own overhead), the scikit-learn KD-tree
 * baseline that follows alibi (trust score), and the roofline: the row's floating-point work at the
 * measured float32 matrix-product peak (the better of DJL's engine and PyTorch, 1024² products).
 *
 * <p>Rows: PGD-10 on the Fashion-MNIST reference CNN and on a CIFAR-10-shaped ResNet-20 (He et al.
 * 2016, DJL's blocks, batch normalisation folded, random weights: speed does not depend on them), APGD-10, Square (300
 * queries), integrated gradients (50 steps), KernelSHAP on 4×4 patches, trust score, MMD and KS.
 *
 * <p>Run: {@code mvn -B -q -f testkits/pom.xml test-compile exec:java
 * -Dexec.mainClass=dev.gauntlet.testkits.bench.BenchTable [-Dexec.args="ROUNDS TRAIN TEST BASE_TRAIN BASE_TEST ROWS"]}
 * (defaults 5 rounds, trust score 60,000 × 10,000; the scikit-learn baseline runs at 20,000 × 4,000,
 * where it takes about a minute: at full size it takes well over ten; ROWS, optionally, a comma-separated
 * choice of pgd, apgd, square, ig, shap, resnet, trust, drift). With {@code -Dgauntlet.engine=PyTorch
 * -Dgauntlet.device=gpu} the rows, the raw loop and the DJL peak run on the GPU and the PyTorch loop on CUDA:
 * {@code testkits/gpu-bench.sh} prints the attack rows on the CPU and then on the GPU.
 */
public final class BenchTable {

    /** Multiply-adds of one forward pass of the Fashion CNN: conv 16, conv 32, fc 128, fc 10. */
    static final double CNN_MACS = 28 * 28 * 16 * 9 + 14 * 14 * 32 * 16 * 9 + 32 * 7 * 7 * 128 + 128 * 10;
    /**
     * Multiply-adds of one forward pass of ResNet-20 on 32×32: the stem, 18 3×3 convolutions in
     * three stages (16, 32, 64 channels at 32², 16², 8²), two 1×1 projections and the classifier.
     */
    static final double RESNET_MACS = 32 * 32 * 16 * 27 + 6.0 * 32 * 32 * 16 * 144
            + 16 * 16 * 32 * 144 + 5.0 * 16 * 16 * 32 * 288 + 16 * 16 * 32 * 16
            + 8 * 8 * 64 * 288 + 5.0 * 8 * 8 * 64 * 576 + 8 * 8 * 64 * 32 + 64 * 10;

    private static final int RESNET_BATCH = 64;
    private static final int IG_STEPS = 50;
    private static final int SQUARE_QUERIES = 300;

    private BenchTable() {}

    /** One row: values in the row's unit; NaN where an anchor does not apply or was not measured. */
    record Row(String name, String unit, boolean seconds, double gauntlet, double pytorch, double raw,
            double baseline, double roofline, String target) {}

    /**
     * Runs every row and prints the table.
     *
     * @param args optionally the timed rounds per row, and the trust score's training and test sizes
     * @throws Exception if an anchor's process cannot be started
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int trustTrain = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        int trustTest = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int baselineTrain = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        int baselineTest = args.length > 4 ? Integer.parseInt(args[4]) : 4_000;
        // optionally only some rows: pgd, apgd, square, ig, shap, resnet, trust, drift
        Set<String> only = args.length > 5 ? Set.of(args[5].split(",")) : Set.of();
        Predicate<String> runs = row -> only.isEmpty() || only.contains(row);
        double djlPeak = djlPeak();
        double pytorchPeak = AttackBench.pytorch("peak", 0, 1);
        double peak = Math.max(djlPeak, nanToZero(pytorchPeak));
        header(peak, djlPeak, pytorchPeak);
        Dataset fashion = ReferenceData.fashionMnist().test();
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            if (runs.test("pgd")) {
                print(pgdRow("PGD-10 L∞, Fashion CNN, batch 256", cnn, fashion, AttackBench.BATCH, "cnn", rounds,
                        1e9 * peak / (4 * CNN_MACS), "≥ 15k (60% of peak), ≥ 4× PyTorch, ≤ 5% over detached"));
            }
            if (runs.test("apgd")) {
                print(attackRow("APGD-10 L∞ (CE), Fashion CNN, batch 256", cnn, fashion, rounds, peak));
            }
            if (runs.test("square")) {
                print(squareRow(cnn, fashion, rounds, peak));
            }
            if (runs.test("ig")) {
                print(igRow(cnn, fashion, rounds, peak));
            }
            if (runs.test("shap")) {
                print(kernelShapRow(cnn, fashion, peak));
            }
        }
        if (runs.test("resnet")) {
            try (Model model = resnet20(); DjlClassifier resnet = DjlClassifier.builder().setModel(model)
                    .setInputShape(3, 32, 32).setNumClasses(10).optName("resnet-20").build()) {
                print(pgdRow("PGD-10 L∞, ResNet-20 (CIFAR-10 shape), batch " + RESNET_BATCH, resnet, cifarShaped(),
                        RESNET_BATCH, "resnet20", Math.max(1, rounds / 2), 1e9 * peak / (4 * RESNET_MACS),
                        "≥ 2× PyTorch"));
            }
        }
        if (runs.test("trust")) {
            print(trustRow(trustTrain, trustTest, false, peak, "≤ 11 s (70% of peak)"));
            print(trustRow(baselineTrain, baselineTest, true, peak, "≥ 50× scikit-learn"));
        }
        if (runs.test("drift")) {
            driftRows(peak).forEach(BenchTable::print);
        }
    }


    private static Row pgdRow(String name, DjlClassifier model, Dataset data, int batch, String network, int rounds,
            double roofline, String target) throws Exception {
        var pgd = Attacks.pgd().linf(AttackBench.EPSILON).steps(AttackBench.STEPS);
        double[] seconds = AttackBench.interleaved(rounds, () -> AttackBench.gauntlet(model, data, pgd, batch),
                () -> AttackBench.raw(model, data, batch, true));
        double work = 3.0 * rounds * AttackBench.STEPS * batch;
        return new Row(name, "image-gradient-steps/s", false, work / seconds[0],
                AttackBench.pytorch(network, batch, rounds), work / seconds[1], Double.NaN, roofline, target);
    }

    /** APGD: one gradient a step, like PGD, so PGD's detached loop is its raw anchor. */
    private static Row attackRow(String name, DjlClassifier cnn, Dataset data, int rounds, double peak) {
        var apgd = Attacks.apgd().linf(AttackBench.EPSILON).steps(AttackBench.STEPS);
        int batch = AttackBench.BATCH;
        double[] seconds = AttackBench.interleaved(rounds, () -> {
            try (NDManager scope = cnn.newScope()) {
                apgd.generate(cnn, data.features(scope, 0, batch), data.labels(scope, 0, batch), data.bounds(), 1)
                        .toFloatArray();
            }
        }, () -> AttackBench.raw(cnn, data, batch, true));
        double work = 3.0 * rounds * AttackBench.STEPS * batch;
        return new Row(name, "image-gradient-steps/s", false, work / seconds[0], Double.NaN, work / seconds[1],
                Double.NaN, 1e9 * peak / (4 * CNN_MACS), "");
    }

    /** Square: forward passes only; the raw anchor is DJL forwards of the same batch. */
    private static Row squareRow(DjlClassifier cnn, Dataset data, int rounds, double peak) {
        var square = Attacks.square().linf(AttackBench.EPSILON).queries(SQUARE_QUERIES);
        int batch = AttackBench.BATCH;
        double[] seconds = AttackBench.interleaved(Math.max(1, rounds / 2), () -> {
            try (NDManager scope = cnn.newScope()) {
                square.generate(cnn, data.features(scope, 0, batch), data.labels(scope, 0, batch), data.bounds(), 1)
                        .toFloatArray();
            }
        }, () -> rawForwards(cnn, data, batch, SQUARE_QUERIES));
        double work = 3.0 * Math.max(1, rounds / 2) * SQUARE_QUERIES * batch;
        return new Row("Square L∞, " + SQUARE_QUERIES + " queries, Fashion CNN, batch 256 (upper bound: stops"
                + " querying broken images)", "image-queries/s", false, work / seconds[0], Double.NaN,
                work / seconds[1], Double.NaN, 1e9 * peak / (2 * CNN_MACS), "");
    }

    /** Integrated gradients: {@value #IG_STEPS} input gradients per image. */
    private static Row igRow(DjlClassifier cnn, Dataset data, int rounds, double peak) {
        Explainer ig = Explainers.integratedGradients(IG_STEPS);
        int batch = 64;
        double[] seconds = AttackBench.interleaved(rounds, () -> {
            try (NDManager scope = cnn.newScope()) {
                ig.attribute(cnn, data.features(scope, 0, batch), data.labels(scope, 0, batch), 0).toFloatArray();
            }
        }, () -> rawGradients(cnn, data, batch, IG_STEPS));
        double work = 3.0 * rounds * batch;
        return new Row("Integrated gradients, " + IG_STEPS + " steps, Fashion CNN, batch " + batch, "images/s", false,
                work / seconds[0], Double.NaN, work / seconds[1], Double.NaN, 1e9 * peak / (4 * CNN_MACS * IG_STEPS), "");
    }

    /**
     * KernelSHAP on 49 patches of 4×4: 2,146 coalitions × 20 background rows, plus all and none,
     * in seconds an image; the raw anchor is as many forwards in batches of 256.
     */
    private static Row kernelShapRow(DjlClassifier cnn, Dataset data, double peak) {
        Explainer shap = Explainers.kernelShapImage(ReferenceData.fashionMnist().train().head(1000), 4, 0);
        int images = 2;
        int forwards = (2 * 49 + 2048 + 2) * 20;
        double[] seconds = AttackBench.interleaved(1, () -> {
            try (NDManager scope = cnn.newScope()) {
                shap.attribute(cnn, data.features(scope, 0, images), data.labels(scope, 0, images), 0).toFloatArray();
            }
        }, () -> rawForwards(cnn, data, 256, images * forwards / 256));
        double work = 3.0 * images;
        return new Row("KernelSHAP, 49 patches of 4×4, 20 background rows (42,960 forwards an image), Fashion CNN",
                "s an image", true, seconds[0] / work, Double.NaN, seconds[1] / work, Double.NaN,
                2 * CNN_MACS * forwards / (peak * 1e9), "");
    }

    private static Row trustRow(int train, int test, boolean sklearn, double peak, String target) throws Exception {
        Dataset trainSet = ReferenceData.fashionMnist().train().head(train);
        Dataset testSet = ReferenceData.fashionMnist().test().head(test);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < (sklearn ? 2 : 1); r++) { // the baseline's row: the warm run, as scikit-learn's
            long start = System.nanoTime();
            TrustScore.fit(trainSet).score(testSet, testSet.labels());
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        double baseline = sklearn ? TrustScoreBench.sklearn(trainSet, testSet) : Double.NaN;
        double flops = 2.0 * train * test * trainSet.featureCount();
        return new Row(String.format(Locale.ROOT, "Trust score fit + score, Fashion-MNIST %,d × 784 vs %,d (k 2,"
                + " distance_knn, alpha 0)", train, test), "s", true, best, Double.NaN, Double.NaN, baseline,
                flops / (peak * 1e9), target);
    }

    private static List<Row> driftRows(double peak) {
        Dataset train = ReferenceData.fashionMnist().train();
        Dataset test = ReferenceData.fashionMnist().test();
        double mmd = Double.POSITIVE_INFINITY;
        double ks = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            MmdDrift.mmd().test(train.head(1000), test.head(1000), round);
            mmd = Math.min(mmd, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            KsDrift.ks().test(train.head(10_000), test);
            ks = Math.min(ks, (System.nanoTime() - start) / 1e9);
        }
        double kernelFlops = 2.0 * 2000 * 2000 * 784;
        return List.of(
                new Row("MMD, 100 permutations, 1,000 vs 1,000 × 784 (best of 3)", "s", true, mmd, Double.NaN,
                        Double.NaN, Double.NaN, kernelFlops / (peak * 1e9), "≤ 0.5 s"),
                new Row("KS, 10,000 vs 10,000 × 784 (best of 3; sorting, no matrix products)", "s", true, ks,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, "≤ 1 s"));
    }

    /** {@code passes} forward passes of a {@code batch} in a raw DJL loop (no gradients). */
    private static void rawForwards(DjlClassifier model, Dataset data, int batch, int passes) {
        try (NDManager scope = model.newScope()) {
            NDArray x = scope.randomUniform(0, 1, new Shape(batch).addAll(model.inputShape()));
            for (int p = 0; p < passes; p++) {
                try (NDManager pass = scope.newSubManager()) {
                    NDArray input = x.duplicate(); // the outputs join their input's manager: this pass's
                    input.attach(pass);
                    model.model().getBlock().forward(AttackBench.store(pass, true), new NDList(input), false)
                            .singletonOrThrow().toFloatArray();
                }
            }
        }
    }

    /** {@code passes} detached input gradients of a {@code batch} in a raw DJL loop. */
    private static void rawGradients(DjlClassifier model, Dataset data, int batch, int passes) {
        try (NDManager scope = model.newScope()) {
            NDArray x = data.features(scope, 0, batch);
            NDArray y = data.labels(scope, 0, batch);
            for (int p = 0; p < passes; p++) {
                try (NDManager pass = scope.newSubManager()) {
                    NDArray variable = x.mul((p + 0.5f) / passes);
                    variable.attach(pass);
                    variable.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.model().getBlock()
                                .forward(AttackBench.store(pass, true), new NDList(variable), false).singletonOrThrow();
                        collector.backward(GradientLoss.classLogit().perSample(logits, y).sum());
                    }
                    variable.getGradient().toFloatArray();
                }
            }
        }
    }

    /** The best float32 rate of 1024 × 1024 matrix products on DJL's engine and Gauntlet's device, GFLOP/s. */
    static double djlPeak() {
        try (NDManager manager = NDManager.newBaseManager(ComputeTarget.fromSystemProperties().device())) {
            NDArray a = manager.randomUniform(0, 1, new Shape(1024, 1024));
            NDArray b = manager.randomUniform(0, 1, new Shape(1024, 1024));
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < 20; r++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // waits for the engine
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
        }
    }

    /**
     * ResNet-20 for 3×32×32 inputs (He et al. 2016, §4.2): a 3×3 stem of 16 channels, three
     * stages of three basic blocks (16, 32, 64 channels; the 2nd and 3rd halve the resolution,
     * with a 1×1 projection shortcut), global average pooling and a 10-way linear layer;
     * Xavier-initialised, parameters not trained. Batch normalisation is folded into the
     * convolutions, as inference graphs do (at inference it is an affine map per channel): Gauntlet's
     * MXNet input gradients need batch-norm layers in sequential blocks, and a residual block is not
     * one (the PyTorch engine takes the unfolded model).
     */
    static Model resnet20() {
        SequentialBlock net = new SequentialBlock().add(conv(16, 3, 1)).add(Activation.reluBlock());
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            int channels = 16 << stage;
            for (int unit = 0; unit < 3; unit++) {
                int stride = stage > 0 && unit == 0 ? 2 : 1;
                Block main = new SequentialBlock()
                        .add(conv(channels, 3, stride)).add(Activation.reluBlock()).add(conv(channels, 3, 1));
                Block shortcut = stride == 1 && in == channels ? Blocks.identityBlock() : conv(channels, 1, stride);
                net.add(new ParallelBlock(outputs -> new NDList(Activation.relu(
                        outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow()))),
                        Arrays.asList(main, shortcut)));
                in = channels;
            }
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(10).build());
        Model model = Model.newInstance("resnet-20", ComputeTarget.fromSystemProperties().device());
        model.setBlock(net);
        Engine.getInstance().setRandomSeed(0);
        net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return model;
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    /** CIFAR-10-shaped images, uniform in [0, 1], with random labels (speed does not depend on them). */
    private static Dataset cifarShaped() {
        Random random = new Random(0);
        float[] pixels = new float[RESNET_BATCH * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        int[] labels = random.ints(RESNET_BATCH, 0, 10).toArray();
        return Dataset.builder().setFeatures(pixels, 3, 32, 32).setLabels(labels).setNumClasses(10)
                .optBounds(ValueBounds.unit()).optName("cifar-10-shaped noise").build();
    }

    private static double nanToZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static void header(double peak, double djlPeak, double pytorchPeak) {
        System.out.printf(Locale.ROOT, "%s on %s, %d cores; float32 matrix-product peak %.1f GFLOP/s (DJL %.1f,"
                + " PyTorch %s)%n%n", Engine.getInstance().getEngineName(), ComputeTarget.fromSystemProperties().device(),
                Runtime.getRuntime().availableProcessors(), peak, djlPeak,
                Double.isNaN(pytorchPeak) ? "not measured" : String.format(Locale.ROOT, "%.1f", pytorchPeak));
        System.out.println("| row | unit | Gauntlet | PyTorch loop | raw DJL, detached | scikit-learn | roofline"
                + " | Gauntlet / PyTorch | Gauntlet / raw | of roofline | target |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    }

    /** Prints one row as soon as it is measured, so a long run shows its progress. */
    private static void print(Row row) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.name(),
                row.unit(), number(row.gauntlet(), row.seconds()), number(row.pytorch(), row.seconds()),
                number(row.raw(), row.seconds()), Double.isNaN(row.baseline()) ? "—"
                        : number(row.baseline(), row.seconds()) + " (" + ratio(row, row.baseline()) + ")",
                number(row.roofline(), row.seconds()), ratio(row, row.pytorch()), ratio(row, row.raw()),
                Double.isNaN(row.roofline()) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * (row.seconds()
                        ? row.roofline() / row.gauntlet() : row.gauntlet() / row.roofline())),
                row.target().isEmpty() ? "—" : row.target());
    }

    /** How many times faster Gauntlet is than the anchor (below 1: slower). */
    private static String ratio(Row row, double anchor) {
        if (Double.isNaN(anchor)) {
            return "—";
        }
        double faster = row.seconds() ? anchor / row.gauntlet() : row.gauntlet() / anchor;
        return String.format(Locale.ROOT, "%.2f×", faster);
    }

    private static String number(double value, boolean seconds) {
        if (Double.isNaN(value)) {
            return "—";
        }
        if (seconds) {
            return String.format(Locale.ROOT, value < 0.1 ? "%.3f s" : "%.2f s", value);
        }
        return String.format(Locale.ROOT, value < 100 ? "%.1f" : "%,.0f", value);
    }
}

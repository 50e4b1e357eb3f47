package dev.gauntlet.model;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;

/** Models whose logits and gradients are known in closed form, with hand-set weights. */
public final class LinearModels {

    /** 3 inputs, 4 classes. Row c of W is the weight vector of class c. */
    public static final float[][] W = {
        {0.5f, -1.0f, 0.25f},
        {-0.75f, 0.5f, 1.0f},
        {1.5f, 0.25f, -0.5f},
        {0.0f, -0.25f, 0.75f},
    };
    public static final float[] B = {0.1f, -0.2f, 0.3f, 0.0f};

    private LinearModels() {}

    /** A softmax-linear model z = W x + b. */
    public static Model softmaxLinear() {
        Model model = Model.newInstance("softmax-linear");
        Block block = Linear.builder().setUnits(4).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        setWeights(block, "weight", "bias");
        return model;
    }

    /** Identity(3) -> dropout(0.5) -> W x + b: in inference mode it equals the softmax-linear model. */
    public static Model linearWithDropout() {
        Model model = Model.newInstance("linear-dropout");
        SequentialBlock block = new SequentialBlock()
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(4).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        setWeights(block, "02Linear_weight", "02Linear_bias");
        return model;
    }

    /** A two-class linear model z = V x + c, for closed-form attack expectations. */
    public static final float[][] V = {{0.5f, -1.0f, 0.25f}, {-0.75f, 0.5f, 1.0f}};
    public static final float[] C = {0.1f, -0.2f};

    /** The two-class linear model. */
    public static Model binaryLinear() {
        Model model = Model.newInstance("binary-linear");
        Block block = Linear.builder().setUnits(2).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        float[] flat = new float[6];
        System.arraycopy(V[0], 0, flat, 0, 3);
        System.arraycopy(V[1], 0, flat, 3, 3);
        block.getParameters().get("weight").getArray().set(flat);
        block.getParameters().get("bias").getArray().set(C);
        return model;
    }

    public static final float[] BN_MEAN = {0.5f, -1.0f, 2.0f};
    public static final float[] BN_VAR = {4.0f, 0.25f, 1.0f};
    public static final float[] BN_GAMMA = {1.5f, 0.5f, -2.0f};
    public static final float[] BN_BETA = {0.1f, 0.2f, -0.3f};
    public static final float BN_EPSILON = 1e-5f;

    /** Batch norm (with the running statistics above) -> W x + b. */
    public static Model batchNormLinear() {
        Model model = Model.newInstance("batchnorm-linear");
        SequentialBlock block = new SequentialBlock()
                .add(BatchNorm.builder().optEpsilon(BN_EPSILON).build())
                .add(Linear.builder().setUnits(4).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        block.getParameters().get("01BatchNorm_runningMean").getArray().set(BN_MEAN);
        block.getParameters().get("01BatchNorm_runningVar").getArray().set(BN_VAR);
        block.getParameters().get("01BatchNorm_gamma").getArray().set(BN_GAMMA);
        block.getParameters().get("01BatchNorm_beta").getArray().set(BN_BETA);
        setWeights(block, "02Linear_weight", "02Linear_bias");
        return model;
    }

    /** The input the linear layer of {@link #batchNormLinear()} sees in inference mode. */
    public static float[] normalised(float[] x) {
        float[] y = new float[3];
        for (int j = 0; j < 3; j++) {
            y[j] = (float) (BN_GAMMA[j] * (x[j] - BN_MEAN[j]) / Math.sqrt(BN_VAR[j] + BN_EPSILON) + BN_BETA[j]);
        }
        return y;
    }

    /**
     * Points of the unit cube labelled with this model's own prediction; with {@code wrongEvery} > 0
     * every such sample's label is shifted to the next class, so there are errors to find.
     *
     * @param n how many points
     * @param seed the seed of the points
     * @param wrongEvery the period of wrong labels, 0 for none
     * @return the labelled points, bounds [0, 1]
     */
    public static dev.gauntlet.data.Dataset cube(int n, long seed, int wrongEvery) {
        java.util.Random random = new java.util.Random(seed);
        float[][] rows = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            float[] z = expectedLogits(rows[i]);
            for (int c = 1; c < 4; c++) {
                labels[i] = z[c] > z[labels[i]] ? c : labels[i];
            }
            if (wrongEvery > 0 && i % wrongEvery == 0) {
                labels[i] = (labels[i] + 1) % 4;
            }
        }
        return dev.gauntlet.data.Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(4)
                .optBounds(dev.gauntlet.data.ValueBounds.unit()).optName("cube").build();
    }

    public static Classifier classifier(Model model) {
        return DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4).build();
    }

    public static float[] expectedLogits(float[] x) {
        float[] z = new float[4];
        for (int c = 0; c < 4; c++) {
            double sum = B[c];
            for (int j = 0; j < 3; j++) {
                sum += W[c][j] * x[j];
            }
            z[c] = (float) sum;
        }
        return z;
    }

    /** d/dx of -log softmax(Wx+b)[y] = W^T (softmax(z) - onehot(y)). */
    public static double[] expectedCrossEntropyGradient(float[] x, int y) {
        float[] z = expectedLogits(x);
        double max = Math.max(Math.max(z[0], z[1]), Math.max(z[2], z[3]));
        double[] p = new double[4];
        double sum = 0;
        for (int c = 0; c < 4; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        double[] grad = new double[3];
        for (int c = 0; c < 4; c++) {
            double coefficient = p[c] / sum - (c == y ? 1 : 0);
            for (int j = 0; j < 3; j++) {
                grad[j] += W[c][j] * coefficient;
            }
        }
        return grad;
    }

    private static void setWeights(Block block, String weightName, String biasName) {
        float[] flat = new float[12];
        for (int c = 0; c < 4; c++) {
            System.arraycopy(W[c], 0, flat, c * 3, 3);
        }
        block.getParameters().get(weightName).getArray().set(flat);
        block.getParameters().get(biasName).getArray().set(B);
    }
}

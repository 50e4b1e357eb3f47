package dev.gauntlet.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import dev.gauntlet.GauntletException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.internal.InferenceForward;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link Classifier} over a DJL {@link Block} whose output is the logits.
 *
 * <p>Load a saved model by giving its architecture and the folder {@code Model.save} wrote:
 * <pre>{@code
 * try (Classifier cnn = DjlClassifier.builder()
 *         .setArchitecture(MyNets::fashionCnn)
 *         .setInputShape(1, 28, 28)
 *         .setNumClasses(10)
 *         .optParameters(Path.of("models/cnn"), "cnn")
 *         .optComputeTarget(ComputeTarget.fromSystemProperties())
 *         .build()) {
 *     double accuracy = cnn.accuracy(testData);
 * }
 * }</pre>
 * or wrap a {@link Model} you already hold with {@link Builder#setModel(Model)} (it stays yours
 * to close). The builder runs one probe forward pass, so an architecture or input shape that does
 * not fit fails at build time with a {@link ShapeMismatchException}, not in the middle of a check.
 *
 * <p>Input gradients see the model's <em>current</em> weights but detach them from the graph, so
 * no weight gradient is computed or accumulated. The model is always evaluated in inference mode
 * (dropout off, batch normalisation with running statistics).
 */
public final class DjlClassifier implements Classifier {

    private final Model model;
    private final boolean ownsModel;
    private final Shape inputShape;
    private final int numClasses;
    private final int batchSize;
    private final ComputeTarget target;
    private final InferenceForward inferenceForward;
    private final Supplier<Block> architecture;

    /** Engines that run inference only: DJL's ONNX Runtime, TensorFlow Lite and TensorRT. */
    private static final java.util.Set<String> INFERENCE_ONLY_ENGINES = java.util.Set.of("OnnxRuntime", "TFLite",
            "TensorRT");

    private DjlClassifier(Model model, boolean ownsModel, Shape inputShape, int numClasses, int batchSize,
            ComputeTarget target, Supplier<Block> architecture) {
        this.architecture = architecture;
        this.model = model;
        this.ownsModel = ownsModel;
        this.inputShape = inputShape;
        this.numClasses = numClasses;
        this.batchSize = batchSize;
        this.target = target;
        this.inferenceForward = new InferenceForward(model.getBlock(), target.engine());
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the underlying DJL model, e.g. to train it further.
     *
     * @return the model
     */
    public Model model() {
        return model;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public ComputeTarget computeTarget() {
        return target;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public NDManager newScope() {
        return model.getNDManager().newSubManager(target.device());
    }

    @Override
    public String fingerprint() {
        if (model.getBlock() instanceof ai.djl.nn.SymbolBlock && model.getModelPath() != null) {
            return fingerprintFiles(model.getModelPath()); // ONNX and TorchScript blocks expose no parameters
        }
        return fingerprint(model.getBlock());
    }

    /** SHA-256 of the regular files of a model folder, by name and content, in name order. */
    private static String fingerprintFiles(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new GauntletException("cannot fingerprint the model files in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Computes the SHA-256 fingerprint of a block's parameters: for each parameter in block order,
     * its name, shape and little-endian float values.
     *
     * @param block an initialised block
     * @return 64 hex digits
     */
    public static String fingerprint(Block block) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            sha.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update(array.getShape().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(array.getDataType().toString().getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = array.toByteBuffer();
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Returns a layer-by-layer view of the model, for methods that look inside it (Grad-CAM,
     * guided backpropagation, relevance propagation).
     *
     * @return the view
     * @throws dev.gauntlet.GauntletException if the block is not a {@code SequentialBlock}
     */
    public Layers layers() {
        return new Layers(this, model.getBlock());
    }

    /** The parameter store that cuts parameters from the graph, for {@link Layers}. */
    ParameterStore detachedStore(NDManager scope) {
        return new DetachedParameterStore(scope);
    }

    /**
     * Copies this classifier with the parameters of every top-level layer from {@code fromLayer}
     * on replaced by Gaussian noise of each parameter's own standard deviation (biases: zero), as
     * the cascading model-parameter randomisation of Adebayo et al. (2018) needs. This classifier
     * is not changed.
     *
     * @param fromLayer the first layer to randomise, 0-based, among {@link Layers#size()}
     * @param seed the noise's seed
     * @return a new classifier that owns its model; close it
     * @throws IllegalStateException if this classifier wraps a model instead of an architecture
     */
    public DjlClassifier withRandomizedLayers(int fromLayer, long seed) {
        if (architecture == null) {
            throw new IllegalStateException("randomising a copy needs the architecture: build the classifier with"
                    + " setArchitecture(...) (and optParameters) instead of setModel(...)");
        }
        Block block = Objects.requireNonNull(architecture.get(), "architecture returned null");
        Model copy = Model.newInstance(model.getName() + "-randomized", target.device(), target.engineName());
        copy.setBlock(block);
        block.initialize(copy.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(inputShape));
        java.util.List<Block> ours = new java.util.ArrayList<>(model.getBlock().getChildren().values());
        java.util.List<Block> theirs = new java.util.ArrayList<>(block.getChildren().values());
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int layer = 0; layer < ours.size(); layer++) {
            ai.djl.nn.ParameterList from = ours.get(layer).getParameters();
            ai.djl.nn.ParameterList to = theirs.get(layer).getParameters();
            for (int i = 0; i < from.size(); i++) {
                NDArray source = from.get(i).getValue().getArray();
                NDArray destination = to.get(i).getValue().getArray();
                float[] values = source.toFloatArray();
                if (layer >= fromLayer) {
                    boolean bias = from.get(i).getValue().getType() == Parameter.Type.BIAS;
                    double mean = 0;
                    for (float v : values) {
                        mean += v / values.length;
                    }
                    double variance = 0;
                    for (float v : values) {
                        variance += (v - mean) * (v - mean) / values.length;
                    }
                    double std = Math.sqrt(variance);
                    for (int j = 0; j < values.length; j++) {
                        values[j] = bias ? 0f : (float) (std * dev.gauntlet.data.Permutations.gaussian(random));
                    }
                }
                destination.set(values);
            }
        }
        return new DjlClassifier(copy, true, inputShape, numClasses, batchSize, target, architecture);
    }

    @Override
    public NDArray logits(NDArray inputs) {
        checkInputs(inputs, "inputs");
        return forward(new ParameterStore(inputs.getManager(), false), inputs);
    }

    @Override
    public NDArray inputGradient(NDArray inputs, NDArray labels, GradientLoss loss) {
        Objects.requireNonNull(loss, "loss");
        if (INFERENCE_ONLY_ENGINES.contains(target.engineName())) {
            throw new GauntletException("model '" + model.getName() + "' runs on " + target.engineName() + ", which"
                    + " computes no gradients; use the gradient-free checks (Square attack, corruptions, drift,"
                    + " calibration, trust score) or load the model in MXNet or PyTorch for gradient attacks and"
                    + " explanations");
        }
        checkInputs(inputs, "inputs");
        checkLabels(labels, inputs.getShape().get(0));
        NDManager scope = inputs.getManager();
        return dev.gauntlet.model.internal.GradientLock.around(target.engine(), () -> {
            NDArray variable = inputs.duplicate();
            variable.setRequiresGradient(true);
            try (GradientCollector collector = target.engine().newGradientCollector()) {
                NDArray logits = checkLogits(inferenceForward.forward(new DetachedParameterStore(scope),
                        new NDList(variable)).singletonOrThrow(), variable);
                collector.backward(loss.perSample(logits, labels).sum());
            }
            NDArray gradient = variable.getGradient().duplicate();
            variable.close();
            return gradient;
        });
    }

    /**
     * Computes logits with dropout active (and every other layer in inference mode), one
     * stochastic pass for MC dropout (Gal &amp; Ghahramani 2016); the masks come from {@code seed}.
     *
     * @param inputs float32 inputs of shape {@code (n, inputShape...)}; not modified
     * @param seed the seed of the dropout masks
     * @return logits of shape {@code (n, numClasses)}, owned by the inputs' manager
     * @throws ShapeMismatchException if the inputs do not have the model's input shape
     * @throws dev.gauntlet.GauntletException if the model has no dropout layer
     */
    public NDArray logitsWithDropout(NDArray inputs, long seed) {
        checkInputs(inputs, "inputs");
        if (!InferenceForward.hasDropout(model.getBlock())) {
            throw new dev.gauntlet.GauntletException("model '" + model.getName() + "' has no Dropout layer, so MC"
                    + " dropout would repeat one deterministic prediction; use a model with dropout or an ensemble");
        }
        NDList outputs = InferenceForward.withDropout(model.getBlock(), new ParameterStore(inputs.getManager(), false),
                new NDList(inputs), new java.util.SplittableRandom(seed));
        return checkLogits(outputs.singletonOrThrow(), inputs);
    }

    @Override
    public float[][] logits(Dataset data) {
        checkDataset(data);
        return Classifier.super.logits(data);
    }

    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }

    @Override
    public String toString() {
        return "DjlClassifier[" + model.getName() + ", input " + inputShape + ", " + numClasses + " classes, "
                + target + "]";
    }

    private NDArray forward(ParameterStore parameters, NDArray inputs) {
        NDArray logits;
        try {
            logits = model.getBlock().forward(parameters, new NDList(inputs), false).singletonOrThrow();
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw new ShapeMismatchException("model '" + model.getName() + "' cannot run on inputs of shape "
                    + inputs.getShape() + " (declared input shape " + inputShape + "): " + e.getMessage());
        }
        return checkLogits(logits, inputs);
    }

    private NDArray checkLogits(NDArray logits, NDArray inputs) {
        Shape expected = new Shape(inputs.getShape().get(0), numClasses);
        if (!logits.getShape().equals(expected)) {
            throw new ShapeMismatchException("model '" + model.getName() + "' returned logits of shape "
                    + logits.getShape() + " for inputs " + inputs.getShape() + " but " + expected
                    + " was expected; check numClasses and that the block's last layer outputs one logit per class");
        }
        // x − x is 0 for every finite value and NaN for NaN and ±∞: one reduction, on every engine
        if (logits.sub(logits).sum().getFloat() != 0f) {
            throw new NonFiniteOutputException("model '" + model.getName() + "' returned NaN or infinite logits for"
                    + " inputs " + inputs.getShape() + "; check the inputs for NaN and the weights for a diverged"
                    + " training");
        }
        return logits;
    }

    private void checkInputs(NDArray inputs, String argument) {
        Objects.requireNonNull(inputs, argument);
        Shape shape = inputs.getShape();
        if (shape.dimension() != inputShape.dimension() + 1
                || !shape.slice(1).equals(inputShape)) {
            throw new ShapeMismatchException(argument + " have shape " + shape + " but model '" + model.getName()
                    + "' takes (n, " + inputShape.toString().replaceAll("[()]", "") + "); reshape the batch"
                    + " or declare the right setInputShape(...)");
        }
        if (shape.get(0) < 1) {
            throw new ShapeMismatchException(argument + " hold no sample (shape " + shape + ")");
        }
        if (inputs.getDataType() != DataType.FLOAT32) {
            throw new ShapeMismatchException(argument + " have data type " + inputs.getDataType()
                    + " but float32 is required; convert with toType(DataType.FLOAT32, false)");
        }
    }

    private void checkLabels(NDArray labels, long count) {
        Objects.requireNonNull(labels, "labels");
        if (!labels.getShape().equals(new Shape(count))) {
            throw new ShapeMismatchException("labels have shape " + labels.getShape() + " but the batch holds "
                    + count + " inputs; pass one label per input, shape (" + count + ")");
        }
        float smallest = labels.min().toType(DataType.FLOAT32, false).getFloat();
        float largest = labels.max().toType(DataType.FLOAT32, false).getFloat();
        if (smallest < 0 || largest >= numClasses) {
            throw new IllegalArgumentException("labels must be class indices in [0, " + numClasses + ") but range from "
                    + (long) smallest + " to " + (long) largest + "; check the labels or the model's numClasses");
        }
    }

    private void checkDataset(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (!data.sampleShape().equals(inputShape)) {
            throw new ShapeMismatchException("data '" + data.name() + "' has samples of shape " + data.sampleShape()
                    + " but model '" + model.getName() + "' takes " + inputShape
                    + "; reshape the data or load the matching model");
        }
        if (data.numClasses() != numClasses) {
            throw new ShapeMismatchException("data '" + data.name() + "' has " + data.numClasses()
                    + " classes but model '" + model.getName() + "' outputs " + numClasses + " logits");
        }
    }

    /** Hands the block its parameters cut from the autograd graph, so backward stops at the input. */
    private static final class DetachedParameterStore extends ParameterStore {

        private final NDManager scope;

        DetachedParameterStore(NDManager scope) {
            super(scope, false);
            this.scope = scope;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray value = super.getValue(parameter, device, training);
            if (value == null) {
                return null;
            }
            NDArray detached = value.stopGradient();
            detached.attach(scope);
            return detached;
        }
    }

    /** Configures a {@link DjlClassifier}; {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder {

        private Supplier<Block> architecture;
        private Model model;
        private Shape inputShape;
        private int numClasses = -1;
        private Path parametersDir;
        private String parametersName;
        private ComputeTarget target;
        private int batchSize = 256;
        private String name;

        private Builder() {}

        /**
         * Sets the architecture: a factory returning a new, uninitialised block whose output is
         * the logits. Needed unless {@link #setModel(Model)} is used.
         *
         * @param factory the architecture factory
         * @return this builder
         */
        public Builder setArchitecture(Supplier<Block> factory) {
            this.architecture = Objects.requireNonNull(factory, "architecture");
            return this;
        }

        /**
         * Wraps a model you already hold, with its block initialised; closing the classifier does
         * not close it.
         *
         * @param existing the model
         * @return this builder
         */
        public Builder setModel(Model existing) {
            this.model = Objects.requireNonNull(existing, "model");
            return this;
        }

        /**
         * Sets the shape of one input sample.
         *
         * @param dims e.g. {@code 1, 28, 28}
         * @return this builder
         */
        public Builder setInputShape(long... dims) {
            this.inputShape = new Shape(dims);
            return this;
        }

        /**
         * Sets the number of classes (the width of the logits).
         *
         * @param count at least 2
         * @return this builder
         */
        public Builder setNumClasses(int count) {
            this.numClasses = count;
            return this;
        }

        /**
         * Loads parameters saved by {@code Model.save(dir, name)} into the architecture.
         *
         * @param dir the folder holding {@code name-NNNN.params}
         * @param modelName the name the model was saved under
         * @return this builder
         */
        public Builder optParameters(Path dir, String modelName) {
            this.parametersDir = Objects.requireNonNull(dir, "dir");
            this.parametersName = Objects.requireNonNull(modelName, "modelName");
            return this;
        }

        /**
         * Sets the engine and device; {@link ComputeTarget#fromSystemProperties()} by default.
         *
         * @param computeTarget where to run
         * @return this builder
         */
        public Builder optComputeTarget(ComputeTarget computeTarget) {
            this.target = Objects.requireNonNull(computeTarget, "computeTarget");
            return this;
        }

        /**
         * Sets how many samples the dataset methods send through the model at once; 256 by default.
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder optBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * Sets the model name used in reports; the parameters' name or "model" by default.
         *
         * @param modelName the name
         * @return this builder
         */
        public Builder optName(String modelName) {
            this.name = Objects.requireNonNull(modelName, "name");
            return this;
        }

        /**
         * Loads or wraps the model, checks it with one probe forward pass and builds the classifier.
         *
         * @return the classifier
         * @throws ModelLoadException if saved parameters are missing, corrupt or of another architecture
         * @throws ShapeMismatchException if the model does not accept the input shape or return the logits
         * @throws ComputeUnavailableException if the engine or device is not available
         */
        public DjlClassifier build() {
            if (inputShape == null) {
                throw new IllegalStateException("inputShape is required: call setInputShape(...)");
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses
                        + "; call setNumClasses(...)");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if ((model == null) == (architecture == null)) {
                throw new IllegalStateException("give exactly one of setArchitecture(...) (to load saved parameters)"
                        + " or setModel(...) (to wrap a model you hold)");
            }
            boolean owns = model == null;
            Model built = owns ? loadModel() : model;
            ComputeTarget resolved = owns ? target : targetOf(built);
            DjlClassifier classifier = new DjlClassifier(built, owns, inputShape, numClasses, batchSize, resolved,
                    architecture);
            try (NDManager probe = classifier.newScope()) {
                classifier.logits(probe.zeros(new Shape(1).addAll(inputShape)));
            } catch (RuntimeException e) {
                classifier.close();
                throw e;
            }
            return classifier;
        }

        private Model loadModel() {
            if (target == null) {
                target = ComputeTarget.fromSystemProperties();
            }
            if (parametersDir == null) {
                throw new IllegalStateException("an architecture needs its trained parameters: call"
                        + " optParameters(dir, name), or wrap a trained model with setModel(...)");
            }
            String modelName = name != null ? name : parametersName;
            if (!Files.isDirectory(parametersDir)) {
                throw new ModelLoadException("model folder " + parametersDir.toAbsolutePath() + " does not exist;"
                        + " save the trained model there with Model.save(dir, \"" + parametersName + "\")", null);
            }
            Block block = Objects.requireNonNull(architecture.get(), "architecture returned null");
            Model loaded = Model.newInstance(modelName, target.device(), target.engineName());
            loaded.setBlock(block);
            try {
                block.initialize(loaded.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(inputShape));
                Map<String, Shape> expected = new LinkedHashMap<>();
                block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
                loaded.load(parametersDir, parametersName);
                for (Pair<String, Parameter> p : block.getParameters()) {
                    Shape actual = p.getValue().getArray().getShape();
                    if (!actual.equals(expected.get(p.getKey()))) {
                        throw new MalformedModelException("parameter " + p.getKey() + " has shape " + actual
                                + " in the file but the architecture expects " + expected.get(p.getKey()));
                    }
                }
                return loaded;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                loaded.close();
                throw new ModelLoadException("cannot load parameters '" + parametersName + "' from "
                        + parametersDir.toAbsolutePath() + ": " + e.getMessage() + "; check that the file is complete"
                        + " and was saved from the same architecture", e);
            }
        }

        private ComputeTarget targetOf(Model existing) {
            // symbol blocks (ONNX, TorchScript) hold no DJL parameters and report themselves uninitialised
            if (!(existing.getBlock() instanceof ai.djl.nn.SymbolBlock) && !existing.getBlock().isInitialized()) {
                throw new IllegalStateException("the block of model '" + existing.getName() + "' is not initialised;"
                        + " train it or load its parameters first");
            }
            return new ComputeTarget(existing.getNDManager().getEngine().getEngineName(),
                    existing.getNDManager().getDevice());
        }
    }
}

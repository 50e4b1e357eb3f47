package dev.gauntlet.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.SymbolBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.gauntlet.GauntletException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.internal.EngineSelfCheck;
import dev.gauntlet.model.internal.GradientLock;
import dev.gauntlet.model.internal.InferenceForward;
import dev.gauntlet.model.internal.LayerRandomizer;
import dev.gauntlet.model.internal.NativeHeap;
import dev.gauntlet.model.internal.NonFinite;
import dev.gauntlet.model.internal.NonFiniteDiagnosis;
import dev.gauntlet.model.internal.TorchScriptForward;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 * load a model file another framework wrote — TorchScript, ONNX or an MXNet symbol export — with
 * {@link Builder#setModelPath(Path)}, declaring the preprocessing and output kind it expects, or
 * wrap a {@link Model} you already hold with {@link Builder#setModel(Model)} (it stays yours to
 * close). What a model can do beyond logits depends on its format: ask
 * {@link #capability(Class)} and {@link #hasInputGradients()}. The builder runs one probe forward pass, so an architecture or input shape that does
 * not fit fails at build time with a {@link ShapeMismatchException}, not in the middle of a check.
 *
 * <p>Input gradients see the model's <em>current</em> weights but detach them from the graph, so
 * no weight gradient is computed or accumulated. The model is always evaluated in inference mode
 * (dropout off, batch normalisation with running statistics).
 */
public final class DjlClassifier implements Classifier, LayerView, DropoutSampling, LayerRandomization {

    private final Model model;
    private final boolean ownsModel;
    private final Shape inputShape;
    private final int numClasses;
    private final int batchSize;
    private final ComputeTarget target;
    private final InferenceForward inferenceForward;
    private final Supplier<Block> architecture;
    private final ModelFormat format;
    private final ModelContract contract;
    private final List<Path> sourceFiles;
    private final boolean torchScript;
    private final String noGradientsReason;
    /** For model files: the SHA-256 of the loaded bytes and the declared contract, computed once at load. */
    private final String fileFingerprint;
    /** The most engine passes {@link #warmUp(int)} runs. */
    private static final int WARM_UP_MAX_PASSES = 8;

    /** The batch sizes {@link #warmUp(int)} has run. */
    private final Set<Integer> warmedBatches = ConcurrentHashMap.newKeySet();

    /** Engines that run inference only: DJL's ONNX Runtime, TensorFlow Lite and TensorRT. */
    private static final Set<String> INFERENCE_ONLY_ENGINES = Set.of("OnnxRuntime", "TFLite", "TensorRT");

    /** MXNet symbol operators whose training mode an MXNet gradient pass would switch on. */
    private static final Pattern MODE_DEPENDENT_MXNET_OP = Pattern.compile(
            "\"op\"\\s*:\\s*\"(Dropout|BatchNorm\\w*|_contrib_SyncBatchNorm)\"");

    private DjlClassifier(Model model, boolean ownsModel, Shape inputShape, int numClasses, int batchSize,
            ComputeTarget target, Supplier<Block> architecture, ModelFormat format, ModelContract contract,
            List<Path> sourceFiles) {
        if ("MXNet".equals(target.engineName())) {
            NativeHeap.retainFreedMemory(); // measured on MXNet, whose CPU storage has no memory pool
        }
        this.architecture = architecture;
        this.model = model;
        this.ownsModel = ownsModel;
        this.inputShape = inputShape;
        this.numClasses = numClasses;
        this.batchSize = batchSize;
        this.target = target;
        this.format = format;
        this.contract = contract;
        this.sourceFiles = sourceFiles;
        this.inferenceForward = new InferenceForward(model.getBlock(), target.engine());
        this.torchScript = TorchScriptForward.isTorchScript(model);
        if (torchScript) {
            TorchScriptForward.freezeParameters(model.getBlock());
        }
        checkParameters("");
        this.noGradientsReason = noGradientsReason();
        this.fileFingerprint = sourceFiles == null ? null
                : Fingerprints.ofFiles(sourceFiles, contract.isIdentity() ? "" : contract.toString());
    }

    private String noGradientsReason() {
        if (INFERENCE_ONLY_ENGINES.contains(target.engineName())) {
            return target.engineName() + " runs inference only; run the gradient-free checks (Square attack,"
                    + " corruptions, drift, calibration, trust score, LIME, KernelSHAP, occlusion), or export the model"
                    + " as TorchScript for gradient attacks and attributions";
        }
        if (format == ModelFormat.MXNET_SYMBOL && sourceFiles != null) {
            try {
                if (MODE_DEPENDENT_MXNET_OP.matcher(Files.readString(sourceFiles.get(0))).find()) {
                    return "its MXNet symbol holds Dropout or BatchNorm, which an MXNet gradient pass would run in"
                            + " training mode; export the model as TorchScript, or rebuild it as a DJL architecture";
                }
            } catch (IOException e) {
                throw new ModelLoadException("cannot read " + sourceFiles.get(0) + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    /**
     * Returns how the model was given: as a DJL architecture, a DJL model or a model file.
     *
     * @return the format
     */
    public ModelFormat format() {
        return format;
    }

    /**
     * Returns the preprocessing applied to inputs before the model, {@link Preprocessing#none()} by default.
     *
     * @return the declared preprocessing
     */
    public Preprocessing preprocessing() {
        return contract.preprocessing();
    }

    /**
     * Returns what the model's score output holds, {@link OutputKind#LOGITS} by default.
     *
     * @return the declared output kind
     */
    public OutputKind outputKind() {
        return contract.outputKind();
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
        if (fileFingerprint != null) {
            return fileFingerprint;
        }
        if (model.getBlock() instanceof SymbolBlock && model.getModelPath() != null) {
            // a wrapped ONNX model exposes no parameters: the files of its folder stand for them
            try (Stream<Path> files = Files.list(model.getModelPath())) {
                return Fingerprints.ofFiles(files.filter(Files::isRegularFile).sorted().toList(),
                        contract.isIdentity() ? "" : contract.toString());
            } catch (IOException e) {
                throw new GauntletException("cannot fingerprint the model files in " + model.getModelPath() + ": "
                        + e.getMessage());
            }
        }
        return Fingerprints.ofParameters(model.getBlock());
    }

    /**
     * Returns a layer-by-layer view of the model, for methods that look inside it (Grad-CAM,
     * guided backpropagation, relevance propagation).
     *
     * @return the view
     * @throws UnsupportedCapabilityException if the model has no layer view
     */
    @Override
    public Layers layers() {
        UnsupportedCapabilityException.require(this, LayerView.class, "a layer-wise method");
        return new Layers(this, model.getBlock());
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        boolean has;
        if (type == LayerView.class) {
            has = model.getBlock() instanceof SequentialBlock && contract.isIdentity();
        } else if (type == DropoutSampling.class) {
            has = InferenceForward.hasDropout(model.getBlock());
        } else if (type == LayerRandomization.class) {
            has = architecture != null && model.getBlock() instanceof SequentialBlock;
        } else {
            return Classifier.super.capability(type);
        }
        return has ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public boolean hasInputGradients() {
        return noGradientsReason == null;
    }

    @Override
    public String missingCapabilityReason(Class<?> type) {
        String source = "a " + format.description();
        if (type == InputGradients.class) {
            return noGradientsReason == null ? "none missing" : noGradientsReason;
        }
        if (capability(type).isPresent()) {
            return "none missing";
        }
        if (type == LayerView.class) {
            if (!(model.getBlock() instanceof SequentialBlock)) {
                return (format.isOpaqueGraph() ? source + " is one opaque graph" : "its block is a "
                        + model.getBlock().getClass().getSimpleName()) + ", not a DJL SequentialBlock of layers; rebuild the network as a"
                        + " DJL architecture (setArchitecture + optParameters) for Grad-CAM, guided backpropagation,"
                        + " LRP and TCAV, or use the input-gradient attributions (saliency, IG, SmoothGrad)";
            }
            return "the layers would bypass the declared " + contract + "; declare none to look inside the model";
        }
        if (type == DropoutSampling.class) {
            return format.isOpaqueGraph() ? source + " shows no DJL Dropout layer to sample (dropout inside a"
                    + " TorchScript, ONNX or MXNet graph is not reachable); use an ensemble, or a DJL architecture"
                    + " with Dropout layers" : "it has no Dropout layer, so MC dropout would repeat one deterministic"
                    + " prediction; use a model with dropout or an ensemble";
        }
        if (type == LayerRandomization.class) {
            return "randomising a copy needs the architecture to rebuild it from: build the classifier with"
                    + " setArchitecture(...) (and optParameters), not from " + source;
        }
        return Classifier.super.missingCapabilityReason(type);
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
     * @throws UnsupportedCapabilityException if this classifier was not built from an architecture
     */
    @Override
    public DjlClassifier withRandomizedLayers(int fromLayer, long seed) {
        UnsupportedCapabilityException.require(this, LayerRandomization.class, "model-parameter randomisation");
        Block block = Objects.requireNonNull(architecture.get(), "architecture returned null");
        Model copy = Model.newInstance(model.getName() + "-randomized", target.device(), target.engineName());
        try {
            copy.setBlock(block);
            block.initialize(copy.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(inputShape));
            LayerRandomizer.copyRandomizing(model.getBlock(), block, fromLayer, seed);
            return new DjlClassifier(copy, true, inputShape, numClasses, batchSize, target, architecture, format,
                    contract, null);
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    @Override
    public int layerCount() {
        return model.getBlock().getChildren().size();
    }

    @Override
    public NDArray logits(NDArray inputs) {
        checkInputs(inputs, "inputs");
        return forward(new ParameterStore(inputs.getManager(), false), inputs);
    }

    /**
     * Runs the engine on a batch of zeros of {@code batch} samples (an input gradient where the model
     * has them, and a forward pass) until a pass is no longer 10% faster than the one before (at least
     * 3 passes, at most 8), so that the first attack or evaluation at that
     * batch size runs at the steady rate. Why: the first passes at a new batch shape page in fresh
     * native memory for every activation, let the engine pick its kernels for the shape and the JVM
     * compile the calling code; measured on the Fashion-MNIST CNN, batch 256, MXNet on 2 cores, the
     * first input gradients of a fresh JVM took 0.7 to 0.9 s, 0.3 to 0.4 s, 0.1 to 0.16 s and then
     * 0.09 s, and its first PGD-10 run went at a tenth of the steady rate. Once per batch size; later
     * calls return at once. The batch is all zeros: a model that cannot take an all-zero input (one that
     * normalises each input by its own spread, say) fails here with its {@code NonFiniteOutputException}.
     *
     * @param batch the batch size the checks will use, at least 1 (attacks and whole-dataset passes use
     *     {@link #batchSize()} unless told otherwise)
     * @return this classifier
     */
    public DjlClassifier warmUp(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (warmedBatches.contains(batch)) {
            return this;
        }
        try (NDManager scope = newScope()) {
            NDArray inputs = scope.zeros(new Shape(batch).addAll(inputShape));
            NDArray labels = scope.zeros(new Shape(batch), DataType.INT32);
            long previous = Long.MAX_VALUE;
            NDManager heldScope = null;
            for (int pass = 0; pass < WARM_UP_MAX_PASSES; pass++) {
                long start = System.nanoTime();
                // each pass's arrays live until the next pass ends, as an attack's iterate, gradient and origin
                // outlive a step: the native heap then grows to what an attack touches, not to one pass
                NDManager passScope = scope.newSubManager();
                NDArray passInputs = inputs.duplicate();
                passInputs.attach(passScope);
                if (hasInputGradients()) {
                    inputGradient(passInputs, labels, GradientLoss.crossEntropy()).toFloatArray();
                }
                logits(passInputs).toFloatArray();
                if (heldScope != null) {
                    heldScope.close();
                }
                heldScope = passScope;
                long took = System.nanoTime() - start;
                if (pass >= 2 && took > 0.9 * previous) {
                    break; // no longer 10% faster than the pass before: steady
                }
                previous = took;
            }
        }
        warmedBatches.add(batch);
        return this;
    }

    @Override
    public NDArray inputGradient(NDArray inputs, NDArray labels, GradientLoss loss) {
        Objects.requireNonNull(loss, "loss");
        if (noGradientsReason != null) {
            throw new UnsupportedCapabilityException("input gradients of model '" + model.getName() + "' ("
                    + format.description() + ") are not available: " + noGradientsReason);
        }
        checkInputs(inputs, "inputs");
        checkLabels(labels, inputs.getShape().get(0));
        EngineSelfCheck.verifyConvolutionGradient(target.engine(), target.device());
        NDManager scope = inputs.getManager();
        return GradientLock.around(target.engine(), () -> {
            // every intermediate (preprocessed inputs, outputs, loss) lives in a sub-scope closed here, so callers
            // that take many gradients in one scope (IG, SmoothGrad) hold only the gradients
            try (NDManager pass = scope.newSubManager()) {
                NDArray logits = null;
                NDArray variable = inputs.duplicate();
                variable.attach(pass);
                variable.setRequiresGradient(true);
                try (GradientCollector collector = target.engine().newGradientCollector()) {
                    NDList modelInputs = new NDList(contract.prepare(variable));
                    NDList outputs = torchScript ? TorchScriptForward.forwardRecording(model.getBlock(), modelInputs)
                            : inferenceForward.forward(new DetachedParameterStore(pass), modelInputs);
                    logits = checkLogitShape(contract.logits(outputs, model.getName()), variable);
                    collector.backward(loss.perSample(logits, labels).sum());
                } catch (EngineException e) {
                    if (logits != null && !NonFinite.isFinite(logits)) {
                        throw nonFiniteLogits(logits, inputs); // the cause, not the failed backward pass it led to
                    }
                    throw new GauntletException("the " + target.engineName() + " engine could not differentiate"
                            + " model '" + model.getName() + "' (" + format.description() + "): " + e.getMessage()
                            + (torchScript && sourceFiles == null ? "; load TorchScript files with setModelPath(...),"
                                    + " which loads their weights for autograd (DJL option trainParam=true)" : ""), e);
                }
                NDArray raw = variable.getGradient();
                // logits and gradient checked with one wait for the engine, the logits first as before
                boolean[] finite = NonFinite.areFinite(logits, raw);
                if (!finite[0]) {
                    throw nonFiniteLogits(logits, inputs);
                }
                if (!finite[1]) {
                    throw new NonFiniteGradientException("the input gradient of model '" + model.getName() + "' holds "
                            + NonFinite.count(raw) + " for inputs " + inputs.getShape() + " (its logits are finite): "
                            + whereNonFinite(inputs, true) + "; a gradient attack would step by sign(NaN) = 0 and"
                            + " report the model robust");
                }
                NDArray gradient = raw.duplicate();
                gradient.attach(scope);
                return gradient;
            }
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
     * @throws UnsupportedCapabilityException if the model has no dropout layer
     */
    @Override
    public NDArray logitsWithDropout(NDArray inputs, long seed) {
        checkInputs(inputs, "inputs");
        UnsupportedCapabilityException.require(this, DropoutSampling.class, "MC dropout");
        NDList outputs = InferenceForward.withDropout(model.getBlock(), new ParameterStore(inputs.getManager(), false),
                new NDList(contract.prepare(inputs)), new SplittableRandom(seed));
        return checkLogits(contract.logits(outputs, model.getName()), inputs);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The parameters are scanned for NaN and infinite values first (one reduction per parameter,
     * once per pass), since a ReLU can hide a broken weight from every logit.
     *
     * @throws NonFiniteParameterException if a weight changed to NaN or infinity after the classifier was built
     * @throws NonFiniteOutputException if a batch's logits are not finite
     */
    @Override
    public float[][] logits(Dataset data) {
        checkDataset(data);
        checkParameters(" before a pass over data '" + data.name() + "' (they changed after the classifier was built)");
        return Classifier.super.logits(data);
    }

    /**
     * Refuses NaN or infinite parameters, naming each with its layer, shape and count of bad values.
     * Engines that keep their weights to themselves (ONNX Runtime) are covered by the output check.
     */
    private void checkParameters(String when) {
        List<String> bad = NonFinite.badParameters(model.getBlock());
        if (!bad.isEmpty()) {
            throw new NonFiniteParameterException("model '" + model.getName() + "' holds NaN or infinite parameters"
                    + when + ": " + String.join("; ", bad) + ". A ReLU can hide them from the logits, so accuracy,"
                    + " attacks and calibration would measure a broken model; load a checkpoint from before training"
                    + " diverged, or retrain with a lower learning rate or gradient clipping");
        }
    }

    /** Says where non-finite logits or gradients come from, on the error path only. Never throws. */
    private String whereNonFinite(NDArray inputs, boolean forGradient) {
        return NonFiniteDiagnosis.explain(model.getBlock(), contract::prepare, inputs, forGradient, target.engineName());
    }

    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }

    @Override
    public String toString() {
        return "DjlClassifier[" + model.getName() + (format.isOpaqueGraph() ? ", " + format.description() : "")
                + ", input " + inputShape + ", " + numClasses + " classes, " + target
                + (contract.isIdentity() ? "" : ", " + contract) + "]";
    }

    private NDArray forward(ParameterStore parameters, NDArray inputs) {
        NDArray logits;
        try {
            NDList outputs = model.getBlock().forward(parameters, new NDList(contract.prepare(inputs)), false);
            logits = contract.logits(outputs, model.getName());
        } catch (ShapeMismatchException e) {
            throw e;
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw new ShapeMismatchException("model '" + model.getName() + "' cannot run on inputs of shape "
                    + inputs.getShape() + " (declared input shape " + inputShape + "): " + e.getMessage());
        }
        return checkLogits(logits, inputs);
    }

    private NDArray checkLogits(NDArray logits, NDArray inputs) {
        checkLogitShape(logits, inputs);
        // x − x is 0 for every finite value and NaN for NaN and ±∞: one reduction, on every engine
        if (!NonFinite.isFinite(logits)) {
            throw nonFiniteLogits(logits, inputs);
        }
        return logits;
    }

    private NonFiniteOutputException nonFiniteLogits(NDArray logits, NDArray inputs) {
        return new NonFiniteOutputException("model '" + model.getName() + "' returned NaN or infinite logits ("
                + NonFinite.count(logits) + ") for inputs " + inputs.getShape() + ": " + whereNonFinite(inputs, false));
    }

    private NDArray checkLogitShape(NDArray logits, NDArray inputs) {
        Shape expected = new Shape(inputs.getShape().get(0), numClasses);
        if (!logits.getShape().equals(expected)) {
            throw new ShapeMismatchException("model '" + model.getName() + "' returned logits of shape "
                    + logits.getShape() + " for inputs " + inputs.getShape() + " but " + expected
                    + " was expected; check numClasses and that the block's last layer outputs one logit per class");
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
        // one copy to the host (n values) instead of two engine reductions, each a synchronisation
        float smallest = Float.POSITIVE_INFINITY;
        float largest = Float.NEGATIVE_INFINITY;
        try (NDArray values = labels.toType(DataType.FLOAT32, true)) {
            for (float label : values.toFloatArray()) {
                smallest = Math.min(smallest, label);
                largest = Math.max(largest, label);
            }
        }
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

        /** The largest batch size {@link #optBatchSize(int)} takes: 2<sup>16</sup> samples. */
        public static final int MAX_BATCH_SIZE = 1 << 16;

        private Supplier<Block> architecture;
        private Model model;
        private Path modelPath;
        private String engine;
        private Preprocessing preprocessing = Preprocessing.none();
        private OutputKind outputKind = OutputKind.LOGITS;
        private int outputIndex = -1;
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
         * not close it. A TorchScript model's weights stop requiring gradients (Gauntlet never
         * trains them, and weight gradients would only cost time); a TorchScript file is best
         * loaded with {@link #setModelPath(Path)}, which also loads its weights for autograd.
         *
         * @param existing the model
         * @return this builder
         */
        public Builder setModel(Model existing) {
            this.model = Objects.requireNonNull(existing, "model");
            return this;
        }

        /**
         * Loads a model file exported from another framework: a TorchScript file ({@code .pt} or
         * {@code .pth}, PyTorch engine), an ONNX file ({@code .onnx}, ONNX Runtime engine), an MXNet
         * symbol export ({@code name-symbol.json} beside {@code name-0000.params}, MXNet engine), or a
         * folder holding exactly one of them. The engine follows from the file; the classifier owns the
         * model. TorchScript and MXNet models get input gradients (in eval mode: dropout off, batch
         * normalisation on its running statistics, which no check ever changes); ONNX models run the
         * gradient-free checks.
         *
         * <pre>{@code
         * DjlClassifier cnn = DjlClassifier.builder()
         *         .setModelPath(Path.of("models/fashion-cnn.pt"))
         *         .setInputShape(1, 28, 28).setNumClasses(10)
         *         .optPreprocessing(Preprocessing.normalize(new double[] {0.286}, new double[] {0.353}))
         *         .build();
         * }</pre>
         *
         * @param path the model file or its folder
         * @return this builder
         */
        public Builder setModelPath(Path path) {
            this.modelPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Names the engine for {@link #setModelPath(Path)} when a folder holds models for several
         * engines: "PyTorch", "OnnxRuntime" or "MXNet". A file whose format the engine cannot run is refused.
         *
         * @param engineName the DJL engine name
         * @return this builder
         */
        public Builder optEngine(String engineName) {
            this.engine = Objects.requireNonNull(engineName, "engine");
            return this;
        }

        /**
         * Declares preprocessing the model expects but does not contain, applied inside the classifier
         * so that data, value bounds and attack budgets stay in raw input units.
         *
         * @param inputPreprocessing e.g. {@code Preprocessing.normalize(mean, std)}
         * @return this builder
         */
        public Builder optPreprocessing(Preprocessing inputPreprocessing) {
            this.preprocessing = Objects.requireNonNull(inputPreprocessing, "preprocessing");
            return this;
        }

        /**
         * Declares what the score output holds; {@link OutputKind#LOGITS} by default.
         *
         * @param kind logits, probabilities or log-probabilities
         * @return this builder
         */
        public Builder optOutput(OutputKind kind) {
            this.outputKind = Objects.requireNonNull(kind, "output");
            return this;
        }

        /**
         * Declares which output of a multi-output model holds the class scores, e.g. 1 for a model
         * that returns {@code (label, probabilities)}. A model with several outputs must declare it.
         *
         * @param index 0-based
         * @return this builder
         */
        public Builder optOutputIndex(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("output index must be >= 0, got " + index);
            }
            this.outputIndex = index;
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
         * A batch's values are one Java array, so {@code size} times the values of one sample must stay
         * below 2<sup>31</sup>; {@link #build()} checks that against the input shape.
         *
         * @param size from 1 to {@link #MAX_BATCH_SIZE}
         * @return this builder
         * @throws IllegalArgumentException if {@code size} is outside that range
         */
        public Builder optBatchSize(int size) {
            if (size < 1 || size > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("optBatchSize must be in [1, " + MAX_BATCH_SIZE + "], got " + size
                        + "; larger batches gain no speed and overflow the batch arrays' int indices");
            }
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
            long sampleValues = Math.max(1, inputShape.size());
            long largest = Math.min(MAX_BATCH_SIZE, (Integer.MAX_VALUE - 8) / sampleValues);
            if (batchSize > largest) {
                throw new IllegalArgumentException("optBatchSize " + batchSize + " times the " + sampleValues
                        + " values of one input " + inputShape + " does not fit a Java array; the batch size must be"
                        + " in [1, " + largest + "] for this input shape");
            }
            int sources = (model == null ? 0 : 1) + (architecture == null ? 0 : 1) + (modelPath == null ? 0 : 1);
            if (sources != 1) {
                throw new IllegalStateException("give exactly one of setArchitecture(...) (to load saved parameters),"
                        + " setModelPath(...) (a TorchScript, ONNX or MXNet export) or setModel(...) (a model you hold)");
            }
            if (engine != null && modelPath == null) {
                throw new IllegalStateException("optEngine(...) picks the engine of a model file; with an architecture"
                        + " use optComputeTarget(...)");
            }
            preprocessing.checkFits(inputShape);
            ModelContract contract = new ModelContract(preprocessing, outputKind, outputIndex);
            DjlClassifier classifier;
            if (modelPath != null) {
                ModelFiles.Located located = ModelFiles.locate(modelPath, engine);
                ComputeTarget resolved = fileTarget(located);
                Model loaded = ModelFiles.load(located, name != null ? name : located.prefix(), resolved);
                try {
                    classifier = new DjlClassifier(loaded, true, inputShape, numClasses, batchSize, resolved, null,
                            located.format(), contract, located.files());
                } catch (RuntimeException e) {
                    loaded.close();
                    throw e;
                }
            } else {
                boolean owns = model == null;
                Model built = owns ? loadModel() : model;
                try {
                    ComputeTarget resolved = owns ? target : targetOf(built);
                    classifier = new DjlClassifier(built, owns, inputShape, numClasses, batchSize, resolved,
                            architecture, owns ? ModelFormat.DJL_ARCHITECTURE : formatOf(built), contract, null);
                } catch (RuntimeException e) {
                    if (owns) {
                        built.close();
                    }
                    throw e;
                }
            }
            try (NDManager probe = classifier.newScope()) {
                NDArray logits = classifier.logits(probe.zeros(new Shape(1).addAll(inputShape)));
                if (outputKind != OutputKind.LOGITS) {
                    float total = logits.exp().sum().getFloat(); // the probabilities, from either kind
                    if (Math.abs(total - 1) > 1e-3) {
                        throw new ShapeMismatchException("model '" + classifier.model.getName() + "' was declared to"
                                + " output " + outputKind.name().toLowerCase(Locale.ROOT).replace('_', '-')
                                + ", but for a zero input they make probabilities that sum to " + total
                                + "; declare OutputKind.LOGITS for this model");
                    }
                }
            } catch (RuntimeException e) {
                classifier.close();
                throw e;
            }
            return classifier;
        }

        /** The file's engine, on the device of the given target (or the configured device). */
        private ComputeTarget fileTarget(ModelFiles.Located located) {
            if (target != null && !target.engineName().equalsIgnoreCase(located.engine())) {
                throw new IllegalStateException("model file " + located.files().get(0) + " is a "
                        + located.format().description() + ", which runs on " + located.engine() + ", but the compute"
                        + " target names " + target.engineName() + "; give only the device, e.g. new ComputeTarget(\""
                        + located.engine() + "\", Device.gpu())");
            }
            ModelFiles.engineOrExplain(located.engine());
            if (target != null) {
                return target;
            }
            return ComputeTarget.resolve(located.engine(), System.getProperty(ComputeTarget.DEVICE_PROPERTY));
        }

        private static ModelFormat formatOf(Model existing) {
            if (!(existing.getBlock() instanceof SymbolBlock)) {
                return ModelFormat.DJL_MODEL;
            }
            String engineName = existing.getNDManager().getEngine().getEngineName();
            for (ModelFormat file : List.of(ModelFormat.TORCHSCRIPT, ModelFormat.ONNX, ModelFormat.MXNET_SYMBOL)) {
                if (file.engine().equals(engineName)) {
                    return file;
                }
            }
            return ModelFormat.DJL_MODEL;
        }

        private Model loadModel() {
            if (target == null) {
                target = ComputeTarget.fromSystemProperties();
            }
            if (parametersDir == null) {
                throw new IllegalStateException("an architecture needs its trained parameters: call"
                        + " optParameters(dir, name), or wrap a trained model with setModel(...)");
            }
            return ArchitectureLoader.load(architecture, parametersDir, parametersName,
                    name != null ? name : parametersName, inputShape, target);
        }

        private ComputeTarget targetOf(Model existing) {
            // symbol blocks (ONNX, TorchScript) hold no DJL parameters and report themselves uninitialised
            if (!(existing.getBlock() instanceof SymbolBlock) && !existing.getBlock().isInitialized()) {
                throw new IllegalStateException("the block of model '" + existing.getName() + "' is not initialised;"
                        + " train it or load its parameters first");
            }
            return new ComputeTarget(existing.getNDManager().getEngine().getEngineName(),
                    existing.getNDManager().getDevice());
        }
    }
}

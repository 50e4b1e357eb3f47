package dev.gauntlet.model;

/**
 * Where a {@link DjlClassifier}'s model came from, which decides what it can offer beyond logits:
 * input gradients need an engine with autograd, the layer view needs a DJL {@code SequentialBlock}.
 */
public enum ModelFormat {

    /** A DJL architecture ({@code Supplier<Block>}) with parameters saved by {@code Model.save}. */
    DJL_ARCHITECTURE("DJL architecture + parameters"),

    /** A DJL {@code Model} the caller built or loaded and wraps with {@code setModel}. */
    DJL_MODEL("DJL model"),

    /** A TorchScript file ({@code torch.jit.trace} or {@code torch.jit.script}), run by DJL's PyTorch engine. */
    TORCHSCRIPT("TorchScript file"),

    /** An ONNX file, run by DJL's ONNX Runtime engine: inference only. */
    ONNX("ONNX file"),

    /** An MXNet symbol export ({@code name-symbol.json} + {@code name-0000.params}, what Gluon's export writes). */
    MXNET_SYMBOL("MXNet symbol export");

    private final String description;

    ModelFormat(String description) {
        this.description = description;
    }

    /**
     * Returns the format in words, for messages and reports.
     *
     * @return e.g. "TorchScript file"
     */
    public String description() {
        return description;
    }

    /**
     * Returns the DJL engine that runs a model file of this format.
     *
     * @return "PyTorch", "OnnxRuntime" or "MXNet"
     * @throws IllegalStateException for the DJL formats, which run on any engine
     */
    public String engine() {
        return switch (this) {
            case TORCHSCRIPT -> "PyTorch";
            case ONNX -> "OnnxRuntime";
            case MXNET_SYMBOL -> "MXNet";
            default -> throw new IllegalStateException(this + " is not a model file format");
        };
    }

    /**
     * Tells whether the model is an opaque graph (a file from another framework) rather than DJL layers.
     *
     * @return true for TorchScript, ONNX and MXNet symbol files
     */
    public boolean isOpaqueGraph() {
        return this == TORCHSCRIPT || this == ONNX || this == MXNET_SYMBOL;
    }
}

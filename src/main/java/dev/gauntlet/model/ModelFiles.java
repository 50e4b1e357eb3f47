package dev.gauntlet.model;

import ai.djl.Model;
import ai.djl.engine.Engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Finds the model file a path names, the engine that runs it, and loads it. Never guesses between candidates. */
final class ModelFiles {

    /**
     * A model file located on disk.
     *
     * @param format its format
     * @param engine the DJL engine that runs it
     * @param dir the folder DJL loads from
     * @param prefix the name DJL loads ({@code prefix.pt}, {@code prefix.onnx}, {@code prefix-symbol.json})
     * @param files every file the model consists of, for the fingerprint
     */
    record Located(ModelFormat format, String engine, Path dir, String prefix, List<Path> files) {}

    private ModelFiles() {}

    /** The engine that runs each file format. */
    static String engineOf(ModelFormat format) {
        return switch (format) {
            case TORCHSCRIPT -> "PyTorch";
            case ONNX -> "OnnxRuntime";
            case MXNET_SYMBOL -> "MXNet";
            default -> throw new IllegalArgumentException(format + " is not a model file format");
        };
    }

    /**
     * Locates the model a path names: a {@code .pt}/{@code .pth} TorchScript file, an {@code .onnx}
     * file, a {@code name-symbol.json} MXNet export, or a folder holding exactly one of them (of
     * {@code engine}'s format when an engine is given).
     */
    static Located locate(Path path, String engine) {
        if (!Files.exists(path)) {
            throw new ModelLoadException("model file " + path.toAbsolutePath() + " does not exist", null);
        }
        Path file = path;
        if (Files.isDirectory(path)) {
            List<Path> candidates = new ArrayList<>();
            try (Stream<Path> entries = Files.list(path)) {
                entries.filter(Files::isRegularFile).filter(f -> formatOf(f) != null)
                        .filter(f -> engine == null || engineOf(formatOf(f)).equalsIgnoreCase(engine)).sorted()
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new ModelLoadException("cannot list model folder " + path.toAbsolutePath() + ": " + e.getMessage(),
                        e);
            }
            if (candidates.size() != 1) {
                throw new ModelLoadException("model folder " + path.toAbsolutePath() + " holds "
                        + (candidates.isEmpty() ? "no" : candidates.size()) + " model files"
                        + (engine == null ? "" : " for engine " + engine) + " " + names(candidates) + "; name the file"
                        + " itself (.pt TorchScript, .onnx, or name-symbol.json for an MXNet export)", null);
            }
            file = candidates.get(0);
        }
        ModelFormat format = formatOf(file);
        String name = file.getFileName().toString();
        if (format == null) {
            String hint = name.endsWith(".params") ? "; DJL parameters need their architecture (setArchitecture +"
                    + " optParameters), and an MXNet export is loaded from its name-symbol.json" : "";
            throw new ModelLoadException("cannot tell the format of model file " + file.toAbsolutePath()
                    + ": expected a .pt or .pth TorchScript file, an .onnx file or an MXNet name-symbol.json" + hint,
                    null);
        }
        String required = engineOf(format);
        if (engine != null && !required.equalsIgnoreCase(engine)) {
            throw new ModelLoadException("model file " + file.toAbsolutePath() + " is a " + format.description()
                    + ", which only the " + required + " engine runs, but engine " + engine + " was requested", null);
        }
        checkNotEmpty(file);
        Path dir = file.toAbsolutePath().getParent();
        String prefix;
        List<Path> files = new ArrayList<>(List.of(file));
        if (format == ModelFormat.MXNET_SYMBOL) {
            prefix = name.substring(0, name.length() - "-symbol.json".length());
            List<Path> params = parameterFiles(dir, prefix);
            if (params.size() != 1) {
                throw new ModelLoadException("MXNet export " + file.toAbsolutePath() + " needs exactly one " + prefix
                        + "-NNNN.params beside it, found " + names(params) + "; keep the epoch to test", null);
            }
            checkNotEmpty(params.get(0));
            files.add(params.get(0));
        } else {
            prefix = name.substring(0, name.lastIndexOf('.'));
        }
        return new Located(format, required, dir, prefix, List.copyOf(files));
    }

    /**
     * Loads a located model on a target whose engine is the file's.
     *
     * @return the model; the caller owns it
     */
    static Model load(Located located, String name, ComputeTarget target) {
        Engine engine = engineOrExplain(located.engine());
        Model model = Model.newInstance(name, target.device(), engine.getEngineName());
        try {
            // TorchScript: weights as ordinary tensors (not inference tensors) so autograd can pass through them
            Map<String, ?> options = located.format() == ModelFormat.TORCHSCRIPT
                    ? Map.of("trainParam", "true", "mapLocation", "true") : Map.of();
            model.load(located.dir(), located.prefix(), options);
            return model;
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelLoadException("cannot load " + located.format().description() + " "
                    + located.files().get(0) + " on " + located.engine() + ": " + e.getMessage()
                    + "; check that the file is complete and was exported for inference", e);
        }
    }

    static Engine engineOrExplain(String name) {
        if (!Engine.hasEngine(name)) {
            String artifact = switch (name) {
                case "OnnxRuntime" -> "ai.djl.onnxruntime:onnxruntime-engine";
                case "PyTorch" -> "ai.djl.pytorch:pytorch-engine";
                default -> "ai.djl.mxnet:mxnet-engine";
            };
            throw new ComputeUnavailableException("engine " + name + " is not on the classpath; add " + artifact
                    + " (README, \"Your own model\")");
        }
        try {
            return Engine.getEngine(name);
        } catch (RuntimeException e) {
            throw new ComputeUnavailableException("engine " + name + " is on the classpath but its native library"
                    + " did not load (" + e.getMessage() + "); add its natives for this machine, e.g."
                    + " ai.djl.pytorch:pytorch-native-cpu:2.7.1 classifier linux-x86_64 (README, \"Your own model\")."
                    + " Nothing is downloaded at run time");
        }
    }

    private static ModelFormat formatOf(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pt") || lower.endsWith(".pth")) {
            return ModelFormat.TORCHSCRIPT;
        }
        if (lower.endsWith(".onnx")) {
            return ModelFormat.ONNX;
        }
        if (name.endsWith("-symbol.json") && name.length() > "-symbol.json".length()) {
            return ModelFormat.MXNET_SYMBOL;
        }
        return null;
    }

    private static List<Path> parameterFiles(Path dir, String prefix) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix + "-") && n.endsWith(".params")
                        && n.substring(prefix.length() + 1, n.length() - ".params".length()).matches("\\d{4}");
            }).sorted().toList();
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkNotEmpty(Path file) {
        try {
            if (Files.size(file) == 0) {
                throw new ModelLoadException("model file " + file.toAbsolutePath() + " is empty", null);
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }
}

package dev.gauntlet.model;

import ai.djl.Model;
import ai.djl.engine.Engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the model file a path names, the engine that runs it, and loads it. Never guesses between
 * candidates, never follows a symbolic link, and hashes exactly the bytes it loads.
 */
final class ModelFiles {

    /** A symbol graph larger than this is refused before it is read (real exports are kilobytes). */
    static final long MAX_SYMBOL_BYTES = 64L << 20;

    private static final String SYMBOL_SUFFIX = "-symbol.json";

    /**
     * A model file located on disk.
     *
     * @param format its format
     * @param dir the folder it lies in
     * @param prefix its name without extension ({@code name} of {@code name-symbol.json})
     * @param files every file the model consists of, the model file first
     */
    record Located(ModelFormat format, Path dir, String prefix, List<Path> files) {

        String engine() {
            return format.engine();
        }
    }

    private ModelFiles() {}

    /**
     * Locates the model a path names: a {@code .pt}/{@code .pth} TorchScript file, an {@code .onnx}
     * file, a {@code name-symbol.json} MXNet export, or a folder holding exactly one of them (of
     * {@code engine}'s format when an engine is given).
     */
    static Located locate(Path path, String engine) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelLoadException("model file " + path.toAbsolutePath() + " does not exist", null);
        }
        Path file = path;
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && formatOf(path) == null) {
            List<Path> candidates = new ArrayList<>();
            try (Stream<Path> entries = Files.list(path)) {
                entries.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).filter(f -> formatOf(f) != null)
                        .filter(f -> engine == null || formatOf(f).engine().equalsIgnoreCase(engine)).sorted()
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
        if (engine != null && !format.engine().equalsIgnoreCase(engine)) {
            throw new ModelLoadException("model file " + file.toAbsolutePath() + " is a " + format.description()
                    + ", which only the " + format.engine() + " engine runs, but engine " + engine + " was requested",
                    null);
        }
        checkRegularNonEmpty(file);
        Path dir = file.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>(List.of(file.toAbsolutePath()));
        String prefix;
        if (format == ModelFormat.MXNET_SYMBOL) {
            prefix = name.substring(0, name.length() - SYMBOL_SUFFIX.length());
            List<Path> params = parameterFiles(dir, prefix);
            if (params.size() != 1) {
                throw new ModelLoadException("MXNet export " + file.toAbsolutePath() + " needs exactly one " + prefix
                        + "-NNNN.params beside it, found " + names(params) + "; keep the epoch to test", null);
            }
            checkRegularNonEmpty(params.get(0));
            files.add(params.get(0));
            try {
                if (Files.size(file) > MAX_SYMBOL_BYTES) {
                    throw new ModelLoadException("MXNet symbol " + file.toAbsolutePath() + " is larger than "
                            + (MAX_SYMBOL_BYTES >> 20) + " MiB; a symbol graph holds no weights, check the file", null);
                }
            } catch (IOException e) {
                throw new ModelLoadException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        } else {
            prefix = name.substring(0, name.lastIndexOf('.'));
        }
        return new Located(format, dir, prefix, List.copyOf(files));
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
            if (located.format() == ModelFormat.MXNET_SYMBOL) {
                model.load(located.dir(), located.prefix());
            } else {
                // the file itself, so DJL cannot pick a neighbour (name.pt beside name.pth, or an extensionless name);
                // TorchScript weights as ordinary tensors (not inference tensors) so autograd can pass through them
                Map<String, ?> options = located.format() == ModelFormat.TORCHSCRIPT
                        ? Map.of("trainParam", "true", "mapLocation", "true") : Map.of();
                model.load(located.files().get(0), located.prefix(), options);
            }
            return model;
        } catch (OutOfMemoryError e) {
            model.close();
            throw new ModelLoadException("loading " + located.format().description() + " " + located.files()
                    + " asked for more memory than the JVM has (" + e + "); a file whose declared sizes exceed its"
                    + " bytes is corrupt or crafted: export the model again", e);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelLoadException("cannot load " + located.format().description() + " "
                    + located.files().get(0) + " on " + located.engine() + ": " + e.getMessage()
                    + "; check that the file is complete and was exported for inference", e);
        }
    }

    static Engine engineOrExplain(String name) {
        ComputeTarget.ensureOffline();
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
            String natives = switch (name) {
                case "PyTorch" -> "ai.djl.pytorch:pytorch-native-cpu:2.7.1, classifier linux-x86_64";
                case "MXNet" -> "ai.djl.mxnet:mxnet-native-mkl:1.9.1, classifier linux-x86_64";
                default -> "ai.djl.onnxruntime:onnxruntime-engine, which brings com.microsoft.onnxruntime:onnxruntime";
            };
            throw new ComputeUnavailableException("engine " + name + " is on the classpath but its native library"
                    + " did not load (" + e.getMessage() + "); add its natives for this machine: " + natives
                    + " (README, \"Your own model\"). Nothing is downloaded at run time");
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
        if (name.endsWith(SYMBOL_SUFFIX) && name.length() > SYMBOL_SUFFIX.length()) { // as MXNet writes it
            return ModelFormat.MXNET_SYMBOL;
        }
        return null;
    }

    private static List<Path> parameterFiles(Path dir, String prefix) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix + "-") && n.endsWith(".params")
                        && n.substring(prefix.length() + 1, n.length() - ".params".length()).matches("\\d{4}");
            }).sorted().toList();
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Refuses links, folders, devices and pipes (a TorchScript or ONNX model is one regular file), and empty files. */
    private static void checkRegularNonEmpty(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new ModelLoadException("model file " + file.toAbsolutePath() + " is a symbolic link; name the file"
                    + " it points to, so that what is tested is what is named", null);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelLoadException("model file " + file.toAbsolutePath() + " is not a regular file"
                    + (Files.isDirectory(file) ? " but a folder (a TorchScript or ONNX model is one file)" : ""), null);
        }
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

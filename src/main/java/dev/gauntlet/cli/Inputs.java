package dev.gauntlet.cli;

import ai.djl.nn.Block;

import dev.gauntlet.GauntletException;
import dev.gauntlet.data.CsvReader;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.data.IdxReader;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ComputeUnavailableException;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.ModelLoadException;
import dev.gauntlet.model.OutputKind;
import dev.gauntlet.model.Preprocessing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Loads the model and the data a spec names; ids come from the {@link Catalogue}s on the classpath. */
final class Inputs {

    private Inputs() {}

    private static <T> Optional<T> lookUp(Function<Catalogue, Optional<T>> query) {
        for (Catalogue catalogue : ServiceLoader.load(Catalogue.class)) {
            Optional<T> found = query.apply(catalogue);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static List<String> knownIds() {
        List<String> ids = new ArrayList<>();
        ServiceLoader.load(Catalogue.class).forEach(c -> ids.addAll(c.ids()));
        return ids;
    }

    /** A model a spec names, checked when the spec is read and loaded when the gate runs; the caller closes it. */
    @FunctionalInterface
    interface ModelSource {
        /**
         * Loads the model.
         *
         * @return the classifier
         * @throws SpecException if it does not load, naming the field and with the library's message
         */
        Classifier load();
    }

    private static final Set<String> REFERENCE_FIELDS = Set.of("reference");
    private static final Set<String> ARCHITECTURE_FIELDS = Set.of("architecture", "parameters", "name", "inputShape",
            "classes");
    private static final Set<String> FILE_FIELDS = Set.of("file", "engine", "name", "inputShape", "classes", "output",
            "outputIndex", "preprocessing");

    /** The engines a model file may name, by their lower-case spelling. */
    private static final Map<String, String> ENGINES = Map.of("pytorch", "PyTorch", "onnxruntime", "OnnxRuntime",
            "mxnet", "MXNet");

    /**
     * Reads the {@code model:} of a spec, one of:
     * {@code {reference: digits-mlp}}, a reference model from the cache (trained if absent);
     * {@code {architecture: ID-or-class, parameters: DIR, name: model, inputShape: [..], classes: N}};
     * {@code {file: models/cnn.pt, engine: PyTorch, inputShape: [..], classes: N, output: logits,
     * outputIndex: 0, preprocessing: {mean: [..], std: [..], scale: 1}}}, a TorchScript, ONNX or MXNet export
     * (or a folder holding one) under the spec's folder.
     */
    static ModelSource model(SpecNode spec, Path base) {
        Set<String> all = new HashSet<>(ARCHITECTURE_FIELDS);
        all.addAll(REFERENCE_FIELDS);
        all.addAll(FILE_FIELDS);
        spec.only(all);
        List<String> given = Stream.of("reference", "architecture", "file").filter(k -> spec.optional(k) != null)
                .toList();
        if (given.size() != 1) {
            throw spec.error((given.isEmpty() ? "names no model" : "names the model " + given.size() + " ways "
                    + given) + "; give exactly one of reference (a catalogue id), architecture (with parameters) or"
                    + " file (a TorchScript, ONNX or MXNet export)");
        }
        return switch (given.get(0)) {
            case "reference" -> reference(spec.only(REFERENCE_FIELDS));
            case "architecture" -> architecture(spec.only(ARCHITECTURE_FIELDS), base);
            default -> modelFile(spec.only(FILE_FIELDS), base);
        };
    }

    private static ModelSource reference(SpecNode spec) {
        SpecNode reference = spec.required("reference");
        String id = reference.text();
        return () -> loading(reference, () -> lookUp(c -> c.model(id)).orElseThrow(() -> reference.error(
                "unknown reference model '" + id + "'; the catalogues on the classpath know " + knownIds())));
    }

    private static ModelSource architecture(SpecNode spec, Path base) {
        SpecNode architecture = spec.required("architecture");
        SpecNode parameters = spec.required("parameters");
        Path dir = confined(parameters, base);
        long[] dims = inputShape(spec.required("inputShape"));
        int classes = classes(spec.required("classes"));
        String name = spec.textOr("name", "model");
        Supplier<Block> factory = architecture(architecture);
        return () -> {
            if (!Files.isDirectory(dir)) {
                throw parameters.error("folder " + dir + " does not exist; point it at the folder holding the saved"
                        + " <name>-0000.params, relative to the spec's folder");
            }
            return loading(parameters, () -> DjlClassifier.builder().setArchitecture(factory).setInputShape(dims)
                    .setNumClasses(classes).optParameters(dir, name).build());
        };
    }

    private static ModelSource modelFile(SpecNode spec, Path base) {
        SpecNode file = spec.required("file");
        Path path = confined(file, base);
        SpecNode engineNode = spec.optional("engine");
        String engine = engineNode == null ? null : ENGINES.get(engineNode.text().toLowerCase(Locale.ROOT));
        if (engineNode != null && engine == null) {
            throw engineNode.error("unknown engine '" + engineNode.text() + "'; use PyTorch, OnnxRuntime or MXNet, or"
                    + " leave it out (the file's format decides)");
        }
        long[] dims = inputShape(spec.required("inputShape"));
        int classes = classes(spec.required("classes"));
        SpecNode outputNode = spec.optional("output");
        OutputKind output = outputNode == null ? OutputKind.LOGITS : switch (outputNode.text()) {
            case "logits" -> OutputKind.LOGITS;
            case "probabilities" -> OutputKind.PROBABILITIES;
            case "log-probabilities" -> OutputKind.LOG_PROBABILITIES;
            default -> throw outputNode.error("unknown output '" + outputNode.text() + "'; use logits, probabilities"
                    + " or log-probabilities");
        };
        SpecNode indexNode = spec.optional("outputIndex");
        int outputIndex = indexNode == null ? -1 : indexNode.integer();
        if (indexNode != null && outputIndex < 0) {
            throw indexNode.error("must be >= 0 (the 0-based index of the output holding the class scores)");
        }
        Preprocessing preprocessing = preprocessing(spec.optional("preprocessing"), dims);
        SpecNode nameNode = spec.optional("name");
        String name = nameNode == null ? null : nameNode.text();
        return () -> {
            DjlClassifier.Builder builder = DjlClassifier.builder().setModelPath(path).setInputShape(dims)
                    .setNumClasses(classes).optOutput(output).optPreprocessing(preprocessing);
            if (engine != null) {
                builder.optEngine(engine);
            }
            if (outputIndex >= 0) {
                builder.optOutputIndex(outputIndex);
            }
            if (name != null) {
                builder.optName(name);
            }
            try {
                return builder.build();
            } catch (ModelLoadException e) {
                throw file.error(e.getMessage(), e);
            } catch (ComputeUnavailableException e) {
                throw (engineNode != null ? engineNode : file).error(e.getMessage(), e);
            } catch (RuntimeException e) {
                // a shape, class count or declared output that does not fit the model
                throw spec.error(message(e), e);
            }
        };
    }

    /** Runs a load, turning the library's errors into spec errors that name {@code node}. */
    private static <T> T loading(SpecNode node, Supplier<T> load) {
        try {
            return load.get();
        } catch (SpecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw node.error(message(e), e);
        }
    }

    private static String message(RuntimeException e) {
        return e instanceof GauntletException || e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : e.toString();
    }

    /**
     * Resolves a path the spec names (model file, parameters folder, data file) against the spec's folder and keeps it there: no absolute paths, no {@code ..} that
     * leaves the folder, no symbolic link (of the file, a folder on the way, or, for a folder or an MXNet export,
     * the model files it consists of) that resolves outside it. A spec may come from someone else; it must not
     * make the gate read files elsewhere on the machine.
     */
    static Path confined(SpecNode node, Path base) {
        String text = node.text();
        if (text.isBlank()) {
            throw node.error("is empty; name the file, relative to the spec's folder");
        }
        Path relative;
        try {
            relative = Path.of(text);
        } catch (InvalidPathException e) {
            throw node.error("is not a valid path: " + e.getReason());
        }
        Path folder = base.toAbsolutePath().normalize();
        if (relative.isAbsolute() || relative.getRoot() != null || text.startsWith("/") || text.startsWith("\\")) {
            throw node.error("must be a path relative to the spec's folder " + folder + ", not the absolute path '"
                    + text + "'; put the file under that folder and name it relative to it");
        }
        Path resolved = folder.resolve(relative).normalize();
        if (!resolved.startsWith(folder)) {
            throw node.error("'" + text + "' leaves the spec's folder " + folder + "; the files a spec names must lie under it");
        }
        if (Files.exists(resolved)) {
            Path realFolder = realPath(node, folder);
            List<Path> parts = new ArrayList<>(List.of(resolved));
            parts.addAll(companions(resolved));
            for (Path part : parts) {
                Path real = realPath(node, part);
                if (!real.startsWith(realFolder)) {
                    throw node.error("'" + folder.relativize(part) + "' is a symbolic link (or lies in a linked"
                            + " folder) that resolves to " + real + ", outside the spec's folder " + realFolder
                            + "; copy the file under that folder");
                }
            }
        }
        return resolved;
    }

    /** The other files a model path stands for: a folder's model files, an MXNet export's parameter files. */
    private static List<Path> companions(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        boolean folder = Files.isDirectory(path);
        if (!folder && !name.endsWith("-symbol.json")) {
            return List.of();
        }
        Path dir = folder ? path : path.getParent();
        String prefix = folder ? "" : name.substring(0, name.length() - "-symbol.json".length()) + "-";
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(f -> {
                String n = f.getFileName().toString();
                String lower = n.toLowerCase(Locale.ROOT);
                return folder ? lower.endsWith(".pt") || lower.endsWith(".pth") || lower.endsWith(".onnx")
                        || n.endsWith("-symbol.json") || n.endsWith(".params")
                        : n.startsWith(prefix) && n.endsWith(".params");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of(); // the library reports the unreadable folder
        }
    }

    private static Path realPath(SpecNode node, Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw node.error("cannot resolve " + path + ": " + e.getMessage());
        }
    }

    private static long[] inputShape(SpecNode shape) {
        List<SpecNode> items = shape.list();
        if (items.isEmpty()) {
            throw shape.error("lists no dimension; give the shape of one sample, e.g. [1, 28, 28]");
        }
        long[] dims = new long[items.size()];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = items.get(i).integer();
            if (dims[i] < 1) {
                throw items.get(i).error("must be >= 1, got " + dims[i]);
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE) {
                throw shape.error("holds more than " + Integer.MAX_VALUE + " values per sample");
            }
        }
        return dims;
    }

    /** The most classes a spec may declare: far above any real label set, far below what breaks memory. */
    static final int MAX_CLASSES = 100_000;

    private static int classes(SpecNode classes) {
        return classes.integer(2, MAX_CLASSES, "the number of classes");
    }

    /** {@code {mean: [..], std: [..], scale: 1}}: one value per channel or one for all; std finite and positive. */
    private static Preprocessing preprocessing(SpecNode node, long[] dims) {
        if (node == null) {
            return Preprocessing.none();
        }
        node.only(Set.of("mean", "std", "scale"));
        SpecNode meanNode = node.optional("mean");
        SpecNode stdNode = node.optional("std");
        double[] mean = meanNode == null ? null : numbers(meanNode);
        double[] std = stdNode == null ? null : numbers(stdNode);
        if (std != null) {
            for (int c = 0; c < std.length; c++) {
                if (std[c] <= 0) {
                    throw stdNode.list().get(c).error("must be positive, got " + std[c]);
                }
            }
        }
        if (mean == null) {
            mean = new double[std == null ? 1 : std.length];
        }
        if (std == null) {
            std = new double[mean.length];
            Arrays.fill(std, 1);
        }
        if (mean.length != std.length) {
            throw (stdNode != null ? stdNode : node).error("gives " + std.length + " standard deviations but "
                    + mean.length + " means; give one per channel, or one for all");
        }
        if (mean.length > 1 && (dims.length < 2 || dims[0] != mean.length)) {
            throw (meanNode != null ? meanNode : stdNode).error("gives " + mean.length + " channel values but the"
                    + " inputShape " + Arrays.toString(dims) + " has " + (dims.length < 2 ? "no" : dims[0])
                    + " channels first; give one value per channel, or one for all");
        }
        SpecNode scaleNode = node.optional("scale");
        double scale = scaleNode == null ? 1 : scaleNode.number();
        if (scale <= 0) {
            throw scaleNode.error("must be positive (it multiplies the raw input, e.g. 0.00392156862745098 for"
                    + " 1/255), got " + scale);
        }
        return new Preprocessing(scale, mean, std);
    }

    private static double[] numbers(SpecNode node) {
        List<SpecNode> items = node.list();
        if (items.isEmpty()) {
            throw node.error("lists no value; give one per channel, or one for all");
        }
        return items.stream().mapToDouble(SpecNode::number).toArray();
    }

    @SuppressWarnings("unchecked")
    private static Supplier<Block> architecture(SpecNode node) {
        String name = node.text();
        Optional<Supplier<Block>> catalogued = lookUp(c -> c.architecture(name));
        if (catalogued.isPresent()) {
            return catalogued.get();
        }
        try {
            // the type is checked before anything of the class runs: loaded without initialisation, and only a
            // Supplier is ever constructed, so a spec cannot run an arbitrary class's static block or constructor
            Class<?> type = Class.forName(name, false, Inputs.class.getClassLoader());
            if (!Supplier.class.isAssignableFrom(type)) {
                throw node.error("class " + name + " is not a java.util.function.Supplier<ai.djl.nn.Block>; name a"
                        + " catalogue architecture " + knownIds() + " or such a supplier");
            }
            return (Supplier<Block>) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw node.error("'" + name + "' is neither a catalogue architecture " + knownIds()
                    + " nor a class on the classpath with a public no-argument constructor (" + e + ")");
        }
    }

    /**
     * {@code {reference: digits|breast-cancer|fashion-mnist, part: test|train}}, or
     * {@code {format: idx, images: F, labels: F, classes: N}}, or
     * {@code {format: csv, path: F, classes: N, labelColumn: -1, header: 0, bounds: [0, 1]}};
     * {@code limit: N} takes a seeded sample.
     */
    static Dataset data(SpecNode spec, Path base, long seed) {
        spec.only(Set.of("reference", "part", "format", "images", "labels", "path", "classes", "labelColumn",
                "header", "bounds", "limit"));
        Dataset data;
        SpecNode reference = spec.optional("reference");
        if (reference != null) {
            DatasetSplit split = lookUp(c -> c.data(reference.text())).orElseThrow(() -> reference.error(
                    "unknown reference data; the catalogues on the classpath know " + knownIds()));
            SpecNode part = spec.optional("part");
            String which = part == null ? "test" : part.text();
            if (!which.equals("test") && !which.equals("train")) {
                throw part.error("must be test or train");
            }
            data = which.equals("test") ? split.test() : split.train();
        } else {
            SpecNode format = spec.required("format");
            int classes = classes(spec.required("classes"));
            switch (format.text().toLowerCase(Locale.ROOT)) {
                case "idx" -> {
                    Path images = file(spec.required("images"), base);
                    Path labels = file(spec.required("labels"), base);
                    data = loading(spec, () -> IdxReader.read(images, labels, classes,
                            spec.required("images").text()));
                }
                case "csv" -> {
                    SpecNode path = spec.required("path");
                    SpecNode labelColumn = spec.optional("labelColumn");
                    SpecNode header = spec.optional("header");
                    CsvReader.Builder reader = CsvReader.builder().setNumClasses(classes)
                            .optLabelColumn(labelColumn == null ? -1 : labelColumn.integer(-100_000, 100_000,
                                    "the label's column, 0-based, negative from the end"))
                            .optHeaderLines(header == null ? 0 : header.integer(0, 1_000, "header lines to skip"));
                    SpecNode bounds = spec.optional("bounds");
                    if (bounds != null) {
                        var pair = bounds.list();
                        if (pair.size() != 2) {
                            throw bounds.error("must be [lower, upper]");
                        }
                        reader.optBounds(ValueBounds.of(pair.get(0).number(), pair.get(1).number()));
                    }
                    Path csv = file(path, base);
                    data = loading(path, () -> reader.build().read(csv, path.text()));
                }
                default -> throw format.error("unknown format '" + format.text() + "'; use idx or csv");
            }
        }
        SpecNode limit = spec.optional("limit");
        if (limit != null) {
            limit.integer(1, Integer.MAX_VALUE, "the number of samples to keep");
            if (limit.integer() < data.size()) {
                data = data.sample(limit.integer(), seed);
            }
        }
        return data;
    }

    /** A data file the spec names, confined to the spec's folder like the model file. */
    private static Path file(SpecNode node, Path base) {
        Path path = confined(node, base);
        if (Files.isDirectory(path)) {
            throw node.error(path + " is a folder; name the data file inside it");
        }
        if (!Files.isRegularFile(path)) {
            throw node.error("file " + path + " does not exist; data files are named relative to the spec's"
                    + " folder");
        }
        if (!Files.isReadable(path)) {
            throw node.error("file " + path + " cannot be read: permission denied");
        }
        return path;
    }
}

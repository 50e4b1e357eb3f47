package dev.gauntlet.cli;

import ai.djl.nn.Block;

import dev.gauntlet.data.CsvReader;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.data.IdxReader;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.Classifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

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

    /**
     * {@code model: {reference: digits-mlp}} — a reference model from the cache (trained if absent); or
     * {@code {architecture: ID-or-class, parameters: DIR, name: model, inputShape: [..], classes: N}}.
     */
    static Classifier model(SpecNode spec, Path base) {
        spec.only(Set.of("reference", "architecture", "parameters", "name", "inputShape", "classes"));
        SpecNode reference = spec.optional("reference");
        if (reference != null) {
            return lookUp(c -> c.model(reference.text())).orElseThrow(() -> reference.error("unknown reference model '"
                    + reference.text() + "'; the catalogues on the classpath know " + knownIds()));
        }
        SpecNode architecture = spec.required("architecture");
        Supplier<Block> factory = architecture(architecture);
        SpecNode parameters = spec.required("parameters");
        Path dir = base.resolve(parameters.text());
        if (!Files.isDirectory(dir)) {
            throw parameters.error("folder " + dir + " does not exist; point it at the folder holding the saved"
                    + " <name>-0000.params");
        }
        SpecNode shape = spec.required("inputShape");
        long[] dims = shape.list().stream().mapToLong(SpecNode::integer).toArray();
        SpecNode classes = spec.required("classes");
        if (classes.integer() < 2) {
            throw classes.error("must be >= 2");
        }
        return DjlClassifier.builder().setArchitecture(factory).setInputShape(dims).setNumClasses(classes.integer())
                .optParameters(dir, spec.textOr("name", "model")).build();
    }

    @SuppressWarnings("unchecked")
    private static Supplier<Block> architecture(SpecNode node) {
        String name = node.text();
        Optional<Supplier<Block>> catalogued = lookUp(c -> c.architecture(name));
        if (catalogued.isPresent()) {
            return catalogued.get();
        }
        try {
            Object instance = Class.forName(name).getDeclaredConstructor().newInstance();
            if (instance instanceof Supplier<?> supplier) {
                return (Supplier<Block>) supplier;
            }
            throw node.error("class " + name + " is not a java.util.function.Supplier<ai.djl.nn.Block>");
        } catch (ReflectiveOperationException e) {
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
            SpecNode classes = spec.required("classes");
            switch (format.text().toLowerCase(Locale.ROOT)) {
                case "idx" -> data = IdxReader.read(file(spec.required("images"), base), file(spec.required("labels"),
                        base), classes.integer(), spec.required("images").text());
                case "csv" -> {
                    SpecNode path = spec.required("path");
                    CsvReader.Builder reader = CsvReader.builder().setNumClasses(classes.integer())
                            .optLabelColumn(spec.integerOr("labelColumn", -1)).optHeaderLines(spec.integerOr("header", 0));
                    SpecNode bounds = spec.optional("bounds");
                    if (bounds != null) {
                        var pair = bounds.list();
                        if (pair.size() != 2) {
                            throw bounds.error("must be [lower, upper]");
                        }
                        reader.optBounds(ValueBounds.of(pair.get(0).number(), pair.get(1).number()));
                    }
                    data = reader.build().read(file(path, base), path.text());
                }
                default -> throw format.error("unknown format '" + format.text() + "'; use idx or csv");
            }
        }
        SpecNode limit = spec.optional("limit");
        if (limit != null) {
            if (limit.integer() < 1) {
                throw limit.error("must be >= 1");
            }
            if (limit.integer() < data.size()) {
                data = data.sample(limit.integer(), seed);
            }
        }
        return data;
    }

    private static Path file(SpecNode node, Path base) {
        Path path = base.resolve(node.text());
        if (!Files.isRegularFile(path)) {
            throw node.error("file " + path + " does not exist");
        }
        return path;
    }
}

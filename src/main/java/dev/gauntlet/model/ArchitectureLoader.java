package dev.gauntlet.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.Utils;

import dev.gauntlet.model.internal.DjlParameterFile;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds a DJL architecture and loads the parameters {@code Model.save}
 * wrote into it, checking every declared size before DJL allocates (see {@link DjlParameterFile})
 * and every parameter's shape against the architecture after.
 */
final class ArchitectureLoader {

    private ArchitectureLoader() {}

    /**
     * Builds the architecture and loads its saved parameters.
     *
     * @param architecture the factory of a new, uninitialised block
     * @param dir the folder holding {@code name-NNNN.params}
     * @param parametersName the name the model was saved under
     * @param modelName the name of the new model
     * @param inputShape the shape of one input sample
     * @param target the engine and device
     * @return the loaded model; the caller owns it
     * @throws ModelLoadException if the parameters are missing, corrupt, crafted or of another architecture
     */
    static Model load(Supplier<Block> architecture, Path dir, String parametersName, String modelName,
            Shape inputShape, ComputeTarget target) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("model folder " + dir.toAbsolutePath() + " does not exist;"
                    + " save the trained model there with Model.save(dir, \"" + parametersName + "\")", null);
        }
        Block block = Objects.requireNonNull(architecture.get(), "architecture returned null");
        Model loaded = Model.newInstance(modelName, target.device(), target.engineName());
        loaded.setBlock(block);
        Path file = null;
        try {
            block.initialize(loaded.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(inputShape));
            Map<String, Shape> expected = new LinkedHashMap<>();
            block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
            file = parameterFile(dir, parametersName);
            if (file != null && DjlParameterFile.isDjlFormat(file)) {
                DjlParameterFile.load(loaded, file);
            } else {
                loaded.load(dir, parametersName); // an engine's own format (MXNet), or DJL's "not found"
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape actual = p.getValue().getArray().getShape();
                if (!actual.equals(expected.get(p.getKey()))) {
                    throw new MalformedModelException("parameter " + p.getKey() + " has shape " + actual
                            + " in the file but the architecture expects " + expected.get(p.getKey()));
                }
            }
            return loaded;
        } catch (DjlParameterFile.Malformed e) {
            loaded.close();
            throw new ModelLoadException("parameter file " + file.toAbsolutePath() + " " + e.getMessage()
                    + "; the file is truncated, corrupt or crafted, and nothing was allocated for it: check that the"
                    + " file is complete and was saved from the same architecture with Model.save(dir, \""
                    + parametersName + "\")", e);
        } catch (OutOfMemoryError e) {
            loaded.close();
            throw new ModelLoadException("decoding parameters '" + parametersName + "' from " + dir.toAbsolutePath()
                    + " asked for more memory than the JVM has (" + e + "); a saved model of this architecture would"
                    + " fit, so the file is corrupt or crafted: save the trained model again", e);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            loaded.close();
            throw new ModelLoadException("cannot load parameters '" + parametersName + "' from "
                    + dir.toAbsolutePath() + ": " + e.getMessage() + "; check that the file is complete"
                    + " and was saved from the same architecture", e);
        }
    }

    /** The file {@code Model.load} would read: the highest-numbered {@code name-NNNN.params}, or null if none. */
    private static Path parameterFile(Path dir, String parametersName) {
        try {
            int epoch = Utils.getCurrentEpoch(dir, parametersName);
            return epoch < 0 ? null : dir.resolve(String.format(Locale.ROOT, "%s-%04d.params", parametersName, epoch));
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}

package dev.gauntlet.cli;

import ai.djl.engine.Engine;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a gate run's numbers come from, so a result can be traced and compared across builds: the model's
 * fingerprint (a SHA-256 of its parameters, or of its file and contract), engine and device; the library,
 * engine, Java and OS versions; the seed; and a SHA-256 of each dataset's values and labels.
 */
final class Provenance {

    private Provenance() {}

    /**
     * Describes a run.
     *
     * @param model the model under test
     * @param test the test data
     * @param train the training data, or null
     * @param seed the run's seed
     * @return nested maps for {@code summary.json}
     */
    static Map<String, Object> of(Classifier model, Dataset test, Dataset train, long seed) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("description", model.toString());
        described.put("fingerprint", model.fingerprint());
        described.put("engine", model.computeTarget().engineName());
        described.put("device", model.computeTarget().device().toString());
        described.put("inputShape", model.inputShape().toString());
        described.put("classes", model.numClasses());
        provenance.put("model", described);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("test", dataset(test));
        if (train != null) {
            data.put("train", dataset(train));
        }
        provenance.put("data", data);
        provenance.put("seed", seed);
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("gauntlet", RunFolder.version());
        versions.put("engine", engineVersion(model.computeTarget().engineName()));
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        provenance.put("versions", versions);
        return provenance;
    }

    /**
     * The same facts as Allure's {@code environment.properties} lines: one key per fact.
     *
     * @param provenance what {@link #of} returned
     * @param run the run's description
     * @return property names to values
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> provenance, Map<String, Object> run) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("Gauntlet run", String.valueOf(run.get("id")));
        environment.put("Spec", run.get("spec") + " (sha256 " + run.get("specSha256") + ")");
        Map<String, Object> model = (Map<String, Object>) provenance.get("model");
        environment.put("Model", String.valueOf(model.get("description")));
        environment.put("Model fingerprint", String.valueOf(model.get("fingerprint")));
        environment.put("Device", String.valueOf(model.get("device")));
        Map<String, Object> versions = (Map<String, Object>) provenance.get("versions");
        environment.put("Gauntlet", String.valueOf(versions.get("gauntlet")));
        environment.put("Engine version", String.valueOf(versions.get("engine")));
        environment.put("Seed", String.valueOf(provenance.get("seed")));
        ((Map<String, Object>) provenance.get("data")).forEach((part, value) -> {
            Map<String, Object> data = (Map<String, Object>) value;
            environment.put("Data " + part, data.get("name") + ", " + data.get("samples") + " samples, sha256 "
                    + data.get("sha256"));
        });
        return environment;
    }

    private static Map<String, Object> dataset(Dataset data) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("name", data.name());
        described.put("samples", data.size());
        described.put("sha256", digest(data));
        return described;
    }

    /** SHA-256 of the float32 features (little-endian) then the int32 labels: the same data, the same digest. */
    static String digest(Dataset data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.size(); i++) {
                for (float v : data.features(i)) {
                    if (buffer.remaining() < Float.BYTES) {
                        digest.update(buffer.array(), 0, buffer.position());
                        buffer.clear();
                    }
                    buffer.putFloat(v);
                }
            }
            for (int label : data.labels()) {
                if (buffer.remaining() < Integer.BYTES) {
                    digest.update(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putInt(label);
            }
            digest.update(buffer.array(), 0, buffer.position());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String engineVersion(String engine) {
        try {
            return engine + " " + Engine.getEngine(engine).getVersion();
        } catch (RuntimeException e) {
            return engine;
        }
    }
}

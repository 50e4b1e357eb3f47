package dev.gauntlet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 fingerprints that say which model a result was measured on: of a block's parameters
 * (DJL architectures and models) or of the files a model was loaded from (TorchScript, ONNX and
 * MXNet exports, whose weights an engine may keep to itself).
 */
public final class Fingerprints {

    private Fingerprints() {}

    /**
     * Fingerprints a block's parameters: for each parameter in block order, its name, shape, data
     * type and little-endian values.
     *
     * @param block an initialised block
     * @return 64 hex digits
     */
    public static String ofParameters(Block block) {
        MessageDigest sha = sha256();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            sha.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update(array.getShape().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(array.getDataType().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(array.toByteBuffer());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Fingerprints model files by name and content (streamed, links not followed), then a declared
     * suffix such as the model's contract, so the same file declared differently is another model.
     *
     * @param files the files, in a stable order
     * @param declared what else identifies the model; "" for nothing
     * @return 64 hex digits
     * @throws ModelLoadException if a file cannot be read
     */
    public static String ofFiles(List<Path> files, String declared) {
        MessageDigest sha = sha256();
        try {
            for (Path file : files) {
                sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                        sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot fingerprint the model files " + files + ": " + e.getMessage(), e);
        }
        sha.update(declared.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

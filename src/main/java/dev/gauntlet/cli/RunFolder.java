package dev.gauntlet.cli;

import dev.gauntlet.report.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder of one gate run, {@code OUT/runs/<id>/}, so that results of one run never mix with another's.
 *
 * <p>The id is the UTC start time and a random suffix, so parallel runs into the same {@code --out} get
 * different folders. {@code run.json} is written first, with {@code "state": "running"}; the run's
 * {@code summary.json} (and {@code report.html}) only at the end, after which {@code run.json} says
 * {@code "complete"}. A run that was killed is therefore visible as incomplete: its {@code run.json} still
 * says running and it has no summary. Every file is written atomically (a temporary file in the same folder,
 * then a rename), so no reader ever sees half a file.
 *
 * <p>At the end the run folder also holds {@code junit.xml} (one test case per check, for CI servers).
 * {@code OUT/summary.json} and {@code OUT/report.html} are copies of the last run that completed: a run
 * removes them when it starts (a killed run leaves none, rather than an earlier run's "passed") and puts its
 * own there when it ends. Each names its run id; the run folder is the authoritative record.
 */
final class RunFolder {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path out;
    private final Path dir;
    private final String id;
    private final Instant started;
    private final Map<String, Object> run = new LinkedHashMap<>();

    private RunFolder(Path out, Path dir, String id, Instant started) {
        this.out = out;
        this.dir = dir;
        this.id = id;
        this.started = started;
    }

    /**
     * Creates a new run folder under {@code out/runs} and writes its {@code run.json}.
     *
     * @param out the output folder the user named
     * @param spec the spec file
     * @param specDigest the SHA-256 of the spec's bytes
     * @return the run folder
     * @throws IOException if the folder cannot be created or written
     */
    static RunFolder start(Path out, Path spec, String specDigest) throws IOException {
        Instant now = Instant.now();
        Path runs = Files.createDirectories(out.resolve("runs"));
        while (true) {
            byte[] suffix = new byte[4];
            RANDOM.nextBytes(suffix);
            String id = ID_TIME.format(now) + "-" + HexFormat.of().formatHex(suffix);
            try {
                Path dir = Files.createDirectory(runs.resolve(id)); // fails rather than share a folder
                RunFolder folder = new RunFolder(out, dir, id, now);
                folder.run.put("id", id);
                folder.run.put("spec", spec.toString());
                folder.run.put("specSha256", specDigest);
                folder.run.put("started", now.toString());
                folder.run.put("state", "running");
                folder.run.put("gauntlet", version());
                folder.write("run.json", Json.write(folder.run));
                Files.deleteIfExists(out.resolve("summary.json"));
                Files.deleteIfExists(out.resolve("report.html"));
                return folder;
            } catch (FileAlreadyExistsException e) {
                // another run took this id in the same second: draw again
            }
        }
    }

    /** @return the run id, {@code yyyyMMddTHHmmssZ-xxxxxxxx} */
    String id() {
        return id;
    }

    /** @return the run's folder */
    Path dir() {
        return dir;
    }

    /** @return the UTC start time */
    Instant started() {
        return started;
    }

    /** @return what {@code run.json} holds: id, spec, its digest, start time, state, library version */
    Map<String, Object> description() {
        return new LinkedHashMap<>(run);
    }

    /**
     * Writes a file of the run atomically.
     *
     * @param name a file name inside the run folder
     * @param text its content (UTF-8)
     * @throws IOException if it cannot be written
     */
    void write(String name, String text) throws IOException {
        atomicWrite(dir.resolve(name), text);
    }

    /**
     * Marks the run complete and publishes its summary (and report) as the latest in {@code out}.
     *
     * @param summary the summary JSON
     * @param report the HTML report, or null
     * @param junit the JUnit XML
     * @throws IOException if a file cannot be written
     */
    void complete(String summary, String report, String junit) throws IOException {
        write("junit.xml", junit);
        write("summary.json", summary);
        if (report != null) {
            write("report.html", report);
        }
        run.put("state", "complete");
        run.put("finished", Instant.now().toString());
        write("run.json", Json.write(run));
        atomicWrite(out.resolve("summary.json"), summary);
        if (report != null) {
            atomicWrite(out.resolve("report.html"), report);
        }
    }

    /**
     * Marks a run that could not finish (its model or data did not load, or it broke) as stopped, with the
     * reason; it publishes no summary. Best effort: a failure to write is ignored, the state stays "running".
     *
     * @param reason why the run stopped
     */
    void stop(String reason) {
        if (!"running".equals(run.get("state"))) {
            return;
        }
        run.put("state", "stopped");
        run.put("finished", Instant.now().toString());
        run.put("reason", reason);
        try {
            write("run.json", Json.write(run));
        } catch (IOException e) {
            // the run folder still says running: incomplete either way
        }
    }

    /** Writes to a temporary file beside {@code target}, then renames it over the target. */
    static void atomicWrite(Path target, String text) throws IOException {
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The SHA-256 of a file, streamed.
     *
     * @param file the file
     * @return lower-case hex
     * @throws IOException if it cannot be read
     */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** @return the library version from the jar's manifest, or {@code development} when run from classes */
    static String version() {
        String version = RunFolder.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}

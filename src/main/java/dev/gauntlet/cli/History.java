package dev.gauntlet.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headline metrics of the last {@value #KEPT} completed gate runs, kept across builds in one JSON file
 * ({@code OUT/history.json} by default; a CI job caches it like Allure's own history), and the trend of
 * each check drawn from it.
 *
 * <p>Each entry holds the run id, finish time, spec, model fingerprint and every check's metric, value and
 * status. A run appends its entry under an exclusive file lock ({@code history.json.lock}), writing a
 * temporary file and renaming it, so parallel runs neither lose an entry nor leave half a file. The file is
 * input: an unreadable one is moved aside ({@code history.json.broken-<run>}) with a warning and a new
 * history starts; entries that are not objects are skipped.
 */
final class History {

    /** How many runs the file keeps. */
    static final int KEPT = 200;

    private final List<JsonObject> entries;

    private History(List<JsonObject> entries) {
        this.entries = entries;
    }

    /**
     * Appends a run's entry to the history file and returns the history including it.
     *
     * @param file the history file
     * @param entry the run's entry
     * @param warnings where a warning about an unreadable file goes
     * @return the updated history
     * @throws IOException if the file cannot be locked or written
     */
    static History append(Path file, Map<String, Object> entry, List<String> warnings) throws IOException {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file; name a history file with --history");
        }
        if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is " + Files.size(file) + " bytes, more than a history of " + KEPT
                    + " runs; remove it or name another with --history");
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock(channel, file)) {
            List<JsonObject> entries = new ArrayList<>();
            if (Files.exists(file)) {
                try {
                    JsonArray array = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonArray();
                    for (JsonElement element : array) {
                        if (element.isJsonObject()) {
                            entries.add(element.getAsJsonObject());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    Path aside = file.resolveSibling(file.getFileName() + ".broken-" + entry.get("run"));
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    warnings.add("history " + file + " could not be read (" + e.getMessage() + "); moved to " + aside
                            + ", starting a new history");
                    entries.clear();
                }
            }
            entries.add(JsonParser.parseString(Json.write(entry)).getAsJsonObject());
            while (entries.size() > KEPT) {
                entries.remove(0);
            }
            JsonArray array = new JsonArray();
            entries.forEach(array::add);
            RunFolder.atomicWrite(file, array.toString());
            return new History(entries);
        }
    }

    /** Far above {@value #KEPT} runs of a large spec; a bigger file is not one of ours. */
    static final long MAX_BYTES = 64L << 20;

    /** The exclusive lock; a run in this JVM holding it already (an embedding caller) is an I/O error, not a crash. */
    private static FileLock lock(FileChannel channel, Path file) throws IOException {
        try {
            return channel.lock();
        } catch (OverlappingFileLockException e) {
            throw new IOException("history " + file + " is being updated by another gate run in this JVM", e);
        }
    }

    /**
     * A run's history entry.
     *
     * @param run the run's description (id, spec, ...)
     * @param fingerprint the model's fingerprint
     * @param outcomes the checks' outcomes
     * @return the entry
     */
    static Map<String, Object> entry(Map<String, Object> run, String fingerprint, List<CheckResult> outcomes) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("run", run.get("id"));
        entry.put("started", run.get("started"));
        entry.put("spec", run.get("spec"));
        entry.put("model", fingerprint);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CheckResult o : outcomes) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", o.name());
            check.put("metric", o.metric());
            check.put("value", o.value());
            check.put("threshold", o.threshold());
            check.put("status", o.status().json());
            checks.add(check);
        }
        entry.put("checks", checks);
        return entry;
    }

    /**
     * The trend of every check of the latest entry over the runs of the same spec (the check at the same
     * position with the same name): its value per run, with its bar; a check needs two runs with a value.
     *
     * @return one chart per check with a trend, in the latest run's order
     */
    List<LineChart> trends() {
        if (entries.isEmpty()) {
            return List.of();
        }
        JsonObject latest = entries.get(entries.size() - 1);
        String spec = text(latest, "spec");
        List<JsonObject> runs = entries.stream().filter(e -> spec.equals(text(e, "spec"))).toList();
        List<LineChart> charts = new ArrayList<>();
        JsonArray latestChecks = latest.getAsJsonArray("checks");
        for (int position = 0; position < latestChecks.size(); position++) {
            JsonElement element = latestChecks.get(position);
            String name = text(element.getAsJsonObject(), "name");
            List<double[]> points = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                // the same check is the one at the same position with the same name (a spec may repeat a name)
                JsonElement checks = runs.get(r).get("checks");
                if (checks == null || !checks.isJsonArray() || checks.getAsJsonArray().size() <= position
                        || !checks.getAsJsonArray().get(position).isJsonObject()) {
                    continue;
                }
                JsonObject check = checks.getAsJsonArray().get(position).getAsJsonObject();
                double value = number(check, "value");
                if (name.equals(text(check, "name")) && Double.isFinite(value)) {
                    points.add(new double[] {r + 1 - runs.size(), value, number(check, "threshold")});
                }
            }
            if (points.size() >= 2) {
                double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
                List<LineChart.Series> series = new ArrayList<>();
                series.add(new LineChart.Series(text(element.getAsJsonObject(), "metric"), x,
                        points.stream().mapToDouble(p -> p[1]).toArray()));
                if (points.stream().allMatch(p -> Double.isFinite(p[2]))) {
                    series.add(new LineChart.Series("bar", x, points.stream().mapToDouble(p -> p[2]).toArray()));
                }
                charts.add(new LineChart("trend " + (position + 1) + ": " + name, "run (0 = this one)", text(element.getAsJsonObject(),
                        "metric"), series));
            }
        }
        return charts;
    }

    private static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static double number(JsonObject object, String field) {
        JsonElement value = object.get(field);
        try {
            return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                    ? value.getAsDouble() : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}

package dev.gauntlet.report.allure;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.Verdicts;
import dev.gauntlet.report.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headline metrics of each model over the last {@value #KEPT} runs, kept in
 * {@code gauntlet-history.json} beside the Allure results folder (the results are cleared between runs;
 * a CI job caches this one file), and their trends for the overview page. One entry per run (a JVM) and
 * model: refreshing the overview within a run replaces that run's entry. An unreadable file starts a new
 * history (the old one is kept as {@code gauntlet-history.json.broken}).
 */
final class ModelHistory {

    /** How many entries the file keeps. */
    static final int KEPT = 200;

    /** This JVM's run: its start time and process id. */
    private static final String RUN = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())
            + "-" + ProcessHandle.current().pid();

    private ModelHistory() {}

    /**
     * Records this run's verdicts of every model and returns, per model, the trend of each check over the
     * runs (a check needs two runs with a value).
     *
     * @param resultsDir the Allure results folder
     * @param byModel the verdicts so far, by model
     * @return model to its trend charts
     */
    static Map<String, List<LineChart>> update(Path resultsDir, Map<String, List<Verdicts.Verdict>> byModel) {
        Path file = resultsDir.toAbsolutePath().resolveSibling("gauntlet-history.json");
        List<JsonObject> entries = read(file);
        entries.removeIf(e -> RUN.equals(text(e, "run")) && byModel.containsKey(text(e, "model")));
        byModel.forEach((model, verdicts) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("run", RUN);
            entry.put("model", model);
            List<Map<String, Object>> checks = new ArrayList<>();
            for (Verdicts.Verdict v : verdicts) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("check", key(v));
                check.put("metric", v.metric());
                check.put("value", v.value());
                check.put("threshold", v.threshold());
                checks.add(check);
            }
            entry.put("checks", checks);
            entries.add(JsonParser.parseString(Json.write(entry)).getAsJsonObject());
        });
        while (entries.size() > KEPT) {
            entries.remove(0);
        }
        write(file, entries);
        Map<String, List<LineChart>> trends = new LinkedHashMap<>();
        byModel.forEach((model, verdicts) -> trends.put(model, trends(entries, model, verdicts)));
        return trends;
    }

    private static String key(Verdicts.Verdict v) {
        return v.check() + " | " + v.subject();
    }

    private static List<LineChart> trends(List<JsonObject> entries, String model, List<Verdicts.Verdict> verdicts) {
        List<JsonObject> runs = entries.stream().filter(e -> model.equals(text(e, "model"))).toList();
        List<LineChart> charts = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Verdicts.Verdict v : verdicts) {
            String key = key(v);
            if (seen.contains(key)) {
                continue;
            }
            seen.add(key);
            List<double[]> points = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                JsonElement checks = runs.get(r).get("checks");
                for (JsonElement check : checks != null && checks.isJsonArray() ? checks.getAsJsonArray()
                        : new JsonArray()) {
                    if (check.isJsonObject() && key.equals(text(check.getAsJsonObject(), "check"))) {
                        double value = number(check.getAsJsonObject(), "value");
                        if (Double.isFinite(value)) {
                            points.add(new double[] {r + 1 - runs.size(), value,
                                number(check.getAsJsonObject(), "threshold")});
                        }
                        break;
                    }
                }
            }
            if (points.size() >= 2) {
                double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
                charts.add(new LineChart("trend: " + v.check(), "run (0 = this one)", v.metric(), List.of(
                        new LineChart.Series(v.metric(), x, points.stream().mapToDouble(p -> p[1]).toArray()),
                        new LineChart.Series("bar", x, points.stream().mapToDouble(p -> p[2]).toArray()))));
            }
        }
        return charts;
    }

    private static List<JsonObject> read(Path file) {
        List<JsonObject> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try {
            for (JsonElement element : JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonArray()) {
                if (element.isJsonObject()) {
                    entries.add(element.getAsJsonObject());
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".broken"),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the new history replaces it below
            }
            entries.clear();
        }
        return entries;
    }

    private static void write(Path file, List<JsonObject> entries) {
        JsonArray array = new JsonArray();
        entries.forEach(array::add);
        try {
            Path temp = Files.createTempFile(file.getParent(), ".gauntlet-history", ".tmp");
            Files.writeString(temp, array.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a history that cannot be written costs the trend, not the run's results
        }
    }

    private static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static double number(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber() ? value.getAsDouble()
                : Double.NaN;
    }
}

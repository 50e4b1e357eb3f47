package dev.gauntlet.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A self-contained HTML page of one gate run: the summary table, then each check's pictures (the
 * PNG evidence of its Allure result) embedded. For the full interactive report, run Allure on the
 * results folder.
 *
 * <p>It reads only the result files of this run (by their ids), never a folder listing, so a shared or
 * reused results folder cannot bring another run's checks in. A result file is untrusted: an attachment
 * is embedded only if its {@code source} is a plain file name that resolves, links followed, to a regular
 * file inside the results folder (no {@code ..}, no absolute path, no link leading out) and is at most
 * {@value #MAX_PICTURE_BYTES} bytes; an unreadable or malformed result file is skipped with a note.
 */
final class HtmlSummary {

    /** The largest picture embedded; Gauntlet's own charts are far smaller. */
    static final long MAX_PICTURE_BYTES = 16L << 20;

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private HtmlSummary() {}

    /**
     * Renders the page.
     *
     * @param spec the spec as named on the command line
     * @param run the run's description (id, start time, spec digest, version)
     * @param outcomes the checks' outcomes, in order
     * @param results the Allure results folder
     * @param resultIds the ids of this run's Allure results, one per outcome
     * @return the HTML text
     * @throws IOException if the results folder cannot be resolved
     */
    static String render(String spec, Map<String, Object> run, List<CheckResult> outcomes, Path results,
            List<String> resultIds) throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Gauntlet gate: ")
                .append(escape(spec)).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
                        + ".pass{color:#1a7f37}.fail{color:#cf222e}.skip{color:#9a6700}.warn{color:#bc4c00}img{max-width:640px;margin:4px}"
                        + "</style></head><body>")
                .append("<h1>Gauntlet gate: ").append(escape(spec)).append("</h1><p>");
        for (Map.Entry<String, Object> entry : run.entrySet()) {
            html.append(escape(entry.getKey())).append(": ").append(escape(String.valueOf(entry.getValue())))
                    .append("<br>");
        }
        html.append("</p><p>")
                .append(count(outcomes, CheckResult.Status.PASSED)).append(" passed, ")
                .append(count(outcomes, CheckResult.Status.FAILED)).append(" failed, ")
                .append(count(outcomes, CheckResult.Status.SKIPPED)).append(" skipped, ")
                .append(count(outcomes, CheckResult.Status.WARNED)).append(" warned</p>")
                .append("<table><tr><th>check</th><th>status</th><th>metric</th><th>value</th><th>threshold</th>"
                        + "<th>seconds</th></tr>");
        for (CheckResult o : outcomes) {
            html.append("<tr><td>").append(escape(o.name())).append("</td><td class=\"")
                    .append(o.status().json().substring(0, 4)).append("\"").append(o.skipped() || o.warned() ? " title=\""
                            + escape(o.message()) + "\"" : "").append('>')
                    .append(o.status().label()).append("</td><td>").append(escape(o.metric())).append("</td><td>")
                    .append(o.skipped() ? "" : String.format("%.4g", o.value())).append("</td><td>")
                    .append(escape(o.comparison())).append(' ').append(String.format("%.4g", o.threshold()))
                    .append("</td><td>").append(o.skipped() ? "" : String.format("%.1f", o.seconds()))
                    .append("</td></tr>");
        }
        html.append("</table>");
        Path folder = results.toRealPath();
        for (String id : resultIds) {
            Path file = folder.resolve(id + "-result.json");
            JsonObject result;
            try {
                result = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
                result.get("name").getAsString();
            } catch (IOException | RuntimeException e) {
                html.append("<p class=\"skip\">").append(escape(file.getFileName().toString()))
                        .append(": unreadable (").append(escape(String.valueOf(e.getMessage())))
                        .append("); its evidence is left out</p>");
                continue;
            }
            html.append("<h2>").append(escape(result.get("name").getAsString())).append("</h2>");
            String message = text(result, "statusDetails", "message");
            if (!message.isEmpty()) {
                html.append("<pre>").append(escape(message)).append("</pre>");
            }
            for (String png : pictures(result)) {
                Path picture = confined(folder, png);
                if (picture != null) {
                    html.append("<img src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(Files.readAllBytes(picture))).append("\">");
                } else {
                    html.append("<p class=\"skip\">attachment '").append(escape(png))
                            .append("' left out: not a picture file of this results folder</p>");
                }
            }
        }
        return html.append("</body></html>").toString();
    }

    /** The attachment file if {@code source} names a regular file of the folder, else null. */
    static Path confined(Path folder, String source) {
        if (!PLAIN_NAME.matcher(source).matches()) {
            return null;
        }
        try {
            Path real = folder.resolve(source).toRealPath();
            return real.getParent().equals(folder) && Files.isRegularFile(real)
                    && Files.size(real) <= MAX_PICTURE_BYTES ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long count(List<CheckResult> outcomes, CheckResult.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    private static String text(JsonObject node, String object, String field) {
        JsonElement inner = node.get(object);
        if (inner == null || !inner.isJsonObject()) {
            return "";
        }
        JsonElement value = inner.getAsJsonObject().get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static List<String> pictures(JsonObject node) {
        List<String> sources = new ArrayList<>();
        collect(node, sources, 0);
        return sources;
    }

    private static void collect(JsonObject node, List<String> sources, int depth) {
        if (depth > 64) {
            return; // Allure nests steps a few levels deep; a deeper file is not one of ours
        }
        if (node.get("attachments") instanceof JsonArray attachments) {
            for (JsonElement attachment : attachments) {
                if (attachment instanceof JsonObject a && a.get("type") instanceof JsonPrimitive type
                        && "image/png".equals(type.getAsString()) && a.get("source") instanceof JsonPrimitive source) {
                    sources.add(source.getAsString());
                }
            }
        }
        if (node.get("steps") instanceof JsonArray steps) {
            for (JsonElement step : steps) {
                if (step instanceof JsonObject child) {
                    collect(child, sources, depth + 1);
                }
            }
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

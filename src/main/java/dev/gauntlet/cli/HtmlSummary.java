package dev.gauntlet.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * A self-contained HTML page of a gate run: the summary table, then each check's pictures (the
 * PNG evidence of its Allure result) embedded. For the full interactive report, run Allure on the
 * results folder.
 */
final class HtmlSummary {

    private HtmlSummary() {}

    static String render(String spec, List<CheckResult> outcomes, Path results) throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Gauntlet gate: ")
                .append(escape(spec)).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
                        + ".pass{color:#1a7f37}.fail{color:#cf222e}.skip{color:#9a6700}img{max-width:640px;margin:4px}"
                        + "</style></head><body>")
                .append("<h1>Gauntlet gate: ").append(escape(spec)).append("</h1><p>")
                .append(count(outcomes, CheckResult.Status.PASSED)).append(" passed, ")
                .append(count(outcomes, CheckResult.Status.FAILED)).append(" failed, ")
                .append(count(outcomes, CheckResult.Status.SKIPPED)).append(" skipped</p>")
                .append("<table><tr><th>check</th><th>status</th><th>metric</th><th>value</th><th>threshold</th>"
                        + "<th>seconds</th></tr>");
        for (CheckResult o : outcomes) {
            html.append("<tr><td>").append(escape(o.name())).append("</td><td class=\"")
                    .append(o.status().json().substring(0, 4)).append("\"").append(o.skipped() ? " title=\""
                            + escape(o.message()).replace("\"", "&quot;") + "\"" : "").append('>')
                    .append(o.status().label()).append("</td><td>").append(escape(o.metric())).append("</td><td>")
                    .append(o.skipped() ? "" : String.format("%.4g", o.value())).append("</td><td>")
                    .append(escape(o.comparison())).append(' ').append(String.format("%.4g", o.threshold()))
                    .append("</td><td>").append(o.skipped() ? "" : String.format("%.1f", o.seconds()))
                    .append("</td></tr>");
        }
        html.append("</table>");
        for (JsonObject result : results(results)) {
            html.append("<h2>").append(escape(result.get("name").getAsString())).append("</h2>");
            if (result.has("statusDetails") && result.getAsJsonObject("statusDetails").has("message")) {
                String message = result.getAsJsonObject("statusDetails").get("message").getAsString();
                if (!message.isEmpty()) {
                    html.append("<pre>").append(escape(message)).append("</pre>");
                }
            }
            for (String png : pictures(result)) {
                Path file = results.resolve(png);
                if (Files.isRegularFile(file)) {
                    html.append("<img src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(Files.readAllBytes(file))).append("\">");
                }
            }
        }
        return html.append("</body></html>").toString();
    }

    private static long count(List<CheckResult> outcomes, CheckResult.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    private static List<JsonObject> results(Path dir) throws IOException {
        List<JsonObject> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).sorted().toList()) {
                results.add(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject());
            }
        }
        results.sort((a, b) -> Long.compare(a.get("start").getAsLong(), b.get("start").getAsLong()));
        return results;
    }

    private static List<String> pictures(JsonObject node) {
        List<String> sources = new ArrayList<>();
        collect(node, sources);
        return sources;
    }

    private static void collect(JsonObject node, List<String> sources) {
        if (node.has("attachments")) {
            for (JsonElement attachment : node.getAsJsonArray("attachments")) {
                JsonObject a = attachment.getAsJsonObject();
                if ("image/png".equals(a.has("type") ? a.get("type").getAsString() : "")) {
                    sources.add(a.get("source").getAsString());
                }
            }
        }
        if (node.has("steps")) {
            JsonArray steps = node.getAsJsonArray("steps");
            for (JsonElement step : steps) {
                collect(step.getAsJsonObject(), sources);
            }
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

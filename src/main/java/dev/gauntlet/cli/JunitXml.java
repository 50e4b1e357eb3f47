package dev.gauntlet.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A gate run as JUnit XML (the Ant/Surefire {@code testsuite} format every CI server reads): one
 * {@code testcase} per check, a {@code failure} for a missed bar or a broken check, {@code skipped} for a
 * check the model cannot run, and a warned check as passed with its warning in {@code system-out}.
 */
final class JunitXml {

    private JunitXml() {}

    /**
     * Renders the run.
     *
     * @param spec the spec file name, used as the suite and class name
     * @param runId the run's id
     * @param started the run's start
     * @param seconds the run's duration
     * @param outcomes the checks' outcomes
     * @return the XML text
     */
    static String render(String spec, String runId, Instant started, double seconds, List<CheckResult> outcomes) {
        long failures = outcomes.stream().filter(CheckResult::failed).count();
        long skipped = outcomes.stream().filter(CheckResult::skipped).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\""
                + " skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\" hostname=\"gauntlet\">%n", attribute("gauntlet gate "
                + spec), outcomes.size(), failures, skipped, seconds, DateTimeFormatter.ISO_LOCAL_DATE_TIME
                .format(started.atOffset(ZoneOffset.UTC))));
        xml.append("  <properties><property name=\"run\" value=\"").append(attribute(runId))
                .append("\"/></properties>\n");
        for (CheckResult o : outcomes) {
            xml.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    attribute("gauntlet.gate." + spec), attribute(o.name()), o.seconds()));
            String measured = o.skipped() ? "" : String.format(Locale.ROOT, "%s %.6g (%s %.6g)", o.metric(),
                    o.value(), o.comparison(), o.threshold());
            switch (o.status()) {
                case PASSED -> xml.append("><system-out>").append(text(measured)).append("</system-out></testcase>\n");
                case WARNED -> xml.append("><system-out>").append(text(measured + "\nwarning: " + o.message()))
                        .append("</system-out></testcase>\n");
                case SKIPPED -> xml.append("><skipped message=\"").append(attribute(o.message()))
                        .append("\"/></testcase>\n");
                case FAILED -> xml.append("><failure message=\"").append(attribute(firstLine(o.message())))
                        .append("\" type=\"").append(o.metric().equals("error") ? "error" : "threshold").append("\">")
                        .append(text(measured + "\n" + o.message())).append("</failure></testcase>\n");
            }
        }
        return xml.append("</testsuite>\n").toString();
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    private static String text(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static String attribute(String value) {
        return text(value).replace("\"", "&quot;").replace("\n", "&#10;");
    }
}

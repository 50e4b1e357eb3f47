package dev.gauntlet.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One gate check's outcome.
 *
 * @param name what was checked, with its settings
 * @param passed whether the threshold was met
 * @param metric the measured quantity
 * @param value its value
 * @param comparison {@code >=} or {@code <=}
 * @param threshold the bar
 * @param seconds the time the check took
 * @param message the failure message, empty when passed
 */
record CheckResult(String name, boolean passed, String metric, double value, String comparison, double threshold,
        double seconds, String message) {

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("passed", passed);
        map.put("metric", metric);
        map.put("value", value);
        map.put("comparison", comparison);
        map.put("threshold", threshold);
        map.put("seconds", seconds);
        if (!message.isEmpty()) {
            map.put("message", message);
        }
        return map;
    }
}

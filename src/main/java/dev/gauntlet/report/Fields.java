package dev.gauntlet.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named values of a report, in the order written, as the map its {@code toMap()} returns.
 *
 * <p>Reports turn into evidence and JSON through these maps, and readers rely on the keys and
 * their order, so the order is the order of the arguments, and a repeated name (which a plain
 * {@code map.put} would silently overwrite) or a name without a value is refused.
 */
public final class Fields {

    private Fields() {}

    /**
     * Builds the map of a report's fields.
     *
     * <p>{@code Fields.of("samples", 200, "accuracy", 0.93)} gives {@code {samples=200, accuracy=0.93}};
     * {@code Fields.of("samples", 200, "samples", 100)} and {@code Fields.of("samples")} throw.
     *
     * @param namesAndValues names (strings) and values, alternating; a value may be {@code null}
     * @return a new modifiable map in argument order, which the caller owns
     * @throws IllegalArgumentException when a name is missing its value, is not a string, or repeats
     */
    public static Map<String, Object> of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate, but " + namesAndValues.length
                    + " arguments leave the name " + namesAndValues[namesAndValues.length - 1] + " without a value");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("argument " + i + " must be a field name (a string), but is "
                        + namesAndValues[i]);
            }
            if (map.containsKey(name)) {
                throw new IllegalArgumentException("field " + name + " is named twice");
            }
            map.put(name, namesAndValues[i + 1]);
        }
        return map;
    }
}

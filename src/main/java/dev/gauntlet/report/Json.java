package dev.gauntlet.report;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes metric values as JSON: numbers, strings, booleans, primitive and
 * object arrays, collections and maps.
 *
 * <p>JSON has no NaN or infinity, and a string where a number belongs breaks every reader that
 * expects numbers, so a non-finite number is written as {@code null}, and a map entry that holds
 * one (or an array or collection holding one) gets a sibling {@code "<key>Reason"} saying why,
 * unless the map already has that key: the producer's own reason (e.g. {@code "AUROC needs both
 * classes"}) wins over the generic one ({@code "NaN: undefined"}, {@code "Infinity"}).
 */
public final class Json {

    private Json() {}

    /**
     * Serialises a value.
     *
     * @param value the value
     * @return its JSON text
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
            } else {
                out.append("null");
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                String key = String.valueOf(entry.getKey());
                string(key, out);
                out.append(':');
                write(entry.getValue(), out);
                String reason = nonFinite(entry.getValue());
                if (reason != null && !map.containsKey(key + "Reason")) {
                    out.append(',');
                    string(key + "Reason", out);
                    out.append(':');
                    string(reason, out);
                }
                if (entries.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof Collection<?> collection) {
            out.append('[');
            Iterator<?> items = collection.iterator();
            while (items.hasNext()) {
                write(items.next(), out);
                if (items.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            out.append('[');
            int length = Array.getLength(value);
            for (int i = 0; i < length; i++) {
                write(Array.get(value, i), out);
                if (i < length - 1) {
                    out.append(',');
                }
            }
            out.append(']');
        } else {
            string(value.toString(), out);
        }
    }

    /**
     * Says why a value is written as (or holds) {@code null}, or returns null when it is finite:
     * what the number was, and for arrays and collections at which positions.
     */
    static String nonFinite(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                return "NaN: undefined";
            }
            return Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : null;
        }
        List<Object> items;
        if (value instanceof double[] || value instanceof float[]) {
            items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> collection) {
            items = new ArrayList<>(collection);
        } else if (value instanceof Object[] array) {
            items = Arrays.asList(array);
        } else {
            return null;
        }
        List<Integer> positions = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String kind = items.get(i) instanceof Number ? nonFinite(items.get(i)) : null;
            if (kind != null) {
                positions.add(i);
                kinds.add(kind.startsWith("NaN") ? "NaN (undefined)" : kind);
            }
        }
        if (positions.isEmpty()) {
            return null;
        }
        return "null where the value is " + String.join(" or ", kinds) + ", at "
                + (positions.size() <= 20 ? positions.toString() : positions.subList(0, 20) + " and "
                        + (positions.size() - 20) + " more");
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

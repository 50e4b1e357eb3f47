package dev.gauntlet.cli;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A node of the YAML spec with its path and line, whose accessors fail with a {@link SpecException}. */
final class SpecNode {

    private final Node node;
    private final String path;

    SpecNode(Node node, String path) {
        this.node = node;
        this.path = path;
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    String path() {
        return path;
    }

    SpecException error(String problem) {
        return new SpecException(line(), path, problem);
    }

    /** A warning about this field: the line, the field and why the value makes the check vacuous. */
    String warning(String problem) {
        return "line " + line() + ", field '" + path + "': " + problem;
    }

    SpecException error(String problem, Throwable cause) {
        return new SpecException(line(), path, problem, cause);
    }

    private MappingNode mapping() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping of keys to values");
        }
        return mapping;
    }

    /**
     * Rejects keys outside {@code allowed}, keys that are not plain names, and keys given twice, so a typo or a
     * pasted-twice line is named instead of ignored (SnakeYAML's composer keeps both copies of a duplicate key).
     */
    SpecNode only(Set<String> allowed) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping().getValue()) {
            String key = key(tuple);
            if (!allowed.contains(key)) {
                throw new SpecException(keyLine(tuple), child(key), "unknown field; expected one of "
                        + new TreeSet<>(allowed));
            }
            if (!seen.add(key)) {
                throw duplicate(tuple, key);
            }
        }
        return this;
    }

    /** The value of {@code key}, or null; a key given twice is an error, whichever copy would be read. */
    SpecNode optional(String key) {
        SpecNode found = null;
        for (NodeTuple tuple : mapping().getValue()) {
            if (key.equals(key(tuple))) {
                if (found != null) {
                    throw duplicate(tuple, key);
                }
                found = new SpecNode(tuple.getValueNode(), child(key));
            }
        }
        return found;
    }

    private String key(NodeTuple tuple) {
        if (!(tuple.getKeyNode() instanceof ScalarNode scalar)) {
            throw new SpecException(keyLine(tuple), path.isEmpty() ? "(root)" : path, "a key must be a plain name,"
                    + " not a list or mapping");
        }
        return scalar.getValue();
    }

    private static int keyLine(NodeTuple tuple) {
        return tuple.getKeyNode().getStartMark().getLine() + 1;
    }

    private SpecException duplicate(NodeTuple tuple, String key) {
        return new SpecException(keyLine(tuple), child(key), "given twice in the same mapping; keep one");
    }

    SpecNode required(String key) {
        SpecNode value = optional(key);
        if (value == null) {
            throw new SpecException(line(), child(key), "is required");
        }
        return value;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String text() {
        if (!(node instanceof ScalarNode scalar)) {
            throw error("must be a single value");
        }
        return scalar.getValue();
    }

    double number() {
        try {
            double value = Double.parseDouble(text());
            if (!Double.isFinite(value)) {
                throw error("must be a finite number, got " + text());
            }
            return value;
        } catch (NumberFormatException e) {
            throw error("must be a number, got '" + text() + "'");
        }
    }

    double fraction() {
        double value = number();
        if (value < 0 || value > 1) {
            throw error("must be in [0, 1], got " + value);
        }
        return value;
    }

    int integer() {
        try {
            return Integer.parseInt(text());
        } catch (NumberFormatException e) {
            throw error("must be a whole number, got '" + text() + "'");
        }
    }

    long longInteger() {
        try {
            return Long.parseLong(text());
        } catch (NumberFormatException e) {
            throw error("must be a whole number, got '" + text() + "'");
        }
    }

    /**
     * A whole number in {@code [min, max]}.
     *
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @param meaning what the value is, for the message
     * @return the value
     */
    int integer(int min, int max, String meaning) {
        int value = integer();
        if (value < min || value > max) {
            throw error("must be between " + min + " and " + max + " (" + meaning + "), got " + value);
        }
        return value;
    }

    List<SpecNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("must be a list");
        }
        List<SpecNode> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new SpecNode(sequence.getValue().get(i), path + "[" + i + "]"));
        }
        return items;
    }

    String textOr(String key, String fallback) {
        SpecNode value = optional(key);
        return value == null ? fallback : value.text();
    }

    int integerOr(String key, int fallback) {
        SpecNode value = optional(key);
        return value == null ? fallback : value.integer();
    }

    double numberOr(String key, double fallback) {
        SpecNode value = optional(key);
        return value == null ? fallback : value.number();
    }
}

package dev.gauntlet.cli;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

    private MappingNode mapping() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping of keys to values");
        }
        return mapping;
    }

    /** Rejects keys outside {@code allowed}, so a typo is named instead of ignored. */
    SpecNode only(Set<String> allowed) {
        for (NodeTuple tuple : mapping().getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!allowed.contains(key)) {
                throw new SpecException(tuple.getKeyNode().getStartMark().getLine() + 1, child(key),
                        "unknown field; expected one of " + allowed);
            }
        }
        return this;
    }

    SpecNode optional(String key) {
        for (NodeTuple tuple : mapping().getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return new SpecNode(tuple.getValueNode(), child(key));
            }
        }
        return null;
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

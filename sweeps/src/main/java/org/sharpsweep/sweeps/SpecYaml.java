package org.sharpsweep.sweeps;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads the YAML of a spec into a tree of {@link Node}s that keep what a message needs: the
 * text the user wrote (so an error names {@code 4294967297}, never a wrapped int) and its line.
 * Stricter than YAML itself, because a spec must mean what it says: a key given twice in one
 * mapping (at any depth), a second document and an alias ({@code *name}) are errors naming
 * the line. Not thread-safe per instance; {@link #read} is static and safe.
 */
final class SpecYaml {
    private SpecYaml() {
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** What a node holds. */
    enum Kind { MAP, LIST, STRING, INT, FLOAT, BOOL, NULL }

    /**
     * One YAML node.
     *
     * @param text  the scalar as written ({@code 1e10}, {@code 0x10}, {@code .nan}); for a
     *              collection, its flow form for messages ({@code {from: 1, to: 3}})
     * @param line  1-based line where the node starts
     * @param map   entries of a mapping in the order written (empty otherwise)
     * @param list  items of a sequence (empty otherwise)
     */
    record Node(Kind kind, String text, int line, Map<String, Node> map, List<Node> list) {
        boolean isMap() {
            return kind == Kind.MAP;
        }

        boolean isList() {
            return kind == Kind.LIST;
        }

        boolean isNumber() {
            return kind == Kind.INT || kind == Kind.FLOAT;
        }

        Node get(String key) {
            return map.get(key);
        }

        boolean has(String key) {
            return map.containsKey(key);
        }

        /**
         * The number as written, exactly (decimal, {@code 0x}, {@code 0b}, {@code _} separators);
         * null for .nan/.inf, anything that is not a number, and an integer with a leading zero,
         * which YAML 1.1 reads as octal ({@code 017} is 15): too surprising to accept.
         */
        BigDecimal decimal() {
            if (!isNumber()) return null;
            String t = text.replace("_", "");
            try {
                if (kind == Kind.INT) {
                    String s = t.startsWith("+") ? t.substring(1) : t;
                    boolean neg = s.startsWith("-");
                    String u = neg ? s.substring(1) : s;
                    BigInteger v;
                    if (u.startsWith("0x")) v = new BigInteger(u.substring(2), 16);
                    else if (u.startsWith("0b")) v = new BigInteger(u.substring(2), 2);
                    else if (u.length() > 1 && u.startsWith("0")) return null; // YAML 1.1 octal (017 is 15): refused
                    else v = new BigInteger(u);
                    return new BigDecimal(neg ? v.negate() : v);
                }
                return new BigDecimal(t);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** The value as it reads in a message: strings quoted, everything else as written. */
        String show() {
            return kind == Kind.STRING ? "'" + text + "'" : text;
        }

        /** " (line N)", for messages. */
        String at() {
            return " (line " + line + ")";
        }
    }

    /**
     * Parses one YAML document.
     *
     * @return the root node, or null for an empty document
     * @throws SpecException naming the line for invalid YAML, a duplicate key, an alias or a
     *                       second document
     */
    static Node read(String yaml) {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) return null;
            Node root = node(p, t, "");
            JsonToken next = p.nextToken();
            if (next != null) {
                int line = p.getTokenLocation().getLineNr();
                throw new SpecException("a second YAML document starts at line " + line
                        + " (after '---'): a spec file holds exactly one document; split it into two files");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid(yaml, e);
        } catch (IOException e) {
            throw new SpecException("cannot read YAML: " + e.getMessage());
        }
    }

    private static Node node(YAMLParser p, JsonToken t, String path) throws IOException {
        int line = p.getTokenLocation().getLineNr();
        if (p.isCurrentAlias()) {
            throw new SpecException((path.isEmpty() ? "" : path + ": ") + "the YAML alias '*" + p.getText() + "' at line " + line
                    + " is not supported in a spec; write the value out");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> map = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                StringBuilder flow = new StringBuilder("{");
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    int keyLine = p.getTokenLocation().getLineNr();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    if (lines.containsKey(key)) {
                        throw new SpecException("duplicate key '" + keyPath + "' at line " + keyLine + " (first at line "
                                + lines.get(key) + "): a key may be given once; YAML would silently keep the last one");
                    }
                    lines.put(key, keyLine);
                    Node value = node(p, p.nextToken(), keyPath);
                    map.put(key, value);
                    if (flow.length() > 1) flow.append(", ");
                    flow.append(key).append(": ").append(value.text());
                }
                return new Node(Kind.MAP, flow.append('}').toString(), line, Collections.unmodifiableMap(map), List.of());
            }
            case START_ARRAY: {
                List<Node> list = new ArrayList<>();
                StringBuilder flow = new StringBuilder("[");
                int i = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    Node item = node(p, t, path + "[" + i++ + "]");
                    list.add(item);
                    if (flow.length() > 1) flow.append(", ");
                    // a long list is shortened in messages; the node keeps every item
                    if (flow.length() < 200) flow.append(item.text());
                    else if (!flow.toString().endsWith("...")) flow.append("...");
                }
                return new Node(Kind.LIST, flow.append(']').toString(), line, Map.of(), Collections.unmodifiableList(list));
            }
            case VALUE_NUMBER_INT:
                return new Node(Kind.INT, p.getText(), line, Map.of(), List.of());
            case VALUE_NUMBER_FLOAT:
                return new Node(Kind.FLOAT, p.getText(), line, Map.of(), List.of());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node(Kind.BOOL, p.getText(), line, Map.of(), List.of());
            case VALUE_NULL:
                return new Node(Kind.NULL, p.getText().isEmpty() ? "null" : p.getText(), line, Map.of(), List.of());
            default:
                return new Node(Kind.STRING, p.getText(), line, Map.of(), List.of());
        }
    }

    private static SpecException invalid(String yaml, JsonProcessingException e) {
        String where = "";
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() >= 1) {
            int line = loc.getLineNr();
            String[] lines = yaml.split("\n", -1);
            where = " at line " + line + (line <= lines.length ? ": '" + lines[line - 1].strip() + "'" : "");
        }
        // snakeyaml's message repeats the source with a caret and "in 'reader'" lines: keep what it says
        StringBuilder why = new StringBuilder();
        for (String l : String.valueOf(e.getOriginalMessage()).split("\n")) {
            if (l.isBlank() || l.startsWith(" in 'reader'") || l.startsWith("    ")) continue;
            if (why.length() > 0) why.append("; ");
            why.append(l.strip());
        }
        return new SpecException("not valid YAML" + where + ": " + why);
    }
}

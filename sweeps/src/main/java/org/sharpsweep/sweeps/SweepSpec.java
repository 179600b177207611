package org.sharpsweep.sweeps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A sweep: base settings and the grid axes that vary them (DESIGN.md section 7). Immutable;
 * validated where it is built, so a spec that exists can be expanded without errors.
 *
 * @param name the sweep_id; letters, digits, '.', '_' and '-' (it names a Parquet partition)
 * @param seed the sweep seed; data derive from it, each point's seed from it and the point id
 * @param grid the axes in the order written; the last varies fastest in {@link #points()}
 */
public record SweepSpec(String name, long seed, DataSpec data, ModelSpec model, Loss loss, TrainSpec train,
                        PenaltySpec penalty, MeasureSpec measure, List<Axis> grid) implements java.io.Serializable {

    /** Largest grid accepted: a typo such as {@code num: 10000} is an error, not a week of work. */
    public static final int MAX_POINTS = 100_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final List<String> TOP_KEYS =
            List.of("name", "seed", "data", "model", "loss", "train", "penalty", "measure", "grid");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    public SweepSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SpecException("name must be 1-128 letters, digits, '.', '_' or '-' (it names the sweep_id "
                    + "partition), got '" + name + "'");
        }
        grid = List.copyOf(grid);
        if (grid.stream().map(Axis::name).distinct().count() != grid.size()) {
            throw new SpecException("grid names an axis twice: " + grid.stream().map(Axis::name).toList());
        }
        long size = 1;
        for (Axis a : grid) {
            size *= a.values().size();
            if (size > MAX_POINTS) throw new SpecException("grid has more than " + MAX_POINTS + " points");
        }
        if (loss == null) throw new SpecException("loss is required");
        // Cross-checks (batch_size > n_train, ...) of every point, before any work starts.
        expand(name, seed, Setting.flatten(data, model, loss, train, penalty, measure), grid);
    }

    /** Number of grid points. */
    public int size() {
        int n = 1;
        for (Axis a : grid) n *= a.values().size();
        return n;
    }

    /** Every grid point, the last axis varying fastest; deterministic. */
    public List<GridPoint> points() {
        return expand(name, seed, Setting.flatten(data, model, loss, train, penalty, measure), grid);
    }

    /** The point at {@code index} of {@link #points()}. */
    public GridPoint point(int index) {
        if (index < 0 || index >= size()) {
            throw new SpecException("point index must be in [0, " + (size() - 1) + "], got " + index);
        }
        return points().get(index);
    }

    private static List<GridPoint> expand(String name, long seed, EnumMap<Setting, Object> base, List<Axis> grid) {
        int size = 1;
        for (Axis a : grid) size *= a.values().size();
        List<GridPoint> out = new ArrayList<>(size);
        int[] at = new int[grid.size()];
        for (int index = 0; index < size; index++) {
            EnumMap<Setting, Object> v = new EnumMap<>(base);
            Map<String, Object> axes = new LinkedHashMap<>();
            int replicate = 0;
            for (int a = 0; a < grid.size(); a++) {
                Axis axis = grid.get(a);
                Object value = axis.values().get(at[a]);
                axes.put(axis.name(), value);
                if (axis.setting() == null) {
                    replicate = (Integer) value;
                } else {
                    v.put(axis.setting(), value);
                }
            }
            PointSpec spec;
            try {
                spec = Setting.point(v);
            } catch (SpecException e) {
                throw new SpecException("grid point " + index + " " + axes + ": " + e.getMessage());
            }
            String pointId = Seeds.pointId(canonical(spec, seed, replicate));
            out.add(new GridPoint(index, pointId, seed, replicate, Seeds.derive(seed, pointId), spec, axes));
            for (int a = grid.size() - 1; a >= 0; a--) {
                if (++at[a] < grid.get(a).values().size()) break;
                at[a] = 0;
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The text a point id hashes: every setting but the data path (moving the data does not
     * change a result) and those {@link Setting#omittedAtDefault} while at their default (so a
     * setting added in a release changes no existing id), the sweep seed and the replicate.
     * Sorted, so key order in the YAML does not matter.
     */
    static String canonical(PointSpec spec, long sweepSeed, int replicate) {
        TreeMap<String, String> kv = new TreeMap<>();
        Setting.flatten(spec).forEach((s, value) -> {
            if (s != Setting.PATH && !s.omitted(value)) kv.put(s.shortName, String.valueOf(s.toColumn(value)));
        });
        kv.put("sweep_seed", Long.toString(sweepSeed));
        kv.put("replicate", Integer.toString(replicate));
        StringBuilder sb = new StringBuilder();
        kv.forEach((k, value) -> sb.append(k).append('=').append(value).append(';'));
        return sb.toString();
    }

    // ---------------------------------------------------------------- YAML

    /** Reads a spec file; errors name the file. */
    public static SweepSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read spec: " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (SpecException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    /** Parses and validates a YAML spec. */
    public static SweepSpec parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = "";
            if (e.getLocation() != null && e.getLocation().getLineNr() >= 1) {
                int line = e.getLocation().getLineNr();
                String[] lines = yaml.split("\n", -1);
                where = " at line " + line + (line <= lines.length ? ": '" + lines[line - 1].strip() + "'" : "");
            }
            String why = e.getOriginalMessage();
            if (why.contains("'.nan'") || why.contains("'.inf'") || why.contains("'-.inf'")) {
                why = "NaN and infinite values are not allowed (" + why + ")";
            }
            throw new SpecException("not valid YAML" + where + ": " + why);
        }
        if (root == null || !root.isObject()) throw new SpecException("a spec must be a YAML mapping with at least 'name'");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_KEYS.contains(k)) throw new SpecException("unknown key '" + k + "'; known keys are " + TOP_KEYS);
        }
        JsonNode nameNode = root.get("name");
        if (nameNode == null || !nameNode.isTextual()) throw new SpecException("name is required: the sweep_id, e.g. name: quickstart");
        long seed = Defaults.SEED;
        if (root.has("seed")) {
            JsonNode s = root.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong()) throw new SpecException("seed must be an integer, got " + s);
            seed = s.longValue();
        }
        EnumMap<Setting, Object> v = Setting.defaults();
        for (String section : List.of("data", "model", "train", "penalty", "measure")) {
            JsonNode node = root.get(section);
            if (node == null) continue;
            if (!node.isObject()) throw new SpecException(section + " must be a mapping, got " + node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Setting s = find(section, e.getKey());
                v.put(s, s.parse(e.getValue(), s.path()));
            }
        }
        if (root.has("loss")) v.put(Setting.LOSS, Setting.LOSS.parse(root.get("loss"), "loss"));
        List<Axis> grid = new ArrayList<>();
        JsonNode g = root.get("grid");
        if (g != null && !g.isNull()) {
            if (!g.isObject()) throw new SpecException("grid must be a mapping of axis name to values, got " + g);
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                grid.add(parseAxis(e.getKey(), e.getValue()));
            }
        }
        JsonNode train = root.get("train");
        boolean steps = train != null && train.has("steps") || g != null && g.has("steps");
        boolean epochs = train != null && train.has("epochs") || g != null && g.has("epochs");
        if (steps && epochs) {
            throw new SpecException("train.steps and train.epochs are both given; give one (epochs sets steps to "
                    + "epochs x floor(n_train / batch_size))");
        }
        return new SweepSpec(nameNode.textValue(), seed, Setting.data(v), Setting.model(v), (Loss) v.get(Setting.LOSS),
                Setting.train(v), Setting.penalty(v), Setting.measure(v), grid);
    }

    private static Setting find(String section, String key) {
        List<String> known = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (section.equals(s.section)) {
                if (s.key.equals(key)) return s;
                known.add(s.key);
            }
        }
        throw new SpecException("unknown key '" + section + "." + key + "'; known keys of " + section + " are " + known);
    }

    private static Axis parseAxis(String name, JsonNode node) {
        if (Axis.SEED.equals(name)) {
            if (node.isObject()) {
                JsonNode r = node.get("replicates");
                if (r == null || node.size() != 1) throw new SpecException("grid.seed must be a list or {replicates: k}, got " + node);
                if (!r.isIntegralNumber() || r.intValue() < 1) {
                    throw new SpecException("grid.seed.replicates must be an integer >= 1, got " + r);
                }
                List<Object> reps = new ArrayList<>();
                for (int i = 0; i < r.intValue(); i++) reps.add(i);
                return new Axis(name, reps);
            }
            if (!node.isArray()) throw new SpecException("grid.seed must be a list or {replicates: k}, got " + node);
            List<Object> reps = new ArrayList<>();
            int i = 0;
            for (JsonNode e : node) {
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw new SpecException("grid.seed[" + i + "] must be an integer, got " + e);
                }
                reps.add(e.intValue());
                i++;
            }
            return new Axis(name, reps);
        }
        Setting s = Setting.byShortName(name);
        if (s == null || !s.isAxis()) {
            throw new SpecException("grid." + name + " is not a grid axis; axes are " + Setting.axisNames());
        }
        List<Object> values = new ArrayList<>();
        if (node.isArray()) {
            int i = 0;
            for (JsonNode e : node) values.add(s.parse(e, "grid." + name + "[" + i++ + "]"));
        } else if (node.isObject()) {
            values.addAll(range(s, node));
        } else {
            values.add(s.parse(node, "grid." + name));
        }
        return new Axis(name, values);
    }

    private static List<Object> range(Setting s, JsonNode node) {
        String where = "grid." + s.shortName;
        if (s.type != Double.class && s.type != Integer.class) {
            throw new SpecException(where + " is not numeric; give a list of values, not a range");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!List.of("from", "to", "num", "scale").contains(k)) {
                throw new SpecException("unknown key '" + where + "." + k + "'; a range has from, to, num, scale");
            }
        }
        double from = number(node, "from", where);
        double to = number(node, "to", where);
        JsonNode numNode = node.get("num");
        if (numNode == null || !numNode.isIntegralNumber() || numNode.intValue() < 1) {
            throw new SpecException(where + ".num must be an integer >= 1, got " + numNode);
        }
        int num = numNode.intValue();
        String scale = node.has("scale") ? node.get("scale").asText() : "linear";
        if (!scale.equals("linear") && !scale.equals("log")) {
            throw new SpecException(where + ".scale must be linear | log, got '" + scale + "'");
        }
        if (scale.equals("log") && !(from > 0 && to > 0)) {
            throw new SpecException(where + " with scale log needs from > 0 and to > 0, got from " + from + ", to " + to);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < num; i++) {
            double t = num == 1 ? 0 : (double) i / (num - 1);
            double x = scale.equals("log")
                    ? Math.exp(Math.log(from) + t * (Math.log(to) - Math.log(from)))
                    : from + t * (to - from);
            if (i == num - 1) x = to; // exact end point, free of rounding
            if (i == 0) x = from;
            Object value = s.type == Integer.class ? (Object) (int) Math.round(x) : (Object) x;
            if (!out.contains(value)) out.add(value);
        }
        return out;
    }

    private static double number(JsonNode node, String key, String where) {
        JsonNode n = node.get(key);
        if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new SpecException(where + "." + key + " must be a finite number, got " + n);
        }
        return n.doubleValue();
    }

    /** This spec as YAML that {@link #parse} reads back to an equal spec. */
    public String toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", name);
        root.put("seed", seed);
        EnumMap<Setting, Object> v = Setting.flatten(data, model, loss, train, penalty, measure);
        boolean byEpochs = train.epochs() > 0 || grid.stream().anyMatch(a -> a.setting() == Setting.EPOCHS);
        for (Setting s : Setting.values()) {
            Object value = s.toPlain(v.get(s));
            if (value == null || (value instanceof List<?> l && l.isEmpty()) || s.omitted(v.get(s))) continue;
            if (s == (byEpochs ? Setting.STEPS : Setting.EPOCHS)) continue; // one of the two, as parse wants
            if (s.section == null) {
                root.put(s.key, value);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> sec = (Map<String, Object>) root.computeIfAbsent(s.section, k -> new LinkedHashMap<>());
                sec.put(s.key, value);
            }
        }
        if (!grid.isEmpty()) {
            Map<String, Object> g = new LinkedHashMap<>();
            for (Axis a : grid) {
                Setting s = a.setting();
                g.put(a.name(), a.values().stream().map(x -> s == null ? x : s.toPlain(x)).toList());
            }
            root.put("grid", g);
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.sharpsweep.sweeps;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/**
 * Reads a sweep spec's YAML into a {@link SweepSpec} (docs/spec.md): strict keys, every value
 * read wide and named as written in errors (file line and column), ranges and replicate axes
 * expanded, the measure section read through the settings registry.
 */
final class SpecParser {
    private SpecParser() {
    }

    static SweepSpec parse(String yaml, boolean legacy) {
        SpecYaml.Node root = SpecYaml.read(yaml);
        if (root == null || !root.isMap()) {
            throw new SpecException("a spec must be a YAML mapping with at least 'name', got "
                    + (root == null ? "an empty document" : root.show() + root.at()));
        }
        for (Map.Entry<String, SpecYaml.Node> e : root.map().entrySet()) {
            if (!SweepSpec.TOP_KEYS.contains(e.getKey())) {
                throw new SpecException("unknown key '" + e.getKey() + "'" + e.getValue().at() + "; known keys are " + SweepSpec.TOP_KEYS);
            }
        }
        SpecYaml.Node nameNode = root.get("name");
        if (nameNode == null || nameNode.kind() == SpecYaml.Kind.NULL) {
            throw new SpecException("name is required: the sweep_id, e.g. name: quickstart");
        }
        if (nameNode.kind() != SpecYaml.Kind.STRING) {
            throw new SpecException("name must be a string, got " + nameNode.show() + nameNode.at()
                    + "; quote it if it looks like a number or a boolean: name: '" + nameNode.text() + "'");
        }
        long seed = Defaults.SEED;
        if (root.has("seed")) {
            SpecYaml.Node s = root.get("seed");
            BigDecimal d = s.decimal();
            boolean integral = d != null && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0);
            if (!integral || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                    || d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
                throw new SpecException("seed must be an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "], got "
                        + s.show() + s.at());
            }
            seed = d.longValueExact();
        }
        // a kept spec without the key was computed before the scheme existed: per-point
        SeedScheme seeds = legacy ? SeedScheme.PER_POINT : null;
        if (root.has("seeds")) {
            SpecYaml.Node s = root.get("seeds");
            if (s.kind() != SpecYaml.Kind.STRING) {
                throw new SpecException("seeds must be one of " + Named.names(SeedScheme.class) + ", got " + s.show() + s.at());
            }
            try {
                seeds = Named.parse(SeedScheme.class, "seeds", s.text());
            } catch (SpecException e) {
                throw new SpecException(e.getMessage() + s.at());
            }
        }
        TreeMap<Setting, Object> v = new TreeMap<>();
        for (String section : List.of("data", "model", "train", "penalty", "measure")) {
            SpecYaml.Node node = root.get(section);
            if (node == null) continue;
            if (!node.isMap()) {
                throw new SpecException(section + " must be a mapping of keys to values, got " + node.show() + node.at()
                        + "; e.g. " + section + ": {" + example(section) + "}");
            }
            Map<Setting, String> given = new java.util.HashMap<>(); // measure settings, as written (flat or under their switch)
            for (Map.Entry<String, SpecYaml.Node> e : node.map().entrySet()) {
                Setting s = find(section, e.getKey(), e.getValue());
                if (legacy && s == Setting.BATCH_SIZE && "0".equals(e.getValue().text())) continue;
                Measure m = nestable(s);
                if (m != null && e.getValue().isMap()) {
                    nested(m, e.getValue(), v, given);
                    continue;
                }
                once(given, s, s.path(), e.getValue());
                v.put(s, s.parse(e.getValue(), s.path()));
            }
        }
        if (root.has("loss")) v.put(Setting.LOSS, Setting.LOSS.parse(root.get("loss"), "loss"));
        List<Axis> grid = new ArrayList<>();
        SpecYaml.Node g = root.get("grid");
        if (g != null && g.kind() != SpecYaml.Kind.NULL) {
            if (!g.isMap()) {
                throw new SpecException("grid must be a mapping of axis name to values, got " + g.show() + g.at()
                        + "; e.g. grid: {lr: [0.05, 0.1]}");
            }
            List<Long> lengths = new ArrayList<>();
            List<String> axes = new ArrayList<>();
            for (Map.Entry<String, SpecYaml.Node> e : g.map().entrySet()) {
                lengths.add(axisLength(e.getKey(), e.getValue()));
                axes.add(e.getKey());
            }
            SweepSpec.checkSize(lengths, axes);
            for (Map.Entry<String, SpecYaml.Node> e : g.map().entrySet()) {
                Axis a = parseAxis(e.getKey(), e.getValue());
                grid.add(legacy ? recoverRange(a) : a);
            }
        }
        SpecYaml.Node modelNode = root.get("model");
        Set<Setting> written = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if (s.isConvSetting() && modelNode != null && modelNode.has(s.key)) written.add(s);
        SweepSpec.checkConvApplies((Family) v.getOrDefault(Setting.FAMILY, Setting.FAMILY.defaultValue()), grid, written, s -> modelNode.get(s.key).at());
        SpecYaml.Node train = root.get("train");
        Set<Setting> writtenSam = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if (s.isSamSetting() && train != null && train.has(s.key)) writtenSam.add(s);
        SweepSpec.checkSamApplies((Optimizer) v.getOrDefault(Setting.OPTIMIZER, Setting.OPTIMIZER.defaultValue()), grid, writtenSam,
                s -> train.get(s.key).at());
        boolean steps = train != null && train.has("steps") || g != null && g.has("steps");
        boolean epochs = train != null && train.has("epochs") || g != null && g.has("epochs");
        boolean lr = train != null && train.has("lr") || g != null && g.has("lr");
        boolean relative = train != null && train.has("lr_in_2_over_lambda0") || g != null && g.has("lr_in_2_over_lambda0");
        if (lr && relative) {
            throw new SpecException("train.lr and train.lr_in_2_over_lambda0 are both given; give one (lr_in_2_over_lambda0 x "
                    + "2/lambda_0 becomes each point's lr)");
        }
        if (steps && epochs) {
            throw new SpecException("train.steps and train.epochs are both given; give one (epochs sets steps to "
                    + "epochs x floor(n_train / batch_size))");
        }
        try {
            return new SweepSpec(nameNode.text(), seed, Settings.of(v), grid, seeds);
        } catch (SpecException e) {
            throw withLine(e, root);
        }
    }

    /**
     * A check's message ("data.input_dim must be >= 1, got 0") with the line of the key it
     * starts with, which the checks cannot know.
     */
    private static SpecException withLine(SpecException e, SpecYaml.Node root) {
        String m = e.getMessage();
        for (Setting s : Setting.values()) {
            if (s.section == null || !m.startsWith(s.path() + " ")) continue;
            SpecYaml.Node section = root.get(s.section);
            SpecYaml.Node node = section == null ? null : section.get(s.key);
            if (node != null) return new SpecException(m + node.at());
        }
        return e;
    }

    /**
     * A kept spec of the previous release holds each range as the list of values it generated
     * (unrounded: {@code 0.10000000000000002}). A double list that is exactly what a range from
     * its first to its last value generated then (linear or log, {@link Axis.Range#legacyValues})
     * becomes that range again, so its values are rounded as now and {@link #idUpgrades} maps
     * each old id (of the unrounded value) to the id a fresh run of the range gives.
     */
    private static Axis recoverRange(Axis a) {
        Setting s = a.setting();
        List<Object> v = a.values();
        if (s == null || s.type != Double.class || a.range() != null || v.size() < 3) return a;
        double from = (Double) v.get(0);
        double to = (Double) v.get(v.size() - 1);
        for (boolean log : new boolean[]{false, true}) {
            if (log && !(from > 0 && to > 0)) continue;
            Axis.Range r = new Axis.Range(from, to, v.size(), log);
            if (r.legacyValues(s).equals(v)) return new Axis(a.name(), r.values(s), r);
        }
        return a;
    }

    /** The measure whose switch {@code s} is, if its options may be written as a map under it; else null. */
    private static Measure nestable(Setting s) {
        if (!s.isMeasurement()) return null;
        for (Measure m : Measures.all()) if (m.on() == s && !m.nestedOptions().isEmpty()) return m;
        return null;
    }

    /**
     * A measure's options written as a map under its switch (docs/spec.md): {@code m_sharpness:
     * {rho: 0.05}} turns the measure on and sets {@code m_sharpness_rho}; an empty map turns it on
     * with its defaults. Each value is checked here, named as written.
     */
    private static void nested(Measure m, SpecYaml.Node map, TreeMap<Setting, Object> v, Map<Setting, String> given) {
        String where = m.on().path();
        once(given, m.on(), where, map);
        v.put(m.on(), true);
        for (Map.Entry<String, SpecYaml.Node> e : map.map().entrySet()) {
            Setting o = null;
            for (Setting x : m.nestedOptions()) if (m.nestedKey(x).equals(e.getKey())) o = x;
            if (o == null) {
                throw new SpecException("unknown key '" + where + "." + e.getKey() + "'" + e.getValue().at() + "; known keys of " + where
                        + " are " + m.nestedOptions().stream().map(m::nestedKey).toList());
            }
            String path = where + "." + e.getKey();
            once(given, o, path, e.getValue());
            Object value = o.parse(e.getValue(), path);
            String problem = o.problem(value);
            if (problem != null) throw new SpecException(path + problem.substring(o.path().length()) + e.getValue().at());
            v.put(o, value);
        }
    }

    /** Refuses a measure setting written twice (flat and under its switch). */
    private static void once(Map<Setting, String> given, Setting s, String path, SpecYaml.Node node) {
        if (!s.isMeasurement()) return;
        String before = given.put(s, path);
        if (before != null) {
            throw new SpecException(path + node.at() + " sets the same setting as " + before + "; give it once");
        }
    }

    private static String example(String section) {
        return switch (section) {
            case "data" -> "dataset: teacher, n_train: 200";
            case "model" -> "depth: 1, width: 50";
            case "train" -> "steps: 500, lr: 0.1";
            case "penalty" -> "kind: gradnorm, coef: 0.01";
            default -> "sharpness: true";
        };
    }

    private static Setting find(String section, String key, SpecYaml.Node value) {
        List<String> known = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (section.equals(s.section)) {
                if (s.key.equals(key)) return s;
                known.add(s.key);
            }
        }
        throw new SpecException("unknown key '" + section + "." + key + "'" + value.at() + "; known keys of " + section
                + " are " + known);
    }

    /** The number of values an axis will have, read without generating any. */
    private static long axisLength(String name, SpecYaml.Node node) {
        if (node.isList()) return node.list().size();
        if (!node.isMap()) return 1;
        if (Axis.SEED.equals(name)) return count(node.get("replicates"), "grid.seed.replicates");
        return count(node.get("num"), "grid." + name + ".num");
    }

    /** A count (num, replicates) >= 1, read wide; one over {@link #SweepSpec.MAX_POINTS} is refused naming the limit. */
    private static long count(SpecYaml.Node n, String where) {
        if (n == null) return 1; // the axis parser says what is missing
        BigDecimal d = n.decimal();
        boolean integral = d != null && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0);
        if (!integral || d.signum() <= 0) {
            throw new SpecException(where + " must be an integer >= 1, got " + n.show() + n.at());
        }
        if (d.compareTo(BigDecimal.valueOf(SweepSpec.MAX_POINTS)) > 0) {
            throw new SpecException(where + " is " + n.text() + n.at() + ", more than the limit of " + SweepSpec.MAX_POINTS
                    + " points per sweep; shorten the axis or split the sweep");
        }
        return d.longValueExact();
    }

    private static Axis parseAxis(String name, SpecYaml.Node node) {
        if (Axis.SEED.equals(name)) {
            if (node.isMap()) {
                SpecYaml.Node r = node.get("replicates");
                if (r == null || node.map().size() != 1) {
                    throw new SpecException("grid.seed must be a list or {replicates: k}, got " + node.show() + node.at());
                }
                int k = (int) count(r, "grid.seed.replicates");
                List<Object> reps = new ArrayList<>(k);
                for (int i = 0; i < k; i++) reps.add(i);
                return new Axis(name, reps);
            }
            if (!node.isList()) throw new SpecException("grid.seed must be a list or {replicates: k}, got " + node.show() + node.at());
            List<Object> reps = new ArrayList<>();
            int i = 0;
            for (SpecYaml.Node e : node.list()) reps.add(Setting.integer(e, "grid.seed[" + i++ + "]", 0, " (a replicate label)"));
            return new Axis(name, reps);
        }
        Setting s = Setting.byShortName(name);
        if (s == null || !s.isAxis()) {
            throw new SpecException(Axis.notAnAxis(name, node.at()));
        }
        if (node.kind() == SpecYaml.Kind.NULL) {
            throw new SpecException("grid." + name + " is empty" + node.at() + ": give at least one value");
        }
        if (node.isList()) {
            List<Object> values = new ArrayList<>(node.list().size());
            int i = 0;
            for (SpecYaml.Node e : node.list()) values.add(s.parse(e, "grid." + name + "[" + i++ + "]"));
            return new Axis(name, values);
        }
        if (node.isMap()) {
            Axis.Range r = range(s, node);
            return new Axis(name, r.values(s), r);
        }
        return new Axis(name, List.of(s.parse(node, "grid." + name)));
    }

    private static Axis.Range range(Setting s, SpecYaml.Node node) {
        String where = "grid." + s.shortName;
        if (s.type != Double.class && s.type != Integer.class) {
            throw new SpecException(where + " is not numeric; give a list of values, not a range, got " + node.show() + node.at());
        }
        for (Map.Entry<String, SpecYaml.Node> e : node.map().entrySet()) {
            if (!List.of("from", "to", "num", "scale").contains(e.getKey())) {
                throw new SpecException("unknown key '" + where + "." + e.getKey() + "'" + e.getValue().at()
                        + "; a range has from, to, num, scale");
            }
        }
        for (String k : List.of("from", "to", "num")) {
            if (!node.has(k)) throw new SpecException(where + " is a range without '" + k + "'" + node.at()
                    + "; a range is {from: a, to: b, num: n} (scale: linear | log)");
        }
        double from = bound(s, node.get("from"), where + ".from");
        double to = bound(s, node.get("to"), where + ".to");
        int num = (int) count(node.get("num"), where + ".num");
        String scale = "linear";
        if (node.has("scale")) {
            SpecYaml.Node sc = node.get("scale");
            scale = sc.text();
            if (sc.kind() != SpecYaml.Kind.STRING || !scale.equals("linear") && !scale.equals("log")) {
                throw new SpecException(where + ".scale must be linear | log, got " + sc.show() + sc.at());
            }
        }
        if (scale.equals("log") && !(from > 0 && to > 0)) {
            throw new SpecException(where + " with scale log needs from > 0 and to > 0, got from " + node.get("from").text()
                    + ", to " + node.get("to").text() + node.at());
        }
        if (num == 1 && from != to) {
            throw new SpecException(where + " " + node.show() + node.at() + " has num 1 but from != to; give num >= 2 or a single value");
        }
        return new Axis.Range(from, to, num, scale.equals("log"));
    }

    /** A range end: an int for an integer setting (read wide, named as written), else a finite double. */
    private static double bound(Setting s, SpecYaml.Node n, String where) {
        if (s.type == Integer.class) return Setting.integer(n, where, Integer.MIN_VALUE, "");
        return Setting.finite(n, where);
    }
}

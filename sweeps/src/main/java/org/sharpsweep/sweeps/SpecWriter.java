package org.sharpsweep.sweeps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The YAML writer of {@link SweepSpec#toYaml}: each setting under its section as the user writes
 * it (a setting {@link Setting#omittedAtDefault} left out at its default, full batch and
 * "count steps" left out, one of steps and epochs), then the grid with ranges as ranges.
 */
final class SpecWriter {
    private SpecWriter() {
    }

    /** Loaded with this class, on the first {@link SweepSpec#toYaml}: parsing needs no databind. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** {@code spec} as YAML that {@link SweepSpec#parse} reads back to an equal spec. */
    static String toYaml(SweepSpec spec) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", spec.name());
        root.put("seed", spec.seed());
        if (spec.seeds() != null) root.put("seeds", spec.seeds().specName());
        Map<Setting, Object> v = spec.settings().values();
        boolean byEpochs = spec.train().epochs() > 0 || spec.grid().stream().anyMatch(a -> a.setting() == Setting.EPOCHS);
        boolean byLambda0 = spec.train().lrIn2OverLambda0() != null
                || spec.grid().stream().anyMatch(a -> a.setting() == Setting.LR_IN_2_OVER_LAMBDA0);
        for (Setting s : Setting.values()) {
            Object value = s.toPlain(v.get(s));
            if (value == null || (value instanceof List<?> l && l.isEmpty()) || s.omitted(v.get(s))) continue;
            // 0 marks "full batch" and "count steps": left out, as the user writes them
            if ((s == Setting.BATCH_SIZE || s == Setting.EPOCHS) && Integer.valueOf(0).equals(value)) continue;
            if (s == (byEpochs ? Setting.STEPS : Setting.EPOCHS)) continue; // one of the two, as parse wants
            if (s == Setting.LR && byLambda0) continue; // likewise lr and lr_in_2_over_lambda0
            if (s.section == null) {
                root.put(s.key, value);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> sec = (Map<String, Object>) root.computeIfAbsent(s.section, k -> new LinkedHashMap<>());
                sec.put(s.key, value);
            }
        }
        if (!spec.grid().isEmpty()) {
            Map<String, Object> g = new LinkedHashMap<>();
            for (Axis a : spec.grid()) {
                Setting s = a.setting();
                if (a.range() != null) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    Axis.Range range = a.range();
                    boolean ints = s.type == Integer.class;
                    r.put("from", ints ? (Object) (int) range.from() : (Object) range.from());
                    r.put("to", ints ? (Object) (int) range.to() : (Object) range.to());
                    r.put("num", range.num());
                    if (range.log()) r.put("scale", "log");
                    g.put(a.name(), r);
                } else {
                    g.put(a.name(), a.values().stream().map(x -> s == null ? x : s.toPlain(x)).toList());
                }
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

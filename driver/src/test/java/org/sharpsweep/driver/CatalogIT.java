package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.Catalog;
import org.sharpsweep.sweeps.SweepSpec;
import org.yaml.snakeyaml.Yaml;

/**
 * Every catalog spec, shrunk to one point of its grid and a few steps, parses and runs through
 * {@code sharpsweep run} to a row that is not FAILED: the reproductions of docs/reproductions.md
 * take minutes to hours, so this is what proves in the test suite that each still runs. A spec
 * that starts from another catalog sweep's parameters (escape from escape-minimum) runs after it,
 * pointed at the shrunk point's id.
 */
class CatalogIT {
    private static final int N_TRAIN = 200;

    @TempDir
    Path tmp;

    @Test
    void everyCatalogSpecShrunkRuns() throws Exception {
        assertTrue(Files.isDirectory(Path.of(FashionMnistIT.DATA)), FashionMnistIT.DATA + " missing: apt-get install dataset-fashion-mnist");
        String out = tmp.resolve("results").toString();
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(Catalog.NAMES);
        names.sort((a, b) -> Boolean.compare(startsFromAnother(a), startsFromAnother(b))); // the sources first
        for (String name : names) {
            Map<String, Object> spec = shrunk(name, ids);
            Path file = tmp.resolve(name + ".yaml");
            Files.writeString(file, new Yaml().dump(spec));
            ids.put(name, SweepSpec.load(file).points().get(0).pointId());
            String run = SweepIT.capture(() -> Main.execute("run", file.toString(), "--out", out, "--no-progress"));
            System.out.println(name + ": " + run.strip().lines().filter(l -> l.startsWith("sweep ")).findFirst().orElse(run));
            assertTrue(run.contains(": 1 points, 0 already done, 1 run (") && run.contains(" 0 FAILED)"), name + ": " + run);
        }
        List<Row> rows = SharedSpark.get().read().parquet(out).select("sweep_id", "status").collectAsList();
        assertEquals(Catalog.NAMES.size(), rows.size(), "one row per catalog spec: " + rows);
    }

    private static boolean startsFromAnother(String name) {
        return train(read(name)).containsKey("from_sweep");
    }

    /**
     * The catalog spec with the first value of every grid axis (one replicate), at most 3 steps,
     * a width of at most 32, at most 200 training and 500 held-out samples, 20 Lanczos iterations,
     * 20 samples of the non-uniformity, 4 trace probes, 2 m-sharpness iterations on 64 samples,
     * and no measurements along training.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shrunk(String name, Map<String, String> ids) {
        Map<String, Object> s = read(name);
        Map<String, Object> train = train(s);
        train.remove("epochs");
        train.put("steps", Math.min(3, ((Number) train.getOrDefault("steps", 3)).intValue()));
        if (train.containsKey("from_sweep")) train.put("from_point", ids.get((String) train.get("from_sweep")));
        Map<String, Object> model = (Map<String, Object>) s.get("model");
        if (model != null && model.get("width") instanceof Number w) model.put("width", Math.min(32, w.intValue()));
        Map<String, Object> data = (Map<String, Object>) s.get("data");
        if (data.get("n_test") instanceof Number t) data.put("n_test", Math.min(500, t.intValue()));
        int n = Math.min(N_TRAIN, ((Number) data.getOrDefault("n_train", N_TRAIN)).intValue());
        data.put("n_train", n);
        if (train.get("batch_size") instanceof Number b) train.put("batch_size", Math.min(n, b.intValue()));
        Map<String, Object> measure = (Map<String, Object>) s.computeIfAbsent("measure", k -> new LinkedHashMap<>());
        measure.put("max_iters", Math.min(20, ((Number) measure.getOrDefault("max_iters", 20)).intValue()));
        if (!Boolean.FALSE.equals(measure.get("nonuniformity"))) measure.put("nonuniformity_samples", 20);
        if (Boolean.TRUE.equals(measure.get("trace")) || Boolean.TRUE.equals(measure.get("adaptive"))) measure.put("trace_max_probes", 4);
        if (measure.get("m_sharpness") instanceof Map<?, ?> m) {
            Map<String, Object> options = new LinkedHashMap<>((Map<String, Object>) m);
            options.put("iters", 2);
            options.put("samples", 64);
            measure.put("m_sharpness", options);
        }
        measure.remove("every"); // measurements along training are other tests' subject; here they only cost
        measure.remove("window");
        Map<String, Object> grid = (Map<String, Object>) s.get("grid");
        if (grid != null) {
            for (Map.Entry<String, Object> axis : grid.entrySet()) {
                Object v = axis.getValue();
                if (v instanceof List<?> l) {
                    Object first = l.get(0);
                    if (axis.getKey().equals("width") && first instanceof Number w) first = Math.min(32, w.intValue());
                    if (axis.getKey().equals("batch_size") && first instanceof Number b) first = Math.min(n, b.intValue());
                    axis.setValue(List.of(first));
                } else if (v instanceof Map<?, ?> m && m.containsKey("replicates")) {
                    axis.setValue(Map.of("replicates", 1));
                } else if (v instanceof Map<?, ?> m && m.containsKey("from")) { // a range: its first value
                    axis.setValue(List.of(m.get("from")));
                }
            }
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> train(Map<String, Object> spec) {
        return (Map<String, Object>) spec.computeIfAbsent("train", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String name) {
        try (InputStream in = Catalog.class.getResourceAsStream("/sharpsweep/catalog/" + name + ".yaml")) {
            return (Map<String, Object>) new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

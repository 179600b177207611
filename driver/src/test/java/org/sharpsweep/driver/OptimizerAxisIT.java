package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code train.optimizer} as a grid axis through Spark (local[2]): sgd and sam points of one
 * shape train in the same lockstep groups and give distinct rows, with the SAM settings null on
 * the sgd rows, whose ids are those of a spec that never named SAM (docs/spec.md).
 */
class OptimizerAxisIT {
    static final String SPEC = """
            name: optimizers
            seed: 5
            data: {dataset: teacher, input_dim: 4, n_train: 32, n_test: 32}
            model: {depth: 1, width: 6, activation: tanh}
            train: {steps: 60, lr: 0.1, batch_size: 8, sam_rho: 0.1%s}
            measure: {max_iters: 20}
            grid:
              optimizer: [sgd, sam]
              lr: [0.05, 0.1]
            """;

    @TempDir
    Path tmp;

    @Test
    void theOptimizerAxisGivesDistinctRows() {
        SparkSession spark = SharedSpark.get();
        String dir = tmp.resolve("out").toString();
        SweepSpec spec = SweepSpec.parse(SPEC.formatted(""));
        SweepRunner.Summary s = SweepRunner.run(spark, spec, dir);
        assertEquals(4, s.ran());
        assertEquals(4, s.ok(), s.toString());
        Map<String, Row> byId = new HashMap<>();
        for (Row r : ResultsTable.read(spark, dir).collectAsList()) byId.put(r.getAs(ResultSchema.POINT_ID), r);
        assertEquals(spec.points().stream().map(GridPoint::pointId).collect(Collectors.toSet()), byId.keySet());
        for (GridPoint p : spec.points()) {
            Row r = byId.get(p.pointId());
            assertEquals(Status.OK.name(), r.getAs(ResultSchema.STATUS));
            assertEquals(2, (int) r.getAs(ResultSchema.LOCKSTEP), "sgd and sam points of one shape train in groups together");
            String optimizer = r.getAs("optimizer");
            assertEquals(p.spec().train().optimizer().specName(), optimizer);
            if (optimizer.equals("sgd")) {
                assertNull(r.getAs("sam_rho"));
                assertNull(r.getAs("sam_adaptive"));
            } else {
                assertEquals(0.1, (double) r.getAs("sam_rho"));
                assertEquals(false, r.getAs("sam_adaptive"));
            }
        }
        // same lr, other optimizer: other numbers
        for (double lr : List.of(0.05, 0.1)) {
            Set<Object> losses = byId.values().stream().filter(r -> (double) r.getAs("lr") == lr)
                    .map(r -> r.getAs(ResultSchema.TRAIN_LOSS)).collect(Collectors.toSet());
            assertEquals(2, losses.size(), "lr " + lr + ": " + losses);
        }
        // the sgd points are those of the spec without SAM
        SweepSpec plain = SweepSpec.parse(SPEC.formatted("").replace(", sam_rho: 0.1", "").replace("  optimizer: [sgd, sam]\n", ""));
        assertEquals(plain.point(0).pointId(), spec.point(0).pointId());
        assertEquals(plain.point(1).pointId(), spec.point(1).pointId());
        assertNotEquals(spec.point(0).pointId(), spec.point(2).pointId());
    }
}

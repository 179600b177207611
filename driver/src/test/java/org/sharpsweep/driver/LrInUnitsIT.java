package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;

/**
 * A sweep whose learning rates are multiples of 2/lambda_0 through the CLI: each row's lr is its
 * multiple x 2/sharpness_init, {@code check} counts the rows as the sweep's (their lr is resolved,
 * not the spec's placeholder), {@code measure} measures with the row's lr, and a rerun finds every
 * point done.
 */
class LrInUnitsIT {
    @TempDir
    Path tmp;

    private static final String SPEC = """
            name: units
            seed: 5
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: tanh}
            train: {steps: 30, batch_size: 8}
            measure: {nonuniformity: false, save_params: true}
            grid:
              lr_in_2_over_lambda0: [0.25, 0.9]
            """;

    private static Map<Double, Row> byMultiple(SparkSession spark, String dir) {
        Map<Double, Row> m = new HashMap<>();
        for (Row r : ResultsTable.read(spark, dir).collectAsList()) m.put(r.getDouble(r.fieldIndex("lr_in_2_over_lambda0")), r);
        return m;
    }

    @Test
    void aSweepInUnitsOfLambda0RunsChecksMeasuresAndRerunsAsWritten() throws Exception {
        Path spec = tmp.resolve("units.yaml");
        Files.writeString(spec, SPEC);
        String dir = tmp.resolve("out").toString();
        Cli.expect(0, "run", spec.toString(), "--out", dir, "--no-progress");
        SparkSession spark = SharedSpark.get();
        Map<Double, Row> rows = byMultiple(spark, dir);
        assertEquals(2, rows.size());
        for (double x : List.of(0.25, 0.9)) {
            Row r = rows.get(x);
            double lambda0 = r.getDouble(r.fieldIndex("sharpness_init"));
            assertEquals(x * 2 / lambda0, r.getDouble(r.fieldIndex("lr")), 1e-12 * r.getDouble(r.fieldIndex("lr")));
            assertEquals(lambda0 / x, r.getDouble(r.fieldIndex("sharpness_bound")), 1e-9 * lambda0 / x, "2/lr");
        }

        Cli.expect(0, "check", dir); // a row's resolved lr is the point's: no row is taken for another sweep's

        Cli.expect(0, "measure", dir, "--sweep", "units", "--nonuniformity");
        Map<Double, Row> measured = byMultiple(spark, dir);
        for (double x : List.of(0.25, 0.9)) {
            Row before = rows.get(x), after = measured.get(x);
            double lr = before.getDouble(before.fieldIndex("lr"));
            assertEquals(lr, after.getDouble(after.fieldIndex("lr")), 0.0, "measure keeps the lr the point trained with");
            double n = 24, b = 8;
            assertEquals(Math.sqrt(b * (n - 1) / (n - b)) / lr, after.getDouble(after.fieldIndex("nonuniformity_bound")), 1e-12 / lr,
                    "the bound of the resolved lr");
            assertTrue(!after.isNullAt(after.fieldIndex("nonuniformity")));
        }

        String rerun = Cli.expect(0, "run", spec.toString(), "--out", dir, "--no-progress");
        assertTrue(rerun.contains("2 already done, 0 run"), rerun);
    }
}

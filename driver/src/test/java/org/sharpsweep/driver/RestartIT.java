package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * Issue 19, finding 3: a restart from saved parameters of another network of the same size (a
 * relu point's parameters read by a tanh network) used to train; it is refused before any work,
 * by {@code run} before its Spark session starts, naming the setting and both values, and a
 * restart that only optimizes differently still begins exactly at the source's parameters.
 */
class RestartIT {
    @TempDir
    Path tmp;

    @Test
    void aRestartOfAnotherNetworkOfTheSameSizeIsRefused() throws Exception {
        SparkSession spark = SharedSpark.get();
        String out = tmp.resolve("results").toString();
        SweepSpec source = SweepSpec.parse(RestartSourcesTest.SOURCE);
        assertEquals(1, SweepRunner.run(spark, source, out).ok());
        String id = source.point(0).pointId();

        String tanh = RestartSourcesTest.restart(id, "{depth: 1, width: 6, activation: tanh}", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepRunner.run(spark, SweepSpec.parse(tanh), out));
        assertTrue(e.getMessage().contains("model.activation relu, but point 0 has model.activation tanh"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("results").resolve(ResultSchema.specFile("restart"))), "nothing written for a refused spec");

        Path file = tmp.resolve("tanh.yaml");
        Files.writeString(file, tanh);
        String said = Cli.expect(2, "run", file.toString(), "--out", out, "--no-progress");
        assertTrue(said.contains("model.activation relu, but point 0 has model.activation tanh"), said);

        // the same network, optimized otherwise: begins at the source's final parameters (its step-0 loss is the source's final loss)
        String relu = RestartSourcesTest.restart(id, "{depth: 1, width: 6, activation: relu}", "").replace("dtype: float32, ", "")
                + "measure: {every: 10, nonuniformity: false}\n";
        assertEquals(1, SweepRunner.run(spark, SweepSpec.parse(relu), out).ok());
        ResultsTable.registerAll(spark, out);
        Row r = spark.sql("SELECT r.train_loss, t.train_loss FROM results r JOIN trajectories t ON t.sweep_id = 'restart' AND t.step = 0 "
                + "WHERE r.sweep_id = 'source'").collectAsList().get(0);
        assertEquals(r.getDouble(0), r.getDouble(1), 0.0);
    }
}

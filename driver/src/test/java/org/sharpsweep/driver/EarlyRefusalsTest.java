package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * Issue 19, finding 6: requests that the table's files and kept specs alone show cannot be met
 * are refused before a Spark session starts (docs/commands.md). Each command is run with a
 * master URL Spark refuses ({@code --master not-a-master}): a command that reached its Spark
 * session would say that instead, so the message proves where the refusal happened. The tables
 * here are file listings only (empty files named as Parquet files and a kept spec): nothing of
 * them is read.
 */
class EarlyRefusalsTest {
    static final String NO_SPARK = "not-a-master";
    static final String SPEC = """
            name: kept
            seed: 3
            data: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}
            model: {depth: 1, width: 6, activation: relu}
            loss: mse
            train: {steps: 40, lr: 0.1}
            measure: {max_iters: 20}
            """;

    @TempDir
    Path tmp;

    /** A table of sweep {@code kept}: one results file, its kept spec and, if asked, a file of each table beside the results. */
    private String table(boolean beside) throws Exception {
        Path dir = tmp.resolve("table");
        Files.createDirectories(dir.resolve("sweep_id=kept"));
        Files.writeString(dir.resolve("sweep_id=kept").resolve("part-0.parquet"), "");
        Files.createDirectories(dir.resolve(ResultSchema.SPECS_DIR));
        Files.writeString(dir.resolve(ResultSchema.specFile("kept")), SweepSpec.parse(SPEC).toYaml());
        if (beside) {
            for (ResultSchema.Table t : ResultSchema.children()) {
                Path part = Files.createDirectories(dir.resolve(t.folder()).resolve("sweep_id=kept"));
                Files.writeString(part.resolve("part-0.parquet"), "");
            }
        }
        return dir.toString();
    }

    private static String refused(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--master";
        all[args.length + 1] = NO_SPARK;
        String out = Cli.expect(2, all);
        assertTrue(!out.contains(NO_SPARK), "refused before Spark: " + out);
        return out;
    }

    @Test
    void measureIsRefusedBeforeSpark() throws Exception {
        assertTrue(refused("measure", tmp.resolve("missing").toString(), "--sweep", "kept", "--trace").contains("no results table in"));
        String dir = table(false);
        assertTrue(refused("measure", dir, "--sweep", "nosuch", "--trace").contains("--sweep nosuch: no such sweep in " + dir + "; it holds [kept]"));
        String topK = refused("measure", dir, "--sweep", "kept", "--top-k", "50");
        assertTrue(topK.contains("--top-k 50 is more than measure.max_iters 20"), topK);
        assertTrue(refused("measure", dir, "--sweep", "kept", "--trace").contains("sweep kept: none of its points kept its final parameters"));
    }

    @Test
    void picturesOfTablesThatAreNotThereAreRefusedBeforeSpark() throws Exception {
        String png = tmp.resolve("p.png").toString();
        assertTrue(refused("trajectory", tmp.resolve("missing").toString(), "--out", png).contains("no results table in"));
        String dir = table(false);
        assertTrue(refused("trajectory", dir, "--out", png).contains("no trajectories in " + dir + ": run a sweep with measure.every: K"));
        assertTrue(refused("density", dir, "--sweep", "kept", "--out", png)
                .contains("no spectral densities in " + dir + " for sweep 'kept': run a sweep with measure.density: true"));
    }

    @Test
    void aRestartFromAWrongSourceIsRefusedBeforeSpark() throws Exception {
        String dir = table(false);
        Path spec = tmp.resolve("restart.yaml");
        String id = SweepSpec.parse(SPEC).point(0).pointId();
        Files.writeString(spec, SPEC.replace("name: kept", "name: restart").replace("lr: 0.1}", "lr: 0.1, from_sweep: nosuch, from_point: \"" + id + "\"}"));
        assertTrue(refused("run", spec.toString(), "--out", dir, "--no-progress").contains("train.from_sweep: no sweep 'nosuch' in " + dir));
        Files.writeString(spec, SPEC.replace("name: kept", "name: restart").replace("lr: 0.1}", "lr: 0.1, from_sweep: kept, from_point: \"0123\"}"));
        assertTrue(refused("run", spec.toString(), "--out", dir, "--no-progress").contains("sweep 'kept' in " + dir + " has no point '0123'"));
        Files.writeString(spec, SPEC.replace("name: kept", "name: restart").replace("width: 6", "width: 7")
                .replace("lr: 0.1}", "lr: 0.1, from_sweep: kept, from_point: \"" + id + "\"}"));
        assertTrue(refused("run", spec.toString(), "--out", dir, "--no-progress").contains("model.width 6, but point 0 has model.width 7"));
    }

    @Test
    void whatTheFilesAllowGoesOnToSpark() throws Exception {
        // the same requests on a table that has the files: the refusal is Spark's master, i.e. the early checks let them through
        String dir = table(true);
        for (String[] args : new String[][] {
                {"measure", dir, "--sweep", "kept", "--trace"},
                {"trajectory", dir, "--out", tmp.resolve("t.png").toString()},
                {"density", dir, "--out", tmp.resolve("d.png").toString()}}) {
            String[] all = java.util.Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--master";
            all[args.length + 1] = NO_SPARK;
            String out = Cli.expect(2, all);
            assertTrue(out.contains("--master: Spark cannot use '" + NO_SPARK + "'"), String.join(" ", args) + ": " + out);
        }
        assertEquals(2, Integer.parseInt(Cli.run("measure", dir, "--sweep", "kept", "--top-k", "5", "--master", NO_SPARK)[0]));
    }
}

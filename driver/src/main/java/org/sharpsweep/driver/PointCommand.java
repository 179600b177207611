package org.sharpsweep.driver;

import java.nio.file.Path;

import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.ResultRow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "point", mixinStandardHelpOptions = true, description = "Run one grid point in this process (no Spark) and print its result row as JSON.")
final class PointCommand extends SpecCommand {
    @Option(names = "--index", required = true, paramLabel = "N", description = "point index, 0-based, in grid order")
    int index;
    @Option(names = "--save-params", paramLabel = "DIR", description = "write final parameters as .npy files (a cnn's K1, k1, ..., then W1, b1, ...) and model.json into DIR")
    Path saveParams;

    @Override
    public Integer call() throws Exception {
        if (saveParams != null) OutputPaths.checkDirectory("--save-params", saveParams);
        SweepSpec s = Main.loadChecked(spec, ExecutorMemory.local());
        GridPoint p = s.point(index);
        if (p.spec().train().fromSaved()) {
            throw new IllegalArgumentException("point " + index + " starts from saved parameters (train.from_sweep "
                    + p.spec().train().fromSweep() + ", from_point " + p.spec().train().fromPoint()
                    + "), which live in a results table: run it with sharpsweep run SPEC --out DIR");
        }
        if (p.spec().train().dataParallel()) {
            System.err.println("note: point " + index + " is trained data-parallel over " + p.spec().train().workers()
                    + " Spark workers by sharpsweep run; here the engine trains it alone in this process (the same point"
                    + " and id), and its row says parallel none");
            p = p.alone();
        }
        PointResult r = PointRunner.run(p, saveParams);
        // the journal's encoding: every column, timestamps as ISO instants, the rows of the
        // other tables (trajectories, spectra) under "_rows"
        System.out.println(org.sharpsweep.store.Journal.encode(ResultRow.of(s.name(), p, r)));
        return r.status() == org.sharpsweep.sweeps.Status.FAILED ? 1 : 0;
    }
}

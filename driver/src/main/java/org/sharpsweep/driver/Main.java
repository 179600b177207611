package org.sharpsweep.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.sharpsweep.sweeps.Axis;
import org.sharpsweep.sweeps.Catalog;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.ResultRow;
import org.sharpsweep.worker.data.Datasets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code sharpsweep} command line. Exit status: 0 done, 2 bad input (nothing written), 1 other failure. */
@Command(name = "sharpsweep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hyperparameter sweeps with exact curvature metrics, on Spark and ND4J.",
        subcommands = {Main.Validate.class, Main.Run.class, Main.Point.class, SqlCommand.class,
                AnalysisCommands.HeatmapCommand.class, AnalysisCommands.DiagramCommand.class,
                AnalysisCommands.ReportCommand.class, CorrelateCommand.class, MeasureCommand.class, TrajectoryCommand.class, DensityCommand.class, CompactCommand.class, CheckCommand.class, UpgradeCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        Failures.watchShutdown();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit status (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Failures.Outcome o = Failures.describe(e);
            cmd.getErr().println("error: " + o.message());
            if (Failures.debug()) e.printStackTrace(cmd.getErr());
            return o.status();
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"sharpsweep " + org.sharpsweep.worker.Backend.engineVersion()};
        }
    }

    /**
     * Reads a spec file or catalog name and checks, before any work, that every point fits in
     * {@code executorBytes} of ND4J memory and that its data can be read.
     */
    static SweepSpec loadChecked(String spec, long executorBytes) {
        SweepSpec s = Catalog.resolve(spec);
        try {
            s.checkFits(executorBytes);
        } catch (SpecException e) {
            throw new SpecException(spec + ": " + e.getMessage());
        }
        for (DataSpec d : s.dataSpecs()) {
            try {
                Datasets.verify(d);
            } catch (IllegalArgumentException e) {
                throw new SpecException(spec + ": " + e.getMessage());
            }
        }
        return s;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a spec and print its grid size and axes, or the error.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "spec file, or a catalog name (${sys:line.separator}  " +
                "quickstart, fashion-mnist, teacher-stability, tiny)")
        String spec;

        @Override
        public Integer call() {
            SweepSpec s = loadChecked(spec, ExecutorMemory.local());
            System.out.println("sweep " + s.name() + ": " + s.size() + " points");
            if (s.grid().isEmpty()) System.out.println("  no grid axes: a single point");
            for (Axis a : s.grid()) {
                System.out.println("  " + a.name() + ": " + a.values().stream().map(String::valueOf)
                        .collect(Collectors.joining(", ", "[", "]")) + " (" + a.values().size() + ")");
            }
            if (s.train().dataParallel()) {
                System.out.println("  each point trained data-parallel over " + s.train().workers()
                        + " Spark workers (train.parallel: data), one point at a time with the whole cluster");
            }
            System.out.println("  seeds: " + s.seedScheme().specName() + (s.seeds() != null ? ""
                    : " (the default of a sweep's first run; a sweep already in a table keeps the scheme it was computed with)"));
            List<org.sharpsweep.sweeps.GridPoint> points = s.points();
            long small = points.stream().filter(p -> org.sharpsweep.sweeps.LockstepGroups.smallNetwork(p.spec())).count();
            if (small > 0) {
                long grouped = org.sharpsweep.sweeps.LockstepGroups.of(points, 1).stream().filter(g -> g.size() > 1).count();
                System.out.println("  " + small + " of " + points.size() + " points are small networks (plain-Java trainer, docs/lockstep.md)"
                        + (grouped > 0 ? ", in " + grouped + " lockstep groups of one shape (a run splits them further over its task slots)"
                        : ", each in its own task"));
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a sweep on Spark and append its results to a Parquet table; "
            + "points already done are skipped.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "spec file, or a catalog name")
        String spec;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "results table directory (any Hadoop URI)")
        String out;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*])")
        String master;
        @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark setting, repeatable")
        List<String> conf = new ArrayList<>();
        @Option(names = "--save-params", paramLabel = "DIR", description = "write final parameters as .npy under DIR/<sweep>/<point_id>/")
        String saveParams;
        @Option(names = "--save-points", paramLabel = "N", split = ",", description = "indices of the points whose parameters are saved (default: all)")
        List<Integer> savePoints = new ArrayList<>();
        @Option(names = "--no-progress", description = "no progress line")
        boolean noProgress;
        @Option(names = "--report", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
                description = "write the HTML report at the end (default DIR: <out>/_report)")
        String report;
        @Option(names = "--restart", description = "if the table holds this sweep under a different configuration, "
                + "move its old rows and spec to <out>/_archive/ and start the sweep over")
        boolean restart;

        @Override
        public Integer call() {
            OutputPaths.checkDirectory("--out", out);
            SweepSpec s = loadChecked(spec, ExecutorMemory.forRun(master, conf));
            Path reportDir = report == null ? null : AnalysisCommands.reportDir(out, report);
            if (reportDir != null) OutputPaths.checkDirectory("--report", reportDir);
            OutputPaths.checkDirectory("--save-params", saveParams);
            for (int i : savePoints) {
                if (i < 0 || i >= s.size()) throw new SpecException("--save-points index must be in [0, " + (s.size() - 1) + "], got " + i);
            }
            Warmup.start(Warmup.localMaster(master));
            try (SparkSessions.Handle session = SparkSessions.open("sharpsweep " + s.name(), master, conf)) {
                SweepRunner.Summary summary = SweepRunner.run(session.spark(), s, out,
                        new SweepRunner.Options(saveParams, Set.copyOf(savePoints), !noProgress, restart));
                System.out.println(summary);
                if (summary.firstError() != null) {
                    System.err.println("first failure: " + summary.firstError() + "   (every failed row's error: sharpsweep sql "
                            + out + " \"SELECT point_index, error FROM results WHERE status = 'FAILED'\")");
                }
                System.out.println("results: " + out + "   (query: sharpsweep sql " + out + " \"SELECT ... FROM results\")");
                if (reportDir != null) {
                    Path index = org.sharpsweep.analysis.Report.write(session.spark(), out, reportDir);
                    System.out.println("report:  " + index.toAbsolutePath());
                }
                return summary.failed() > 0 ? 1 : 0;
            }
        }
    }

    @Command(name = "point", mixinStandardHelpOptions = true, description = "Run one grid point in this process (no Spark) and print its result row as JSON.")
    static final class Point implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "spec file, or a catalog name")
        String spec;
        @Option(names = "--index", required = true, paramLabel = "N", description = "point index, 0-based, in grid order")
        int index;
        @Option(names = "--save-params", paramLabel = "DIR", description = "write final parameters as .npy files (a cnn's K1, k1, ..., then W1, b1, ...) and model.json into DIR")
        Path saveParams;

        @Override
        public Integer call() throws Exception {
            if (saveParams != null) OutputPaths.checkDirectory("--save-params", saveParams);
            SweepSpec s = loadChecked(spec, ExecutorMemory.local());
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
            System.out.println(org.sharpsweep.analysis.Journal.encode(ResultRow.of(s.name(), p, r)));
            return r.status() == org.sharpsweep.sweeps.Status.FAILED ? 1 : 0;
        }
    }
}

package org.sharpsweep.driver;

import java.util.concurrent.Callable;

import org.sharpsweep.sweeps.Catalog;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.data.Datasets;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sharpsweep} command line. Exit status: 0 done, 2 bad input (nothing written), 1 other failure. */
@Command(name = "sharpsweep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hyperparameter sweeps with exact curvature metrics, on Spark and ND4J.",
        subcommands = {ValidateCommand.class, RunCommand.class, PointCommand.class, SqlCommand.class,
                HeatmapCommand.class, DiagramCommand.class, ReportCommand.class, CorrelateCommand.class, ServeCommand.class, MeasureCommand.class, TrajectoryCommand.class, DensityCommand.class, LandscapeCommand.class, CompactCommand.class, CheckCommand.class, UpgradeCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        Failures.watchShutdown();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit status (tests call this). */
    public static int execute(String... args) {
        System.setProperty(SpecCommand.CATALOG_PROPERTY, String.join(", ", org.sharpsweep.sweeps.Catalog.NAMES));
        CommandLine cl;
        if (args.length > 0 && args[0].equals("sql")) {
            // sql alone: picocli reads every method of every command it is given, and the other
            // commands name Spark's classes in theirs, which the JVM of sql --server does not have
            // (JdbcQueries); a cold sql DIR starts sooner for it too
            cl = new CommandLine(new SqlCommand());
            cl.setCommandName("sharpsweep sql");
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else {
            cl = new CommandLine(new Main());
        }
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

}

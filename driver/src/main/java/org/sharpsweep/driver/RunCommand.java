package org.sharpsweep.driver;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.SweepSpec;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a sweep on Spark and append its results to a Parquet table; "
        + "points already done are skipped.")
final class RunCommand extends SpecCommand {
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
        SweepSpec s = Main.loadChecked(spec, ExecutorMemory.forRun(master, conf));
        Path reportDir = report == null ? null : reportDir(out, report);
        if (reportDir != null) OutputPaths.checkDirectory("--report", reportDir);
        OutputPaths.checkDirectory("--save-params", saveParams);
        for (int i : savePoints) {
            if (i < 0 || i >= s.size()) throw new SpecException("--save-points index must be in [0, " + (s.size() - 1) + "], got " + i);
        }
        // a wrong restart source needs only the table's kept specs: refused before Spark starts (a local table;
        // another file system may need the session's configuration, and SweepRunner checks it there)
        if (OutputPaths.local(out) != null) RestartSources.check(org.sharpsweep.store.TableFiles.local(OutputPaths.local(out)), out, s.points());
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
                Path index = org.sharpsweep.analysis.Report.write(session.spark(), out, reportDir, LandscapeCommand.forReport(session.spark(), out));
                System.out.println("report:  " + index.toAbsolutePath());
            }
            return summary.failed() > 0 ? 1 : 0;
        }
    }

    /** Where {@code run --report} writes: the given directory, or {@code <out>/_report} for a local table. */
    static Path reportDir(String out, String given) {
        if (given != null && !given.isEmpty()) return Path.of(given);
        URI uri = URI.create(out.replace(" ", "%20"));
        if (uri.getScheme() == null) return Path.of(out, "_report");
        if (uri.getScheme().equals("file")) return Path.of(uri).resolve("_report");
        throw new IllegalArgumentException("--report needs a local directory when --out is " + out + ": use --report DIR");
    }
}

package org.sharpsweep.driver;

import java.nio.file.Path;

import org.sharpsweep.analysis.Report;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sharpsweep report DIR}: the self-contained HTML report. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "A self-contained HTML report: spec, summary, interactive views (filters, parallel coordinates, heatmaps, diagram, trajectories), PNG and SVG pictures, correlations, failures.")
final class ReportCommand extends TableCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory for index.html and its images")
    Path out;

    @Override
    public Integer call() {
        Path index;
        OutputPaths.checkDirectory("--out", out);
        try (SparkSessions.Handle s = openSettled("report")) {
            index = Report.write(s.spark(), dir, out, LandscapeCommand.forReport(s.spark(), dir));
        }
        System.out.println("report: " + index.toAbsolutePath());
        return 0;
    }
}

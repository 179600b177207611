package org.sharpsweep.driver;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.sharpsweep.analysis.Aggregation;
import org.sharpsweep.analysis.Diagram;
import org.sharpsweep.analysis.Heatmap;
import org.sharpsweep.analysis.HeatmapOptions;
import org.sharpsweep.analysis.Report;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The CLI of the analysis module: pictures straight from a results table. */
final class AnalysisCommands {
    private AnalysisCommands() {
    }

    /** Where {@code run --report} writes: the given directory, or {@code <out>/_report} for a local table. */
    static Path reportDir(String out, String given) {
        if (given != null && !given.isEmpty()) return Path.of(given);
        URI uri = URI.create(out.replace(" ", "%20"));
        if (uri.getScheme() == null) return Path.of(out, "_report");
        if (uri.getScheme().equals("file")) return Path.of(uri).resolve("_report");
        throw new IllegalArgumentException("--report needs a local directory when --out is " + out + ": use --report DIR");
    }

    /** Refuses a picture path that is a directory or whose directory cannot be written, before any work. */
    static void checkFile(Path out) {
        if (java.nio.file.Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is a directory; name a .png or .svg file");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) OutputPaths.checkDirectory("--out", parent);
    }

    @Command(name = "heatmap", mixinStandardHelpOptions = true, description = "A heatmap of one metric over two grid axes, one cell per grid value.")
    static final class HeatmapCommand implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "results table directory")
        String dir;
        @Option(names = "--metric", required = true, description = "e.g. sharpness, nonuniformity, test_acc, gen_gap_loss")
        String metric;
        @Option(names = "--x", required = true, paramLabel = "AXIS", description = "grid axis across, e.g. lr")
        String x;
        @Option(names = "--y", paramLabel = "AXIS", description = "grid axis up, e.g. batch_size (omit for one row)")
        String y;
        @Option(names = "--where", paramLabel = "SQL", description = "Spark SQL predicate, e.g. \"width = 100\"")
        String where;
        @Option(names = "--agg", defaultValue = "mean", description = "mean | median | min | max over the other axes (default: ${DEFAULT-VALUE})")
        String agg;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
        Path out;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
        String master;

        @Override
        public Integer call() {
            HeatmapOptions o = new HeatmapOptions(metric, x, y, where, Aggregation.parse(agg));
            checkFile(out);
            try (SparkSessions.Handle s = SparkSessions.open("sharpsweep heatmap", master, List.of())) {
                ResultStore.settle(s.spark(), dir);
                Heatmap.render(s.spark(), dir, o, out);
            }
            System.out.println("heatmap: " + out.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "diagram", mixinStandardHelpOptions = true, description = "The sharpness / non-uniformity plane with each (lr, B) stability region.")
    static final class DiagramCommand implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "results table directory")
        String dir;
        @Option(names = "--where", paramLabel = "SQL", description = "Spark SQL predicate selecting points")
        String where;
        @Option(names = "--colour-by", defaultValue = Diagram.BY_LR, description = "lr | batch_size (default: ${DEFAULT-VALUE})")
        String colourBy;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
        Path out;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
        String master;

        @Override
        public Integer call() {
            checkFile(out);
            try (SparkSessions.Handle s = SparkSessions.open("sharpsweep diagram", master, List.of())) {
                ResultStore.settle(s.spark(), dir);
                Diagram.render(s.spark(), dir, where, colourBy, out);
            }
            System.out.println("diagram: " + out.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "A self-contained HTML report: spec, summary, heatmaps, diagram, failures.")
    static final class ReportCommand implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "results table directory")
        String dir;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory for index.html and its images")
        Path out;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
        String master;

        @Override
        public Integer call() {
            Path index;
            OutputPaths.checkDirectory("--out", out);
            try (SparkSessions.Handle s = SparkSessions.open("sharpsweep report", master, List.of())) {
                ResultStore.settle(s.spark(), dir);
                index = Report.write(s.spark(), dir, out);
            }
            System.out.println("report: " + index.toAbsolutePath());
            return 0;
        }
    }
}

package org.sharpsweep.driver;

import java.nio.file.Path;

import org.sharpsweep.analysis.Aggregation;
import org.sharpsweep.analysis.Heatmap;
import org.sharpsweep.analysis.HeatmapOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sharpsweep heatmap DIR}: one metric over one or two grid axes, a cell per grid value. */
@Command(name = "heatmap", mixinStandardHelpOptions = true, description = "A heatmap of one metric over two grid axes, one cell per grid value.")
final class HeatmapCommand extends TableCommand {
    @Option(names = "--metric", required = true, description = "a metric column (sharpness, nonuniformity, test_acc, gen_gap_loss, ...) or an expression over the results "
            + "columns, e.g. 'sharpness * lr / 2'")
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

    @Override
    public Integer call() {
        HeatmapOptions o = new HeatmapOptions(metric, x, y, where, Aggregation.parse(agg));
        OutputPaths.checkFile(out);
        try (SparkSessions.Handle s = openSettled("heatmap")) {
            Heatmap.render(s.spark(), dir, o, out);
        }
        System.out.println("heatmap: " + out.toAbsolutePath());
        return 0;
    }
}

package org.sharpsweep.driver;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.sharpsweep.analysis.Trajectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep trajectory DIR}: a metric during training, one line per point, from the
 * {@code trajectories} table (see {@link Trajectory}), drawn to a picture and summarised as a
 * table with one line per point.
 */
@Command(name = "trajectory", mixinStandardHelpOptions = true,
        description = "A metric during training (measure.every), one line per point coloured by a setting, with 2/lr dashed per lr "
                + "for sharpness (Cohen et al. 2021) and the train loss below on a log axis.")
final class TrajectoryCommand extends TableCommand {
    @Mixin
    PerPointPicture p;
    @Option(names = "--metric", defaultValue = Trajectory.DEFAULT_METRIC, paramLabel = "COLUMN",
            description = "a numeric column of the trajectories table, e.g. sharpness, train_loss, hessian_trace (default: ${DEFAULT-VALUE})")
    String metric;

    @Override
    public Integer call() {
        Trajectory.Options o = new Trajectory.Options(metric, p.where, p.colourBy, p.sweep);
        Trajectory.checkPicture(p.out);
        OutputPaths.checkFile(p.out);
        refuseEarlyWithout(org.sharpsweep.sweeps.ResultSchema.TRAJECTORIES, p.sweep, Trajectory.noTrajectories(dir, p.sweep));
        try (SparkSessions.Handle s = openSettled("trajectory")) {
            Trajectory.Result r = Trajectory.compute(s.spark(), dir, o);
            System.out.print(TextTable.render(table(s.spark(), r), r.lines().size()));
            System.out.println(notes(r));
            Trajectory.draw(r, p.out);
        }
        System.out.println("trajectory: " + p.out.toAbsolutePath());
        return 0;
    }

    /** One row per point: sweep_id, point_id, the colour axis, status, measurements, first/last/min/max of the metric. */
    static Dataset<Row> table(SparkSession spark, Trajectory.Result r) {
        ColourColumn colour = ColourColumn.of(r.colourBy(), r.colourValues());
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("sweep_id", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("point_id", DataTypes.StringType, false));
        fields.add(colour.field());
        fields.add(DataTypes.createStructField("status", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("measurements", DataTypes.IntegerType, false));
        for (String f : List.of("first", "last", "min", "max")) fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (Trajectory.Line l : r.lines()) {
            rows.add(RowFactory.create(l.sweepId(), l.pointId(), colour.cell(l.colour()), l.status(), l.values().size(), l.first(), l.last(), l.min(), l.max()));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields.toArray(StructField[]::new)));
    }

    /** The metric, the colour axis and, for sharpness, each lr's bound 2/lr. */
    static String notes(Trajectory.Result r) {
        StringBuilder sb = new StringBuilder("metric ").append(r.metric()).append(" (first, last, min, max over each point's measurements), coloured by ")
                .append(r.colourBy());
        if (!r.bounds().isEmpty()) {
            sb.append("\n2/lr:");
            for (Trajectory.Bound b : r.bounds()) sb.append(' ').append(TextTable.format(b.value())).append(" (lr ").append(TextTable.format(b.lr())).append(')');
        }
        return sb.toString();
    }
}

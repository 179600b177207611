package org.sharpsweep.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.sharpsweep.analysis.Correlate;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep correlate DIR}: which measure predicts the generalization gap, as Kendall's
 * tau-b over all points and Jiang et al.'s granulated coefficient (see {@link Correlate}),
 * printed as a table with one line per measure and, with {@code --out}, drawn as bars.
 */
@Command(name = "correlate", mixinStandardHelpOptions = true,
        description = "Kendall tau-b of each measure against a target over all OK points, and the granulated Kendall "
                + "coefficient psi per grid axis and their mean Psi (Jiang et al. 2019, section 6).")
final class CorrelateCommand extends TableCommand {
    @Option(names = "--target", defaultValue = Correlate.DEFAULT_TARGET, paramLabel = "COLUMN",
            description = "the column to predict (default: ${DEFAULT-VALUE})")
    String target;
    @Option(names = "--measures", split = ",", paramLabel = "COLUMN",
            description = "measures to rank by (default: every measure's ranked columns that have values, then param_norm, grad_norm, "
                    + "train_loss; docs/commands.md)")
    List<String> measures = new ArrayList<>();
    @Option(names = "--where", paramLabel = "SQL", description = "Spark SQL predicate selecting points, e.g. \"width = 32\"")
    String where;
    @Option(names = "--out", paramLabel = "FILE", description = "also draw tau and Psi per measure to FILE.png or FILE.svg")
    Path out;

    @Override
    public Integer call() {
        Correlate.Options o = new Correlate.Options(target, measures, where);
        if (out != null) {
            Correlate.checkPicture(out);
            OutputPaths.checkFile(out);
        }
        try (SparkSessions.Handle s = openSettled("correlate")) {
            Correlate.Result r = Correlate.compute(s.spark(), dir, o);
            System.out.print(TextTable.render(table(s.spark(), r), r.lines().size()));
            System.out.println(notes(r));
            if (out != null) {
                Correlate.draw(r, out);
                System.out.println("correlate: " + out.toAbsolutePath());
            }
        }
        return 0;
    }

    /** One row per measure: measure, n, tau, psi_<axis>..., Psi. */
    static Dataset<Row> table(SparkSession spark, Correlate.Result r) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("measure", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("n", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("tau", DataTypes.DoubleType, false));
        for (String a : r.axes()) fields.add(DataTypes.createStructField("psi_" + a, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("Psi", DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (Correlate.Line l : r.lines()) {
            List<Object> v = new ArrayList<>();
            v.add(l.measure());
            v.add(l.result().n());
            v.add(l.result().tau());
            for (String a : r.axes()) v.add(l.result().psi().get(a));
            v.add(l.result().psiMean());
            rows.add(RowFactory.create(v.toArray()));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields.toArray(StructField[]::new)));
    }

    /** What a reader needs beside the numbers: the target, the axes, and which rows were left out. */
    static String notes(Correlate.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("target ").append(r.target()).append("; tau is Kendall's tau-b over all points, psi_<axis> the mean tau over the "
                + "combinations of the other axes, Psi the mean of the defined psi (NaN: no combination of 2 or more points on which neither side is constant)");
        sb.append("\naxes: ").append(r.axes().isEmpty() ? "none" : String.join(", ", r.axes()));
        if (!r.heldFixed().isEmpty()) sb.append("; held fixed in every combination: ").append(String.join(", ", r.heldFixed()));
        sb.append("\nrows: ").append(r.selected()).append(" selected, ").append(r.notOk()).append(" left out (status not OK)");
        for (Correlate.Line l : r.lines()) {
            if (l.leftOut() > 0) sb.append("; ").append(l.measure()).append(": ").append(l.leftOut()).append(" left out (null or NaN)");
        }
        if (!r.noValues().isEmpty()) sb.append("\nnot shown, fewer than 2 points with values: ").append(String.join(", ", r.noValues()));
        return sb.toString();
    }
}

package org.sharpsweep.driver;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.sharpsweep.analysis.SpectralDensity;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sharpsweep density DIR}: the Hessian's spectral density of each point, from the density
 * rows of the {@code spectra} table (see {@link SpectralDensity}), drawn to a picture and
 * summarised as a table with one line per point.
 */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "The Hessian's spectral density (measure.density: stochastic Lanczos quadrature, smoothed as PyHessian does), "
                + "one line per point coloured by a setting, on a symmetric-log eigenvalue axis with the density on a log axis and "
                + "each point's sharpness marked.")
final class DensityCommand extends TableCommand {
    @Mixin
    PerPointPicture p;

    @Override
    public Integer call() {
        SpectralDensity.Options o = new SpectralDensity.Options(p.where, p.colourBy, p.sweep);
        SpectralDensity.checkPicture(p.out);
        OutputPaths.checkFile(p.out);
        refuseEarlyWithout(org.sharpsweep.sweeps.ResultSchema.SPECTRA, p.sweep, SpectralDensity.noDensities(dir, p.sweep));
        try (SparkSessions.Handle s = openSettled("density")) {
            SpectralDensity.Result r = SpectralDensity.compute(s.spark(), dir, o);
            System.out.print(TextTable.render(table(s.spark(), r), r.curves().size()));
            System.out.println(notes(r));
            SpectralDensity.draw(r, p.out);
        }
        System.out.println("density: " + p.out.toAbsolutePath());
        return 0;
    }

    /**
     * One row per point: sweep_id, point_id, the colour axis, probes, nodes (the most of any
     * probe), the top node, the results row's sharpness, and the mass on negative eigenvalues.
     */
    static Dataset<Row> table(SparkSession spark, SpectralDensity.Result r) {
        ColourColumn colour = ColourColumn.of(r.colourBy(), r.colourValues());
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("sweep_id", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("point_id", DataTypes.StringType, false));
        fields.add(colour.field());
        fields.add(DataTypes.createStructField("probes", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("nodes", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("top_node", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("sharpness", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("negative_mass", DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (SpectralDensity.Curve c : r.curves()) {
            rows.add(RowFactory.create(c.sweepId(), c.pointId(), colour.cell(c.colour()), c.probes(), c.nodes(), c.topNode(), c.sharpness(), c.negativeMass()));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields.toArray(StructField[]::new)));
    }

    /** What the columns are and how the densities were smoothed. */
    static String notes(SpectralDensity.Result r) {
        return r.method() + "; coloured by " + r.colourBy() + "\ntop_node: the largest quadrature node (lambda_max from below); "
                + "negative_mass: the weight on nodes below 0, averaged over probes";
    }
}

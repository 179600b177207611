package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.analysis.DiagramResult.LineStyle;
import org.sharpsweep.analysis.DiagramResult.Point;
import org.sharpsweep.analysis.DiagramResult.Region;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;

/**
 * The sharpness / non-uniformity plane of Wu, Ma and E (2018, "How SGD selects the global
 * minima in over-parameterized learning: a dynamical stability perspective", NeurIPS): one
 * dot per OK grid point at (sharpness, non-uniformity), coloured by learning rate (or batch
 * size), and for each (lr, B, n) group the
 * rectangle [0, 2/lr] x [0, sqrt(B(n-1)/(n-B))/lr] in which SGD with that learning rate and
 * batch size can be linearly stable (the necessary conditions of docs/science.md, batches
 * drawn without replacement from n = n_train samples). Full-batch GD (B = n) bounds sharpness
 * only: its region is a vertical band. A point outside its own group's region is drawn as a
 * cross in a red ring. Axes are linear from 0, or logarithmic where the values span decades
 * ({@link DiagramPainter#scale}). Points with a null, NaN or infinite coordinate are not drawn (and counted
 * as not shown).
 *
 * <p>The bounds are recomputed from lr, batch_size and n_train rather than read from the
 * {@code sharpness_bound}/{@code nonuniformity_bound} columns, so groups are exact and a
 * table written without them still draws.
 */
public final class Diagram {
    private Diagram() {
    }

    public static final int DEFAULT_WIDTH = 1000;
    public static final int DEFAULT_HEIGHT = 720;
    /** Colour the points and regions by learning rate. */
    public static final String BY_LR = "lr";
    /** Colour the points and regions by batch size. */
    public static final String BY_BATCH_SIZE = "batch_size";

    /** Renders from the results table in {@code resultsDir} at the default size. */
    public static DiagramResult render(SparkSession spark, String resultsDir, String where, String colourBy, Path out) {
        return render(Query.table(spark, resultsDir), where, colourBy, DEFAULT_WIDTH, DEFAULT_HEIGHT, out);
    }

    /**
     * Renders from result rows already loaded.
     *
     * @param where    Spark SQL predicate selecting rows, or null
     * @param colourBy {@link #BY_LR} (also for null) or {@link #BY_BATCH_SIZE}
     * @throws IllegalArgumentException for a bad colourBy, predicate, size or extension
     */
    public static DiagramResult render(Dataset<Row> table, String where, String colourBy, int width, int height, Path out) {
        return render(table, where, colourBy, width, height, List.of(out));
    }

    /** Renders once and writes every path (e.g. a PNG and an SVG); the result names the first. */
    static DiagramResult render(Dataset<Row> table, String where, String colourBy, int width, int height, List<Path> outs) {
        if (outs.isEmpty()) throw new IllegalArgumentException("no output file given");
        outs.forEach(Figure::formatOf);
        String by = colourBy == null || colourBy.isBlank() ? BY_LR : colourBy.trim();
        if (!by.equals(BY_LR) && !by.equals(BY_BATCH_SIZE)) {
            throw new IllegalArgumentException("colour-by must be " + BY_LR + " or " + BY_BATCH_SIZE + ", got " + colourBy);
        }
        if (width < HeatmapOptions.MIN_WIDTH || height < HeatmapOptions.MIN_HEIGHT) {
            throw new IllegalArgumentException("diagram size must be at least " + HeatmapOptions.MIN_WIDTH + "x"
                    + HeatmapOptions.MIN_HEIGHT + ", got " + width + "x" + height);
        }
        Dataset<Row> rows = Query.filter(table, where);
        Column a = col(ResultSchema.SHARPNESS);
        Column s = col(ResultSchema.NONUNIFORMITY);
        Column drawable = col(ResultSchema.STATUS).equalTo(Status.OK.name()).and(Query.finite(a)).and(Query.finite(s));
        List<Row> picked = rows.filter(drawable).select(col(ResultSchema.POINT_ID), col("lr"), col("batch_size"),
                col("n_train"), a, s).orderBy(col(ResultSchema.POINT_ID)).collectAsList();
        Row counts = rows.agg(count(lit(1)), count(org.apache.spark.sql.functions.when(drawable, 1))).first();
        int notShown = (int) (counts.getLong(0) - counts.getLong(1));
        GridAxes.Described described = GridAxes.describe(rows);

        TreeSet<Double> lrs = new TreeSet<>();
        TreeSet<Integer> batches = new TreeSet<>();
        for (Row r : picked) {
            lrs.add(r.getDouble(1));
            batches.add(r.getInt(2));
        }
        List<? extends Number> colourKeys = by.equals(BY_LR) ? List.copyOf(lrs) : List.copyOf(batches);
        List<? extends Number> styleKeys = by.equals(BY_LR) ? List.copyOf(batches) : List.copyOf(lrs);

        List<Point> points = new ArrayList<>();
        Map<List<Object>, List<Point>> groups = new LinkedHashMap<>();
        for (Row r : picked) {
            if (r.isNullAt(1) || r.isNullAt(2) || r.isNullAt(3)) {
                throw new IllegalArgumentException("point " + r.getString(0) + " has no lr, batch_size or n_train");
            }
            double lr = r.getDouble(1);
            int b = r.getInt(2);
            int n = r.getInt(3);
            double sharp = r.getDouble(4);
            double nonu = r.getDouble(5);
            boolean inside = sharp <= sharpnessBound(lr) && nonu <= nonuniformityBound(lr, b, n);
            Color colour = Colours.category(colourKeys.indexOf(by.equals(BY_LR) ? (Object) lr : (Object) b), colourKeys.size());
            Point p = new Point(r.getString(0), lr, b, n, sharp, nonu, inside, colour);
            points.add(p);
            groups.computeIfAbsent(List.of(lr, b, n), k -> new ArrayList<>()).add(p);
        }
        List<Region> regions = new ArrayList<>();
        for (List<Point> g : groups.values()) {
            Point p = g.get(0);
            Object styleKey = by.equals(BY_LR) ? (Object) p.batchSize() : (Object) p.lr();
            LineStyle style = LineStyle.values()[styleKeys.indexOf(styleKey) % LineStyle.values().length];
            int outside = (int) g.stream().filter(q -> !q.inside()).count();
            regions.add(new Region(p.lr(), p.batchSize(), p.nTrain(), sharpnessBound(p.lr()),
                    nonuniformityBound(p.lr(), p.batchSize(), p.nTrain()), p.colour(), style, g.size(), outside));
        }
        // larger regions first, so smaller ones stay visible on top
        regions.sort((r1, r2) -> Double.compare(r2.sharpnessBound() * Math.min(r2.nonuniformityBound(), 1e300),
                r1.sharpnessBound() * Math.min(r1.nonuniformityBound(), 1e300)));

        return DiagramPainter.draw(width, height, outs, by, where, points, regions, colourKeys, styleKeys, notShown,
                described.sweeps(), described.constants());
    }

    /** 2/lr: linear stability of GD or SGD needs sharpness at most this. */
    public static double sharpnessBound(double lr) {
        return 2 / lr;
    }

    /**
     * sqrt(B(n-1)/(n-B))/lr: linear stability of SGD with batches of B drawn without
     * replacement from n samples needs non-uniformity at most this; infinite for B >= n.
     */
    public static double nonuniformityBound(double lr, int batchSize, int n) {
        if (batchSize >= n) return Double.POSITIVE_INFINITY;
        return Math.sqrt(batchSize * (n - 1.0) / (n - batchSize)) / lr;
    }
}

package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.store.KeptSpecs;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.sweeps.Status;

/**
 * A self-contained HTML report of a results table: {@code index.html} with inline CSS and
 * relative links only (no network needed to view it), images under {@code img/} as PNG with
 * an SVG beside each (the page shows the PNG and links the SVG).
 *
 * <p>A table may hold several sweeps (every sweep_id partition): the report has one section
 * per sweep, each with the sweep's settings (constant parameter columns and the axes with
 * their values, and the spec as run, {@code _specs/<sweep_id>.yaml}, verbatim when the results
 * directory holds it), a summary (points by status, min/median/max of the main metrics
 * over OK points), heatmaps of {@link #HEATMAP_METRICS} over every pair of grid axes (seed
 * replicates averaged; metrics null for every point are skipped and named), the
 * sharpness/non-uniformity diagram, for a sweep with rows in the {@code trajectories} table the
 * trajectory picture ({@link Trajectory}: sharpness during training, or the training loss when no
 * measurement has a sharpness), for a sweep with density rows in the {@code spectra} table the
 * Hessian's spectral density ({@link SpectralDensity}), for a sweep whose points saved their
 * parameters the loss landscape of one of them when the caller computed it ({@link LossLandscape};
 * the driver does, on the executors), and the points that diverged or failed.
 *
 * <p>Grid axes are the independent parameter columns that vary within the sweep ({@link
 * GridAxes#independent}); {@code replicate} is aggregated over rather than drawn as an axis.
 */
public final class Report {
    private Report() {
    }

    /** Metrics drawn as heatmaps, in this order. */
    public static final List<String> HEATMAP_METRICS = List.of(ResultSchema.SHARPNESS, ResultSchema.NONUNIFORMITY,
            ResultSchema.GEN_GAP_LOSS, ResultSchema.GEN_GAP_ACC, ResultSchema.TEST_ACC);
    /** Metrics of the summary table. */
    public static final List<String> SUMMARY_METRICS = List.of(ResultSchema.TRAIN_LOSS, ResultSchema.TEST_LOSS,
            ResultSchema.TRAIN_ACC, ResultSchema.TEST_ACC, ResultSchema.GEN_GAP_LOSS, ResultSchema.GEN_GAP_ACC,
            ResultSchema.SHARPNESS, ResultSchema.NONUNIFORMITY, ResultSchema.STABILITY_MAX_EIG,
            ResultSchema.PARAM_NORM, ResultSchema.GRAD_NORM);
    /** Image sizes in the report, small enough for two side by side on a wide screen. */
    static final int HEATMAP_WIDTH = 680;
    static final int HEATMAP_HEIGHT = 520;
    static final int DIAGRAM_WIDTH = 1000;
    static final int DIAGRAM_HEIGHT = 700;
    static final int TRAJECTORY_WIDTH = TrajectoryPainter.WIDTH;
    static final int TRAJECTORY_HEIGHT = TrajectoryPainter.HEIGHT;
    static final int DENSITY_WIDTH = DensityPainter.WIDTH;
    static final int DENSITY_HEIGHT = DensityPainter.HEIGHT;
    /** At most this many diverged/failed points are listed per sweep. */
    static final int MAX_FAILURE_ROWS = 1000;
    private static final int MAX_SPEC_BYTES = 1 << 20;

    /**
     * Writes the report of the table in {@code resultsDir} into {@code outDir} (created if
     * needed; files of an earlier report there are overwritten).
     *
     * @return the path of {@code index.html}
     * @throws IllegalArgumentException if there is no results table or it has no rows
     */
    public static Path write(SparkSession spark, String resultsDir, Path outDir) {
        return write(spark, resultsDir, outDir, Map.of());
    }

    /**
     * As above, with each sweep's loss landscape of one point by sweep id (sweeps without one
     * are absent), drawn in that sweep's section.
     */
    public static Path write(SparkSession spark, String resultsDir, Path outDir, Map<String, LossLandscape.Result> landscapes) {
        if (outDir == null) throw new IllegalArgumentException("report output directory must be given");
        Dataset<Row> table = Query.table(spark, resultsDir).persist();
        try {
            return write(table, ResultsTable.read(spark, resultsDir, ResultSchema.TRAJECTORIES),
                    ResultsTable.read(spark, resultsDir, ResultSchema.SPECTRA), resultsDir, id -> readSpec(spark, resultsDir, id), outDir,
                    landscapes);
        } finally {
            table.unpersist();
        }
    }

    /**
     * Writes the report of rows already loaded.
     *
     * @param source what to call the table in the page (e.g. its directory)
     * @param specs  text of each sweep's spec file, by sweep id (sweeps without one are absent)
     */
    static Path write(Dataset<Row> table, String source, Map<String, String> specs, Path outDir) {
        return write(table, null, source, specs, outDir);
    }

    /**
     * As above, with the rows of the {@code trajectories} table of the attempts {@code table} keeps
     * (schema of {@link ResultSchema#TRAJECTORIES}), or null for none.
     */
    static Path write(Dataset<Row> table, Dataset<Row> trajectories, String source, Map<String, String> specs, Path outDir) {
        return write(table, trajectories, null, source, specs, outDir);
    }

    /**
     * As above, with the rows of the {@code spectra} table of the attempts {@code table} keeps
     * (schema of {@link ResultSchema#SPECTRA}), or null for none.
     */
    static Path write(Dataset<Row> table, Dataset<Row> trajectories, Dataset<Row> spectra, String source, Map<String, String> specs,
            Path outDir) {
        return write(table, trajectories, spectra, source, specs, outDir, Map.of());
    }

    /** As above, with the loss landscapes by sweep id. */
    static Path write(Dataset<Row> table, Dataset<Row> trajectories, Dataset<Row> spectra, String source, Map<String, String> specs,
            Path outDir, Map<String, LossLandscape.Result> landscapes) {
        return write(table, trajectories, spectra, source, specs::get, outDir, landscapes);
    }

    /** As above, with each sweep's spec text (or null) by sweep id. */
    private static Path write(Dataset<Row> table, Dataset<Row> trajectories, Dataset<Row> spectra, String source,
            Function<String, String> specs, Path outDir, Map<String, LossLandscape.Result> landscapes) {
        List<Row> rows = table.collectAsList();
        if (rows.isEmpty()) throw new IllegalArgumentException("the results table in " + source + " has no rows");
        Path img = outDir.resolve("img");
        try {
            Files.createDirectories(img);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + img + ": " + e.getMessage(), e);
        }
        Page.Content content = content(table, rows, trajectories, spectra, source, specs, img, landscapes, List.of());
        Path index = outDir.resolve("index.html");
        try {
            Files.writeString(index, Page.html(content, 0, false), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index + ": " + e.getMessage(), e);
        }
        Page.writeLicences(outDir);
        return index;
    }

    /**
     * The page of a served table ({@code sharpsweep serve}): the report without its pictures,
     * from the views {@code results}, {@code trajectories} and {@code spectra} of {@code dir} as
     * {@code sharpsweep sql} registered them; a table without rows yet is a page that says so,
     * and the header names each sweep whose spec is kept but that has no row yet.
     */
    public static Page.Content live(SparkSession spark, String dir) {
        Dataset<Row> table = spark.table(ResultsTable.VIEW).persist();
        try {
            List<Row> rows = table.collectAsList();
            List<String> sweeps = GridAxes.describe(rows, table.schema()).sweeps();
            List<String> pending = new ArrayList<>();
            KeptSpecs.all(spark.sparkContext().hadoopConfiguration(), dir).forEach((id, text) -> {
                Integer n = total(text);
                if (!sweeps.contains(id)) pending.add(id + (n == null ? "" : " (" + n + " points)"));
            });
            return content(table, rows, spark.table(ResultSchema.TRAJECTORIES.name()), spark.table(ResultSchema.SPECTRA.name()), dir,
                    id -> readSpec(spark, dir, id), null, Map.of(), pending);
        } finally {
            table.unpersist();
        }
    }

    /** The page of a directory with no rows to show yet ({@code serve} started before the sweep), saying why. */
    public static Page.Content waiting(String dir, String why) {
        Html h = new Html();
        h.raw("<h1>sharpsweep report</h1><p class=\"muted\">results table <code>").text(dir)
                .raw("</code> · <span id=\"points\">0</span> points · updated ").text(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .raw("</p>\n<p class=\"note\">").text(why).raw(". This page shows the rows as a sweep writes them.</p>\n");
        return new Page.Content("sharpsweep report: " + dir, h.toString(), List.of());
    }

    /**
     * The page's content: the header, and per sweep its text and its views' model, from the
     * table's rows collected once ({@code rows}: its text and model need no other Spark job; the
     * trajectories, the spectral densities and the pictures read the tables).
     *
     * @param specs   each sweep's spec text, or null, by sweep id
     * @param img     where the pictures are written, or null for none (a served page)
     * @param pending sweeps with a kept spec and no row yet, as the header names them
     */
    private static Page.Content content(Dataset<Row> table, List<Row> rows, Dataset<Row> trajectories, Dataset<Row> spectra,
            String source, Function<String, String> specs, Path img, Map<String, LossLandscape.Result> landscapes, List<String> pending) {
        StructType schema = table.schema();
        GridAxes.Described all = GridAxes.describe(rows, schema);
        Html h = new Html();
        h.raw("<h1>sharpsweep report</h1><p class=\"muted\">results table <code>").text(source)
                .raw("</code> · <span id=\"points\">").text(String.valueOf(all.rows())).raw("</span> points in ")
                .text(all.sweeps().size() + (all.sweeps().size() == 1 ? " sweep" : " sweeps") + " · "
                        + (img == null ? "updated " : "written ") + Instant.now().truncatedTo(ChronoUnit.SECONDS)).raw("</p>\n");
        if (!pending.isEmpty()) {
            h.raw("<p class=\"note\">No row yet: ").text(String.join(", ", pending)).raw(".</p>\n");
        }
        if (img == null) {
            h.raw("<p class=\"muted\">Pictures as PNG and SVG: <code>sharpsweep report DIR --out DIR</code>.</p>\n");
        }

        Map<String, List<Row>> bySweep = new HashMap<>();
        int sweepAt = schema.fieldIndex(ResultSchema.SWEEP_ID);
        for (Row r : rows) bySweep.computeIfAbsent(r.getString(sweepAt), k -> new ArrayList<>()).add(r);
        Map<String, long[]> measured = trajectoryCounts(trajectories);
        java.util.Set<String> withDensity = densitySweeps(spectra);
        List<SweepSection> sections = new ArrayList<>();
        for (int i = 0; i < all.sweeps().size(); i++) {
            String id = all.sweeps().get(i);
            Column ofSweep = col(ResultSchema.SWEEP_ID).equalTo(id);
            sections.add(new SweepSection(i + 1, id, table.filter(ofSweep), bySweep.get(id), schema,
                    measured.containsKey(id) ? trajectories.filter(ofSweep) : null, measured.getOrDefault(id, new long[3]),
                    withDensity.contains(id) ? spectra.filter(ofSweep) : null, landscapes.get(id), specs.apply(id)));
        }
        if (!sections.isEmpty()) {
            h.raw("<nav><table><tr><th>sweep</th><th>points</th><th>OK</th><th>diverged</th><th>failed</th></tr>\n");
            for (SweepSection s : sections) {
                h.raw("<tr><td><a href=\"#").text(s.anchor()).raw("\">").text(s.id).raw("</a></td>");
                for (long c : s.statusCounts()) h.raw("<td class=\"num\">").text(String.valueOf(c)).raw("</td>");
                h.raw("</tr>\n");
            }
            h.raw("</table></nav>\n");
        }
        List<Page.Sweep> out = new ArrayList<>();
        for (SweepSection s : sections) out.add(new Page.Sweep(s.id, s.anchor(), s.top(), s.bottom(img), s.data()));
        return new Page.Content("sharpsweep report: " + String.join(", ", all.sweeps()), h.toString(), out);
    }

    /** The points of a kept spec, or null when the text is no spec this release reads. */
    private static Integer total(String spec) {
        if (spec == null) return null;
        try {
            return KeptSpecs.ids(spec).size();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Per sweep with trajectory rows: {rows, rows with a finite sharpness, rows with a finite
     * train_loss}, in one Spark job; empty for null.
     */
    private static Map<String, long[]> trajectoryCounts(Dataset<Row> trajectories) {
        Map<String, long[]> out = new HashMap<>();
        if (trajectories == null) return out;
        for (Row r : trajectories.groupBy(col(ResultSchema.SWEEP_ID)).agg(count(lit(1)),
                count(when(Query.finite(col(ResultSchema.SHARPNESS)), 1)),
                count(when(Query.finite(col(ResultSchema.TRAIN_LOSS)), 1))).collectAsList()) {
            out.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
        }
        return out;
    }

    /** The sweeps with rows {@code kind = 'density'} in the spectra table, in one Spark job; empty for null. */
    private static java.util.Set<String> densitySweeps(Dataset<Row> spectra) {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (spectra == null) return out;
        for (Row r : spectra.filter(col(ResultSchema.KIND).equalTo(SpectralDensity.DENSITY)).select(ResultSchema.SWEEP_ID).distinct()
                .collectAsList()) {
            out.add(r.getString(0));
        }
        return out;
    }

    /** The spec of one sweep as the driver kept it (any Hadoop file system), or null if there is none. */
    static String readSpec(SparkSession spark, String resultsDir, String sweepId) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(resultsDir, ResultSchema.specFile(sweepId));
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) return null;
            try (InputStream in = fs.open(p)) {
                return new String(in.readNBytes(MAX_SPEC_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * One sweep's section: its text (before and after the interactive views) and its views'
     * model, from the same few Spark jobs (describe, independent axes, summary, the collected
     * rows, and the trajectory and density where the sweep has them).
     */
    private static final class SweepSection {
        final int number;
        final String id;
        /** The sweep's rows: for the pictures and the joins of the tables beside them. */
        final Dataset<Row> rows;
        /** The same rows, collected: for the text and the page's model. */
        final List<Row> collected;
        final StructType schema;
        final GridAxes.Described described;
        /** Counts and statistics in the layout of {@link #summarise}. */
        final Row summary;
        /** Trajectory rows: all, with a finite sharpness, with a finite train_loss. */
        final long[] measured;
        /** The metric during training drawn, or null when the sweep has no trajectories or none with a value. */
        final Trajectory.Result trajectory;
        /** Its points' spectral densities when it has density rows, else null. */
        final SpectralDensity.Result density;
        /** The loss landscape of one of its points, or null. */
        final LossLandscape.Result landscape;
        /** Its spec's text, or null; the points of that spec, or null when it is no spec this release reads. */
        final String spec;
        final Integer total;
        /** Varying settings, the independent ones first; the heatmap axes (independent, replicate left out). */
        final List<String> columns;
        final List<String> axes;
        final PageModel points;

        /**
         * @param collected    the sweep's rows, collected, each with the columns of {@code schema}
         * @param trajectories the sweep's trajectory rows, or null if it has none
         * @param spectra      its spectra rows when it has density rows, else null
         */
        SweepSection(int number, String id, Dataset<Row> rows, List<Row> collected, StructType schema, Dataset<Row> trajectories,
                long[] measured, Dataset<Row> spectra, LossLandscape.Result landscape, String spec) {
            this.number = number;
            this.id = id;
            this.rows = rows;
            this.collected = collected;
            this.schema = schema;
            this.measured = measured;
            this.landscape = landscape;
            this.spec = spec;
            this.total = total(spec);
            this.described = GridAxes.describe(collected, schema);
            this.summary = summarise(collected, schema);
            List<String> independent = GridAxes.independent(collected, schema, described.values());
            List<String> a = new ArrayList<>(independent);
            a.remove(ResultSchema.REPLICATE);
            this.axes = List.copyOf(a);
            List<String> c = new ArrayList<>(independent);
            for (String v : described.varying()) if (!c.contains(v)) c.add(v);
            this.columns = List.copyOf(c);
            this.points = PageModel.of(collected, schema, columns);
            String metric = measured[1] > 0 ? ResultSchema.SHARPNESS : measured[2] > 0 ? ResultSchema.TRAIN_LOSS : null;
            this.trajectory = trajectories == null || metric == null ? null
                    : Trajectory.compute(rows, trajectories, "sweep " + id, new Trajectory.Options(metric, null, null, id));
            this.density = spectra == null ? null : SpectralDensity.compute(rows, spectra, "sweep " + id, new SpectralDensity.Options(null, null, id));
        }

        String anchor() {
            return "sweep-" + number;
        }

        /** points, OK, DIVERGED, FAILED. */
        long[] statusCounts() {
            return new long[] {summary.getLong(0), summary.getLong(1), summary.getLong(2), summary.getLong(3)};
        }

        /**
         * Counts by status, wall seconds, stable points, then per summary metric over OK points:
         * count of values, min, median, max; as Spark SQL's count, sum, min, median and max would
         * give them (nulls left out, NaN above every number, the median of an even count the mean
         * of the middle two), in one row: points, OK, DIVERGED, FAILED, train seconds, measure
         * seconds, OK points with stability_max_eig <= 1, with stability_max_eig_pos <= 1, with a
         * stability_max_eig_pos, then four values per metric from {@link #METRICS_AT}.
         */
        private static Row summarise(List<Row> rows, StructType schema) {
            int status = schema.fieldIndex(ResultSchema.STATUS);
            int eig = schema.fieldIndex(ResultSchema.STABILITY_MAX_EIG), eigPos = schema.fieldIndex(Measures.STABILITY_MAX_EIG_POS);
            long ok = 0, diverged = 0, failed = 0, stable = 0, stablePos = 0, measuredPos = 0;
            Double train = null, measure = null;
            List<List<Double>> metrics = new ArrayList<>();
            for (int i = 0; i < SUMMARY_METRICS.size(); i++) metrics.add(new ArrayList<>());
            for (Row r : rows) {
                String s = r.getString(status);
                train = plus(train, r.get(schema.fieldIndex(ResultSchema.TRAIN_SECONDS)));
                measure = plus(measure, r.get(schema.fieldIndex(ResultSchema.MEASURE_SECONDS)));
                if (Status.DIVERGED.name().equals(s)) diverged++;
                if (Status.FAILED.name().equals(s)) failed++;
                if (!Status.OK.name().equals(s)) continue;
                ok++;
                if (r.get(eig) instanceof Number n && n.doubleValue() <= 1.0) stable++;
                if (r.get(eigPos) instanceof Number n) {
                    measuredPos++;
                    if (n.doubleValue() <= 1.0) stablePos++;
                }
                for (int i = 0; i < SUMMARY_METRICS.size(); i++) {
                    if (r.get(schema.fieldIndex(SUMMARY_METRICS.get(i))) instanceof Number n) metrics.get(i).add(n.doubleValue());
                }
            }
            List<Object> v = new ArrayList<>(List.of(rows.size() * 1L, ok, diverged, failed));
            v.add(train);
            v.add(measure);
            v.addAll(List.of(stable, stablePos, measuredPos));
            for (List<Double> m : metrics) {
                m.sort(Double::compare);
                int n = m.size();
                v.add((long) n);
                v.add(n == 0 ? null : m.get(0));
                v.add(n == 0 ? null : n % 2 == 1 ? m.get(n / 2) : (m.get(n / 2 - 1) + m.get(n / 2)) / 2);
                v.add(n == 0 ? null : m.get(n - 1));
            }
            return org.apache.spark.sql.RowFactory.create(v.toArray());
        }

        private static Double plus(Double sum, Object v) {
            if (!(v instanceof Number n)) return sum;
            return sum == null ? n.doubleValue() : sum + n.doubleValue();
        }

        private static final int METRICS_AT = 9;

        long valueCount(String metric) {
            return summary.getLong(METRICS_AT + 4 * SUMMARY_METRICS.indexOf(metric));
        }

        /** The text before the interactive views: title, progress, settings and spec, summary. */
        String top() {
            Html h = new Html();
            h.raw("<h2>Sweep <code>").text(id).raw("</code></h2>\n");
            writeProgress(h);
            writeSpec(h, spec, columns, axes);
            writeSummary(h);
            return h.toString();
        }

        /**
         * The text after the interactive views: with {@code img}, the pictures written there (PNG
         * and SVG); then the correlations and the points that diverged or failed.
         */
        String bottom(Path img) {
            Html h = new Html();
            if (img != null) {
                writeHeatmaps(h, img, axes);
                writeDiagrams(h, img, described.varying());
                if (measured[0] > 0) writeTrajectories(h, img);
                if (density != null) writeDensity(h, img);
                if (landscape != null) writeLandscape(h, img);
            }
            writeCorrelation(h);
            writeFailures(h, columns);
            return h.toString();
        }

        /** The model of the interactive views ({@link PageModel}). */
        com.fasterxml.jackson.databind.node.ObjectNode data() {
            List<String> heatmapMetrics = HEATMAP_METRICS.stream().filter(m -> valueCount(m) > 0).toList();
            return points.data(total, axes, described.values(), heatmapMetrics, trajectory, density);
        }

        /** Points done by status, against the kept spec's total when there is one. */
        private void writeProgress(Html h) {
            long[] c = statusCounts();
            h.raw("<p class=\"progress\" data-done=\"").text(String.valueOf(c[0])).raw("\" data-total=\"")
                    .text(total == null ? "" : String.valueOf(total)).raw("\">");
            if (total != null) {
                h.raw("<progress value=\"").text(String.valueOf(Math.min(c[0], total))).raw("\" max=\"").text(String.valueOf(total))
                        .raw("\"></progress> ").text(c[0] + " of " + total + " points done");
            } else {
                h.text(c[0] + " points");
            }
            h.text(": " + c[1] + " OK, " + c[2] + " diverged, " + c[3] + " failed").raw("</p>\n");
        }

        private void writeSpec(Html h, String spec, List<String> varying, List<String> axes) {
            h.raw("<h3>Settings</h3>\n<div class=\"cols\"><div><h4>Grid axes</h4><table><tr><th>axis</th><th>values</th></tr>\n");
            if (varying.isEmpty()) h.raw("<tr><td colspan=\"2\">none: a single point</td></tr>\n");
            for (String c : varying) {
                List<Object> vals = described.values().get(c);
                boolean log = Format.isLogSpaced(vals);
                h.raw("<tr><td><code>").text(c).raw("</code>");
                if (!axes.contains(c) && !c.equals(ResultSchema.REPLICATE)) h.raw(" <span class=\"muted\">(follows another axis)</span>");
                if (c.equals(ResultSchema.REPLICATE)) h.raw(" <span class=\"muted\">(averaged in heatmaps)</span>");
                h.raw("</td><td>").text(String.join(", ", Format.axisLabels(vals, log)) + (log ? "  (log-spaced)" : ""))
                        .raw("</td></tr>\n");
            }
            h.raw("</table></div><div class=\"wide\"><h4>Fixed settings</h4><ul class=\"settings\">\n");
            described.constants().forEach((k, v) -> {
                if (v != null) h.raw("<li><code>").text(k).raw("</code> = ").text(Query.show(v)).raw("</li>\n");
            });
            h.raw("</ul></div></div>\n");
            if (spec != null) {
                h.raw("<details open><summary><code>").text(ResultSchema.specFile(id)).raw("</code>, the spec as run</summary><pre>").text(spec)
                        .raw("</pre></details>\n");
            }
        }

        private void writeSummary(Html h) {
            long[] c = statusCounts();
            h.raw("<h3>Summary</h3>\n<table><tr><th>points</th><th>OK</th><th>diverged</th><th>failed</th>"
                    + "<th>linearly stable (stability_max_eig ≤ 1)</th><th>on H's positive part (stability_max_eig_pos ≤ 1)</th>"
                    + "<th>training / measuring time</th></tr>\n<tr>");
            for (long x : c) h.raw("<td class=\"num\">").text(String.valueOf(x)).raw("</td>");
            long stable = summary.getLong(6);
            long measured = valueCount(ResultSchema.STABILITY_MAX_EIG);
            h.raw("<td class=\"num\">").text(measured == 0 ? "not measured" : stable + " of " + measured).raw("</td>");
            long positive = summary.getLong(8);
            h.raw("<td class=\"num\">").text(positive == 0 ? "not measured" : summary.getLong(7) + " of " + positive).raw("</td>");
            h.raw("<td class=\"num\">").text(seconds(summary, 4) + " / " + seconds(summary, 5)).raw("</td></tr></table>\n");
            if (measured > 0) {
                h.raw("<p class=\"muted\">The stability criterion is a statement about minima. Where training stopped"
                        + " short of one, small negative Hessian eigenvalues λ give stability_max_eig = (1 + lr|λ|)² a little"
                        + " above 1 (1.001 to 1.02 is typical): read that as “not at a minimum yet”, not as “unstable”."
                        + " stability_max_eig_pos leaves those directions out (hessian_min_eig and stability_neg_dirs say how"
                        + " many and how negative).</p>\n");
            }

            h.raw("<table><tr><th>metric (OK points)</th><th>points with a value</th><th>min</th><th>median</th><th>max</th></tr>\n");
            for (int i = 0; i < SUMMARY_METRICS.size(); i++) {
                String m = SUMMARY_METRICS.get(i);
                int at = METRICS_AT + 4 * i;
                h.raw("<tr><td><code>").text(m).raw("</code> <span class=\"muted\">").text(Labels.metric(m).equals(m) ? "" : Labels.metric(m))
                        .raw("</span></td><td class=\"num\">").text(String.valueOf(summary.getLong(at))).raw("</td>");
                for (int k = 1; k <= 3; k++) {
                    h.raw("<td class=\"num\">").text(summary.isNullAt(at + k) ? "—" : Format.number(summary.getDouble(at + k), 4)).raw("</td>");
                }
                h.raw("</tr>\n");
            }
            h.raw("</table>\n");
        }

        private static String seconds(Row r, int i) {
            return r.isNullAt(i) ? "—" : Format.number(r.getDouble(i), 3) + " s";
        }

        private void writeHeatmaps(Html h, Path img, List<String> axes) {
            h.raw("<h3>Heatmaps</h3>\n");
            List<String> drawn = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (String m : HEATMAP_METRICS) (valueCount(m) > 0 ? drawn : skipped).add(m);
            h.raw("<p class=\"muted\">One cell per grid value; other axes and seed replicates averaged over OK points "
                    + "(the title names them). Red hatching: every point of the cell diverged; grey cross-hatching: every point "
                    + "failed; blank: no point. Click an image for its SVG.</p>\n");
            if (!skipped.isEmpty()) {
                h.raw("<p class=\"note\">Not drawn, no value at any OK point (e.g. accuracy on a regression task, or a metric "
                        + "that was not measured): ");
                h.text(String.join(", ", skipped)).raw("</p>\n");
            }
            if (axes.isEmpty()) {
                h.raw("<p class=\"note\">No grid axis varies in this sweep: nothing to draw a heatmap over.</p>\n");
                return;
            }
            if (drawn.isEmpty()) return;
            List<String[]> pairs = new ArrayList<>();
            if (axes.size() == 1) pairs.add(new String[] {axes.get(0), null});
            for (int i = 0; i < axes.size(); i++) {
                for (int j = i + 1; j < axes.size(); j++) pairs.add(new String[] {axes.get(i), axes.get(j)});
            }
            for (String[] p : pairs) {
                h.raw("<h4>").text(p[1] == null ? Labels.axis(p[0]) : Labels.axis(p[0]) + " × " + Labels.axis(p[1])).raw("</h4>\n<div class=\"figs\">\n");
                for (String m : drawn) {
                    String base = "s" + number + "-" + safe(id) + "-heatmap-" + m + "-" + p[0] + (p[1] == null ? "" : "-" + p[1]);
                    HeatmapResult r = Heatmap.render(rows, described,
                            new HeatmapOptions(m, p[0], p[1], null, Aggregation.MEAN, HEATMAP_WIDTH, HEATMAP_HEIGHT),
                            List.of(img.resolve(base + ".png"), img.resolve(base + ".svg")));
                    figure(h, base, r.title());
                }
                h.raw("</div>\n");
            }
        }

        private void writeDiagrams(Html h, Path img, List<String> varying) {
            h.raw("<h3>Sharpness / non-uniformity diagram</h3>\n");
            if (valueCount(ResultSchema.SHARPNESS) == 0 || valueCount(ResultSchema.NONUNIFORMITY) == 0) {
                h.raw("<p class=\"note\">Not drawn: no OK point has both sharpness and non-uniformity.</p>\n");
                return;
            }
            h.raw("<p class=\"muted\">Each rectangle is the region where SGD with that (lr, B) can be linearly stable:"
                    + " sharpness ≤ 2/lr and non-uniformity ≤ √(B(n−1)/(n−B))/lr (Wu, Ma &amp; E 2018). A cross in a red ring is"
                    + " a point outside its own region.</p>\n<div class=\"figs\">\n");
            List<String> colourings = new ArrayList<>(List.of(Diagram.BY_LR));
            if (varying.contains("batch_size") && varying.contains("lr")) colourings.add(Diagram.BY_BATCH_SIZE);
            for (String by : colourings) {
                String base = "s" + number + "-" + safe(id) + "-diagram-" + by;
                DiagramResult r = Diagram.render(rows, null, by, DIAGRAM_WIDTH, DIAGRAM_HEIGHT,
                        List.of(img.resolve(base + ".png"), img.resolve(base + ".svg")));
                figure(h, base, r.title());
            }
            h.raw("</div>\n");
        }

        /**
         * The metric during training, one line per point: sharpness with each lr's 2/lr when any
         * measurement has one, else the training loss.
         */
        private void writeTrajectories(Html h, Path img) {
            h.raw("<h3>Trajectories</h3>\n");
            if (trajectory == null) {
                h.raw("<p class=\"note\">Not drawn: no measurement during training has a finite sharpness or train_loss.</p>\n");
                return;
            }
            Trajectory.Result r = trajectory;
            String metric = r.metric();
            String base = "s" + number + "-" + safe(id) + "-trajectory-" + metric;
            Figure p = new TrajectoryPainter(r, TRAJECTORY_WIDTH, TRAJECTORY_HEIGHT).figure();
            Figure.write(p, img.resolve(base + ".png"));
            Figure.write(p, img.resolve(base + ".svg"));
            String caption = Labels.metric(metric) + " at each of " + r.measurements() + " measurements of " + r.lines().size()
                    + (r.lines().size() == 1 ? " point" : " points") + ", coloured by " + Labels.axis(r.colourBy())
                    + (r.bounds().isEmpty() ? "" : "; dashed, each lr's 2/lr (Cohen et al. 2021)") + "; below, the train loss (log scale).";
            h.raw("<div class=\"figs\">\n");
            figure(h, base, r.title(), caption);
            h.raw("</div>\n");
        }

        /** The Hessian's spectral density of each point (stochastic Lanczos quadrature, smoothed as PyHessian does). */
        private void writeDensity(Html h, Path img) {
            h.raw("<h3>Hessian spectral density</h3>\n");
            SpectralDensity.Result r = density;
            String base = "s" + number + "-" + safe(id) + "-density";
            Figure p = new DensityPainter(r, DENSITY_WIDTH, DENSITY_HEIGHT).figure();
            Figure.write(p, img.resolve(base + ".png"));
            Figure.write(p, img.resolve(base + ".svg"));
            String caption = "The Hessian's eigenvalue density of " + r.curves().size() + (r.curves().size() == 1 ? " point" : " points")
                    + " (" + r.method() + "), coloured by " + Labels.axis(r.colourBy())
                    + "; symmetric-log eigenvalue axis, log density; triangles, each point's sharpness.";
            h.raw("<div class=\"figs\">\n");
            figure(h, base, r.title(), caption);
            h.raw("</div>\n");
        }

        /** The loss landscape of one point around its saved parameters (docs/science.md, "Loss landscapes"). */
        private void writeLandscape(Html h, Path img) {
            h.raw("<h3>Loss landscape</h3>\n");
            String base = "s" + number + "-" + safe(id) + "-landscape";
            Figure p = new LandscapePainter(landscape, LandscapePainter.WIDTH, LandscapePainter.HEIGHT).figure();
            Figure.write(p, img.resolve(base + ".png"));
            Figure.write(p, img.resolve(base + ".svg"));
            String caption = "Point " + landscape.pointId() + (landscape.settings().isEmpty() ? "" : " (" + landscape.settings() + ")")
                    + ", the first of the sweep with saved parameters: train (solid) and test (dashed) loss along the top Hessian "
                    + "eigenvector, a filter-normalized random direction (Li et al. 2018) and the straight path from its initial "
                    + "parameters (Goodfellow et al. 2015); sharpsweep landscape draws any other point.";
            h.raw("<div class=\"figs\">\n");
            figure(h, base, "Loss landscape of point " + landscape.pointId(), caption);
            h.raw("</div>\n");
        }

        private static void figure(Html h, String base, String title) {
            figure(h, base, title, null);
        }

        /** An image linking its SVG, with a one-line caption before the link when {@code caption} is not null. */
        private static void figure(Html h, String base, String title, String caption) {
            h.raw("<figure><a href=\"img/").text(base).raw(".svg\"><img src=\"img/").text(base).raw(".png\" alt=\"")
                    .text(title).raw("\"></a><figcaption>");
            if (caption != null) h.text(caption).raw(" ");
            h.raw("<a href=\"img/").text(base).raw(".svg\">SVG</a></figcaption></figure>\n");
        }

        /**
         * Which measure predicts the generalization gap, as {@code sharpsweep correlate} with its
         * defaults computes it ({@link Correlate}): over the OK points, psi per heatmap axis that
         * varies among them, seed replicates held fixed.
         */
        private void writeCorrelation(Html h) {
            h.raw("<h3>Which measure predicts the generalization gap</h3>\n");
            List<Map<String, Object>> ok = points.okRows();
            List<String> psiAxes = axes.stream().filter(a -> ok.stream().map(r -> r.get(a)).distinct().count() > 1).toList();
            List<String> held = columns.contains(ResultSchema.REPLICATE) ? List.of(ResultSchema.REPLICATE) : List.of();
            Correlate.Result r;
            try {
                r = Correlate.of(ok, psiAxes, held, Correlate.DEFAULT_TARGET, Correlate.DEFAULT_MEASURES.stream()
                        .filter(m -> !m.equals(Correlate.DEFAULT_TARGET)).toList(), false, points.size());
            } catch (IllegalArgumentException e) {
                h.raw("<p class=\"note\">Not computed: ").text(e.getMessage()).raw(".</p>\n");
                return;
            }
            h.raw("<p class=\"muted\">Kendall's τ of each measure against ").text(r.target())
                    .raw(" over the OK points with both values, ψ per grid axis (the mean τ where only that axis changes) and their "
                            + "mean Ψ (Jiang et al. 2019, §6); the same as <code>sharpsweep correlate</code>. <span class=\"correlation-scope\">"
                            + "Over all OK points.</span></p>\n");
            // the page's script computes the same table again over the points the filters and the brushing select, from
            // these attributes (docs/commands.md, "The page")
            h.raw("<table class=\"correlation\" data-target=\"").text(r.target()).raw("\" data-axes=\"").text(String.join(",", r.axes()))
                    .raw("\" data-held=\"").text(String.join(",", r.heldFixed())).raw("\"><tr><th>measure</th><th>points</th><th>τ</th>");
            for (String a : r.axes()) h.raw("<th>ψ ").text(a).raw("</th>");
            h.raw("<th>Ψ</th></tr>\n");
            for (Correlate.Line l : r.lines()) {
                h.raw("<tr data-measure=\"").text(l.measure()).raw("\"><td><code>").text(l.measure())
                        .raw("</code></td><td class=\"num\" data-c=\"n\">").text(String.valueOf(l.result().n()))
                        .raw("</td><td class=\"num\" data-c=\"tau\">").text(Format.number(l.result().tau(), 3)).raw("</td>");
                for (String a : r.axes()) {
                    h.raw("<td class=\"num\" data-c=\"psi\" data-axis=\"").text(a).raw("\">").text(Format.number(l.result().psi().get(a), 3))
                            .raw("</td>");
                }
                h.raw("<td class=\"num\" data-c=\"psimean\">").text(Format.number(l.result().psiMean(), 3)).raw("</td></tr>\n");
            }
            h.raw("</table>\n");
            if (!r.noValues().isEmpty()) {
                h.raw("<p class=\"muted\">Left out, fewer than 2 OK points with a value: ").text(String.join(", ", r.noValues())).raw("</p>\n");
            }
        }

        private void writeFailures(Html h, List<String> varying) {
            h.raw("<h3>Diverged and failed points</h3>\n");
            long bad = summary.getLong(2) + summary.getLong(3);
            if (bad == 0) {
                h.raw("<p>None: every point finished OK.</p>\n");
                return;
            }
            List<String> axisCols = new ArrayList<>(varying);
            List<String> cols = new ArrayList<>();
            cols.add(ResultSchema.POINT_ID);
            cols.addAll(axisCols);
            cols.addAll(List.of(ResultSchema.STATUS, ResultSchema.DIVERGED_AT_STEP, ResultSchema.ERROR));
            int[] at = cols.stream().mapToInt(schema::fieldIndex).toArray();
            int status = schema.fieldIndex(ResultSchema.STATUS);
            // by status, the axes and the point id, nulls first (Spark SQL's ascending order)
            java.util.Comparator<Object> ascending = (x, y) -> x == null || y == null ? GridAxes.VALUE_ORDER.compare(y, x)
                    : GridAxes.VALUE_ORDER.compare(x, y);
            java.util.Comparator<Row> order = java.util.Comparator.comparing(r -> r.getString(status));
            for (String a : axisCols) order = order.thenComparing(r -> r.get(schema.fieldIndex(a)), ascending);
            order = order.thenComparing(r -> r.getString(schema.fieldIndex(ResultSchema.POINT_ID)));
            List<Row> failed = collected.stream().filter(r -> !Status.OK.name().equals(r.getString(status))).sorted(order)
                    .limit(MAX_FAILURE_ROWS).map(r -> {
                        Object[] v = new Object[at.length];
                        for (int i = 0; i < at.length; i++) v[i] = r.get(at[i]);
                        return org.apache.spark.sql.RowFactory.create(v);
                    }).toList();
            if (bad > failed.size()) {
                h.raw("<p class=\"note\">").text("The first " + failed.size() + " of " + bad + " are listed.").raw("</p>\n");
            }
            h.raw("<table class=\"failures\"><tr><th>point_id</th>");
            for (String a : axisCols) h.raw("<th>").text(a).raw("</th>");
            h.raw("<th>status</th><th>diverged_at_step</th><th>error</th></tr>\n");
            for (Row r : failed) {
                h.raw("<tr class=\"").text(r.getString(axisCols.size() + 1).toLowerCase(java.util.Locale.ROOT)).raw("\"><td><code>")
                        .text(r.getString(0)).raw("</code></td>");
                for (int i = 0; i < axisCols.size(); i++) h.raw("<td class=\"num\">").text(Query.show(r.get(1 + i))).raw("</td>");
                int s = axisCols.size() + 1;
                h.raw("<td>").text(r.getString(s)).raw("</td><td class=\"num\">").text(r.isNullAt(s + 1) ? "—" : String.valueOf(r.get(s + 1)))
                        .raw("</td><td>");
                String error = r.isNullAt(s + 2) ? "" : r.getString(s + 2);
                String first = error.lines().findFirst().orElse("");
                if (first.equals(error.strip()) && first.length() <= 200) {
                    h.text(first);
                } else {
                    h.raw("<details><summary>").text(first.length() > 200 ? first.substring(0, 200) + "…" : first)
                            .raw("</summary><pre>").text(error).raw("</pre></details>");
                }
                h.raw("</td></tr>\n");
            }
            h.raw("</table>\n");
        }
    }

    /** A file-name-safe form of a sweep id. */
    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** A tiny HTML builder: {@link #text} escapes, {@link #raw} does not. */
    static final class Html {
        private final StringBuilder b = new StringBuilder();

        Html raw(String s) {
            b.append(s);
            return this;
        }

        Html text(String s) {
            if (s == null) return this;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '&' -> b.append("&amp;");
                    case '"' -> b.append("&quot;");
                    case '\'' -> b.append("&#39;");
                    default -> b.append(c);
                }
            }
            return this;
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}

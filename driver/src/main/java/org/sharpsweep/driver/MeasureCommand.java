package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.analysis.Journal;
import org.sharpsweep.analysis.ResultsTable;
import org.sharpsweep.analysis.SparkSchema;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.ResultRow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep measure DIR --sweep NAME [measures]}: measuring is not training. The finished
 * points of a sweep that kept their final parameters ({@code measure.save_params: true}) are
 * measured again at those parameters on the executors, and the new measurements are added to
 * their rows: the results columns rewritten atomically (staged, committed by a manifest, like a
 * compaction), the measure settings columns set to what was measured, the spectra rows appended
 * (a point that already has spectra rows of a kind keeps them). Point ids stay as they are: they
 * name the trained points.
 */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Add measurements to the finished points of a sweep from their saved final parameters, without training again.",
                "The sweep must have run with measure.save_params: true. Give at least one measure."})
final class MeasureCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "results table directory")
    String dir;
    @Option(names = "--sweep", required = true, paramLabel = "NAME", description = "the sweep whose points are measured")
    String sweep;
    @Option(names = "--sharpness", description = "the sharpness (and the stability criterion where it applies)")
    boolean sharpness;
    @Option(names = "--nonuniformity", description = "the non-uniformity (and the stability criterion)")
    boolean nonuniformity;
    @Option(names = "--trace", description = "Hutchinson's trace: hessian_trace, hessian_trace_stderr, hessian_trace_probes")
    boolean trace;
    @Option(names = "--top-k", paramLabel = "K", description = "the K largest eigenvalues into the spectra table")
    int topK;
    @Option(names = "--density", description = "the spectral density (stochastic Lanczos quadrature) into the spectra table")
    boolean density;
    @Option(names = "--tol", paramLabel = "X", description = "Lanczos tolerance (default: the sweep's measure.tol)")
    Double tol;
    @Option(names = "--max-iters", paramLabel = "N", description = "Lanczos cap (default: the sweep's measure.max_iters)")
    Integer maxIters;
    @Option(names = "--trace-tol", paramLabel = "X", description = "Hutchinson's stopping tolerance (default: the sweep's measure.trace_tol)")
    Double traceTol;
    @Option(names = "--nonuniformity-samples", paramLabel = "N", description = "samples Sigma is computed on (default: the sweep's)")
    Integer nonuniformitySamples;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
    String master;

    /** One point to measure: its point with the new measure settings, its saved parameters, its attempt. */
    record Task(String sweepId, GridPoint point, double[] theta, int stepsDone, Instant start) implements Serializable {
        String run() {
            org.sharpsweep.parallel.TaskGpu.bind();
            PointResult r = PointRunner.measureAt(point, theta, stepsDone, start);
            return Journal.encode(ResultRow.of(sweepId, point, r));
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!sharpness && !nonuniformity && !trace && topK == 0 && !density) {
            throw new IllegalArgumentException("give at least one measure: --sharpness, --nonuniformity, --trace, --top-k K or --density");
        }
        checkOptions();
        long t0 = System.nanoTime();
        try (SparkSessions.Handle session = SparkSessions.open("sharpsweep measure", master, List.of())) {
            SparkSession spark = session.spark();
            ResultStore store = ResultStore.open(spark, dir);
            List<String> present = store.sweepsOrRefuse();
            if (!present.contains(sweep)) throw new IllegalArgumentException("--sweep " + sweep + ": no such sweep in " + dir + "; it holds " + present);
            try (SweepLock lock = store.lock(sweep)) {
                store.recover(sweep);
                SweepSpec spec = SweepRunner.readSpec(spark, dir, sweep);
                if (spec == null) throw new IllegalArgumentException("sweep " + sweep + " in " + dir + " has no readable kept spec (_specs/" + sweep + ".yaml)");
                Map<String, GridPoint> byId = new HashMap<>();
                for (GridPoint p : spec.points()) byId.put(p.pointId(), p);

                Map<String, double[]> params = new HashMap<>();
                for (Row r : ResultsTable.read(spark, dir, ResultSchema.PARAMS_TABLE).filter(col(ResultSchema.SWEEP_ID).equalTo(sweep))
                        .select(ResultSchema.POINT_ID, ResultSchema.START_TIME, ResultSchema.PARAMS).collectAsList()) {
                    params.put(key(r.getString(0), r.getTimestamp(1)), Journal.doubles(r.get(2)));
                }
                Set<String> hasSpectrum = new HashSet<>();
                for (Row r : ResultsTable.read(spark, dir, ResultSchema.SPECTRA).filter(col(ResultSchema.SWEEP_ID).equalTo(sweep))
                        .select(ResultSchema.POINT_ID, ResultSchema.START_TIME, ResultSchema.KIND).distinct().collectAsList()) {
                    hasSpectrum.add(key(r.getString(0), r.getTimestamp(1)) + "#" + r.getString(2));
                }
                List<Task> tasks = new ArrayList<>();
                int ok = 0, unsaved = 0, unknown = 0;
                for (Row r : ResultsTable.read(spark, dir).filter(col(ResultSchema.SWEEP_ID).equalTo(sweep)
                                .and(col(ResultSchema.STATUS).equalTo("OK")))
                        .select(ResultSchema.POINT_ID, ResultSchema.START_TIME, ResultSchema.STEPS_DONE).collectAsList()) {
                    ok++;
                    String k = key(r.getString(0), r.getTimestamp(1));
                    double[] theta = params.get(k);
                    GridPoint p = byId.get(r.getString(0));
                    if (theta == null) {
                        unsaved++;
                        continue;
                    }
                    if (p == null) {
                        unknown++;
                        continue;
                    }
                    MeasureSpec m = measures(p.spec().measure(), !hasSpectrum.contains(k + "#top_k"), !hasSpectrum.contains(k + "#density"));
                    PointSpec s = new PointSpec(p.spec().data(), p.spec().model(), p.spec().loss(), p.spec().train(), p.spec().penalty(), m);
                    tasks.add(new Task(sweep, new GridPoint(p.index(), p.pointId(), p.sweepSeed(), p.replicate(), p.seed(), s, p.axes()),
                            theta, r.getInt(2), r.getTimestamp(1).toInstant()));
                }
                if (tasks.isEmpty()) {
                    throw new IllegalArgumentException("sweep " + sweep + ": none of its " + ok + " OK points kept its final parameters"
                            + (unknown > 0 ? " under its kept spec" : "")
                            + "; run it with measure.save_params: true (sharpsweep run SPEC --out " + dir + " --restart)");
                }
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                jsc.setJobDescription("measure " + tasks.size() + " points of " + sweep);
                List<String> lines = jsc.parallelize(tasks, tasks.size()).map(Task::run).collect();
                int failed = apply(spark, store, lines);
                System.out.printf("sweep %s: %d points measured (%s) in %.1f s%s%s%n", sweep, tasks.size() - failed, what(),
                        (System.nanoTime() - t0) / 1e9,
                        unsaved > 0 ? "; " + unsaved + " OK points without saved parameters left as they were" : "",
                        failed > 0 ? "; " + failed + " failed (their rows unchanged)" : "");
                return failed > 0 ? 1 : 0;
            }
        }
    }

    /** Every option's range, before Spark starts, naming the option and the value. */
    void checkOptions() {
        if (topK < 0) throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        if (tol != null && !(tol > 0 && tol < 1)) throw new IllegalArgumentException("--tol must be in (0, 1), got " + tol);
        if (traceTol != null && !(traceTol > 0 && traceTol < 1)) {
            throw new IllegalArgumentException("--trace-tol must be in (0, 1), got " + traceTol);
        }
        if (maxIters != null && maxIters < 1) throw new IllegalArgumentException("--max-iters must be >= 1, got " + maxIters);
        if (maxIters != null && topK > maxIters) {
            throw new IllegalArgumentException("--top-k " + topK + " is more than --max-iters " + maxIters + " Lanczos steps can resolve");
        }
        if (nonuniformitySamples != null && nonuniformitySamples < 0) {
            throw new IllegalArgumentException("--nonuniformity-samples must be >= 0 (0 = all), got " + nonuniformitySamples);
        }
    }

    private String what() {
        List<String> w = new ArrayList<>();
        if (sharpness) w.add("sharpness");
        if (nonuniformity) w.add("nonuniformity");
        if (trace) w.add("trace");
        if (topK > 0) w.add("top " + topK);
        if (density) w.add("density");
        return String.join(", ", w);
    }

    private static String key(String pointId, Timestamp start) {
        return pointId + "@" + start.toInstant();
    }

    /** The measures asked for, with the sweep's settings where an option is not given; spectra only where missing. */
    private MeasureSpec measures(MeasureSpec was, boolean topKMissing, boolean densityMissing) {
        return new MeasureSpec(sharpness, nonuniformity, tol != null ? tol : was.tol(), maxIters != null ? maxIters : was.maxIters(),
                nonuniformitySamples != null ? nonuniformitySamples : was.nonuniformitySamples(), 0, 0, trace,
                traceTol != null ? traceTol : was.traceTol(), topKMissing ? topK : 0, density && densityMissing, was.saveParams());
    }

    /**
     * The measure settings columns this run sets on a row it measured, from that row's task
     * settings: those of the measures asked for (a spectrum the point already had is not redone,
     * so its column stays).
     */
    private List<String> settingColumns(Map<String, Object> row) {
        List<String> c = new ArrayList<>();
        if (sharpness) c.add(Setting.MEASURE_SHARPNESS.shortName);
        if (nonuniformity) c.addAll(List.of(Setting.MEASURE_NONUNIFORMITY.shortName, Setting.NONUNIFORMITY_SAMPLES.shortName));
        if (sharpness || nonuniformity) c.addAll(List.of(Setting.TOL.shortName, Setting.MAX_ITERS.shortName));
        if (trace) c.addAll(List.of(Setting.MEASURE_TRACE.shortName, Setting.TRACE_TOL.shortName));
        if (topK > 0 && Integer.valueOf(topK).equals(row.get(Setting.TOP_K.shortName))) c.add(Setting.TOP_K.shortName);
        if (density && Boolean.TRUE.equals(row.get(Setting.MEASURE_DENSITY.shortName))) c.add(Setting.MEASURE_DENSITY.shortName);
        return c;
    }

    /**
     * Appends the spectra rows, then rewrites the sweep's results with the new measurement and
     * setting columns of the measured attempts (matched on point_id and start_time).
     *
     * @return points whose measurement failed (left as they were)
     */
    private int apply(SparkSession spark, ResultStore store, List<String> lines) throws java.io.IOException {
        List<Map<String, Object>> spectra = new ArrayList<>();
        List<Map<String, Object>> updates = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        int failed = 0;
        for (String line : lines) {
            Map<String, Object> row = Journal.decode(line);
            if (!"OK".equals(row.get(ResultSchema.STATUS))) {
                failed++;
                System.err.println("point " + row.get(ResultSchema.POINT_INDEX) + " (" + row.get(ResultSchema.POINT_ID) + "): "
                        + String.valueOf(row.get(ResultSchema.ERROR)).lines().findFirst().orElse(""));
                continue;
            }
            spectra.addAll(Journal.rowsOf(ResultSchema.SPECTRA, row));
            Map<String, Object> u = new LinkedHashMap<>();
            u.put(ResultSchema.POINT_ID, row.get(ResultSchema.POINT_ID));
            u.put(ResultSchema.START_TIME, row.get(ResultSchema.START_TIME));
            for (ResultSchema.Column c : ResultSchema.RESULTS.columns()) {
                if (c.group() != ResultSchema.Group.METRIC || c.name().equals(ResultSchema.STEPS_DONE) || row.get(c.name()) == null) continue;
                u.put(c.name(), row.get(c.name()));
                columns.add(c.name());
            }
            for (String n : settingColumns(row)) {
                u.put(n, row.get(n));
                columns.add(n);
            }
            updates.add(u);
        }
        if (updates.isEmpty()) return failed;
        store.appendRows(ResultSchema.SPECTRA, sweep, spectra);
        // the update rows as a DataFrame: key, measured columns, setting columns
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("_u_" + ResultSchema.POINT_ID, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("_u_" + ResultSchema.START_TIME, DataTypes.TimestampType, false));
        for (String c : columns) fields.add(DataTypes.createStructField("_u_" + c, SparkSchema.sparkType(ResultSchema.RESULTS.column(c).type()), true));
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> u : updates) {
            Object[] v = new Object[fields.size()];
            v[0] = u.get(ResultSchema.POINT_ID);
            v[1] = Timestamp.from((Instant) u.get(ResultSchema.START_TIME));
            int i = 2;
            for (String c : columns) v[i++] = u.get(c);
            rows.add(org.apache.spark.sql.RowFactory.create(v));
        }
        Dataset<Row> upd = spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new)));
        String[] names = SparkSchema.results().fieldNames();
        store.rewrite(sweep, store.dataFiles(sweep), d -> {
            Dataset<Row> joined = d.join(org.apache.spark.sql.functions.broadcast(upd),
                    d.col(ResultSchema.POINT_ID).equalTo(upd.col("_u_" + ResultSchema.POINT_ID))
                            .and(d.col(ResultSchema.START_TIME).equalTo(upd.col("_u_" + ResultSchema.START_TIME))), "left");
            List<Column> out = new ArrayList<>();
            for (String n : names) out.add(columns.contains(n) ? coalesce(col("_u_" + n), d.col(n)).as(n) : d.col(n));
            return joined.select(out.toArray(Column[]::new));
        });
        return failed;
    }
}

package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.analysis.ResultsTable;
import org.sharpsweep.analysis.SparkSchema;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.ResultRow;
import org.sharpsweep.worker.data.Datasets;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs a sweep on Spark: every grid point not yet in the output table is its own Spark job of
 * one task, and rows are appended to the Parquet table (partitioned by {@code sweep_id}) as
 * points finish, so an interrupted sweep loses at most the points that were running, and a
 * rerun computes only what is missing. Points whose row has status OK or DIVERGED are done
 * (both are deterministic results); FAILED points are retried.
 *
 * <p>Orchestration only: the math happens in {@link PointRunner} on the executors.
 */
public final class SweepRunner {
    private SweepRunner() {
    }

    /** Folder inside the output table (hidden from Parquet readers by its leading '_') that keeps each sweep's spec. */

    /**
     * @param saveParamsDir if set, final parameters of the chosen points go to {@code DIR/<sweep>/<point_id>/}
     *                      (a path every executor can write; see PointRunner#saveParams)
     * @param saveParamsPoints indices of the points whose parameters are saved; empty = all
     * @param progress     print a progress line (points done / total, failures, elapsed, ETA) on stderr
     */
    public record Options(String saveParamsDir, Set<Integer> saveParamsPoints, boolean progress) {
        public static Options defaults() {
            return new Options(null, Set.of(), false);
        }
    }

    /** What a run did. */
    public record Summary(String sweepId, int total, int skipped, int ran, int ok, int diverged, int failed, double seconds) {
        @Override
        public String toString() {
            return String.format("sweep %s: %d points, %d already done, %d run (%d OK, %d DIVERGED, %d FAILED) in %.1f s",
                    sweepId, total, skipped, ran, ok, diverged, failed, seconds);
        }
    }

    public static Summary run(SparkSession spark, SweepSpec spec, String outDir) {
        return run(spark, spec, outDir, Options.defaults());
    }

    public static Summary run(SparkSession spark, SweepSpec spec, String outDir, Options options) {
        long t0 = System.nanoTime();
        List<GridPoint> points = spec.points();
        // Bad data paths are errors before any work starts and before anything is written.
        Set<DataSpec> dataSpecs = new HashSet<>();
        for (GridPoint p : points) dataSpecs.add(p.spec().data());
        for (DataSpec d : dataSpecs) Datasets.verify(d);

        Set<String> done = donePoints(spark, spec.name(), outDir);
        List<GridPoint> todo = new ArrayList<>();
        for (GridPoint p : points) if (!done.contains(p.pointId())) todo.add(p);
        int skipped = points.size() - todo.size();
        if (todo.isEmpty()) {
            return new Summary(spec.name(), points.size(), skipped, 0, 0, 0, 0, (System.nanoTime() - t0) / 1e9);
        }
        writeSpec(spark, spec, outDir);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobGroup("sharpsweep-" + spec.name(), "sweep " + spec.name(), true);
        int maxInFlight = Math.max(2, 2 * jsc.defaultParallelism());
        ArrayDeque<GridPoint> queue = new ArrayDeque<>(todo);
        List<InFlight> inFlight = new ArrayList<>();
        List<Row> pending = new ArrayList<>();
        int ok = 0, diverged = 0, failed = 0, finished = 0;
        String sweepId = spec.name();
        try (ProgressBar bar = options.progress() ? progressBar(sweepId, todo.size(), skipped) : null) {
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                while (!queue.isEmpty() && inFlight.size() < maxInFlight) {
                    GridPoint p = queue.poll();
                    inFlight.add(new InFlight(p, submit(jsc, sweepId, p, options), Instant.now()));
                }
                boolean progressed = false;
                for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
                    InFlight f = it.next();
                    if (!f.future.isDone()) continue;
                    it.remove();
                    progressed = true;
                    Row row = collect(sweepId, f);
                    pending.add(row);
                    String status = row.getString(Rows.index(ResultSchema.STATUS));
                    if (Status.OK.name().equals(status)) ok++;
                    else if (Status.DIVERGED.name().equals(status)) diverged++;
                    else failed++;
                    finished++;
                }
                if (!pending.isEmpty()) {
                    append(spark, pending, outDir);
                    pending.clear();
                }
                if (bar != null && progressed) {
                    bar.stepTo(finished);
                    bar.setExtraMessage(String.format(" OK %d, diverged %d, failed %d", ok, diverged, failed));
                }
                if (!progressed) sleep(100);
            }
        }
        return new Summary(sweepId, points.size(), skipped, todo.size(), ok, diverged, failed, (System.nanoTime() - t0) / 1e9);
    }

    private record InFlight(GridPoint point, JavaFutureAction<List<Row>> future, Instant submitted) {
    }

    private static JavaFutureAction<List<Row>> submit(JavaSparkContext jsc, String sweepId, GridPoint point, Options o) {
        String saveDir = o.saveParamsDir() != null
                && (o.saveParamsPoints().isEmpty() || o.saveParamsPoints().contains(point.index()))
                ? o.saveParamsDir() + "/" + sweepId + "/" + point.pointId() : null;
        jsc.setJobDescription("point " + point.index() + " " + point.axes());
        return jsc.parallelize(List.of(point), 1).map(p -> {
            PointResult r = PointRunner.run(p, saveDir == null ? null : Path.of(saveDir));
            return Rows.toSpark(ResultRow.of(sweepId, p, r));
        }).collectAsync();
    }

    /** The point's row, or a FAILED row when Spark lost its task (executor died, job cancelled). */
    private static Row collect(String sweepId, InFlight f) {
        try {
            return f.future.get().get(0);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Rows.toSpark(ResultRow.of(sweepId, f.point, PointResult.failed("Spark task lost: " + cause, f.submitted)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for point " + f.point.index(), e);
        }
    }

    /** Appends rows to the table: one small Parquet file per batch, committed by Spark's protocol. */
    private static void append(SparkSession spark, List<Row> rows, String outDir) {
        spark.createDataFrame(rows, SparkSchema.results())
                .coalesce(1)
                .write()
                .mode(SaveMode.Append)
                .partitionBy(ResultSchema.SWEEP_ID)
                .parquet(outDir);
    }

    /** Point ids of this sweep already in the table with a final status. */
    static Set<String> donePoints(SparkSession spark, String sweepId, String outDir) {
        if (!ResultsTable.exists(spark, outDir)) return Set.of();
        Set<String> done = new HashSet<>();
        ResultsTable.raw(spark, outDir)
                .filter(col(ResultSchema.SWEEP_ID).equalTo(sweepId)
                        .and(col(ResultSchema.STATUS).isin(ResultSchema.DONE_STATUSES.toArray())))
                .select(ResultSchema.POINT_ID).distinct().collectAsList()
                .forEach(r -> done.add(r.getString(0)));
        return done;
    }

    /** Keeps the spec beside the table ({@code _specs/<sweep>.yaml}) for the report and for reruns. */
    private static void writeSpec(SparkSession spark, SweepSpec spec, String outDir) {
        try {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(outDir, ResultSchema.specFile(spec.name()));
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(file, true)) {
                out.write(spec.toYaml().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write to output directory " + outDir + ": " + e.getMessage(), e);
        }
    }

    private static ProgressBar progressBar(String sweepId, int total, int skipped) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName("sweep " + sweepId + (skipped > 0 ? " (" + skipped + " done before)" : ""))
                .setInitialMax(total)
                .setUnit(" points", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(120);
        if (System.console() == null) {
            // not a terminal (CI logs, nohup): a plain line every few seconds instead of a redrawn bar
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 120)).setUpdateIntervalMillis(5000);
        } else {
            b.setUpdateIntervalMillis(500);
        }
        return b.build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}

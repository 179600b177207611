package org.sharpsweep.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.Faults;
import org.sharpsweep.store.SweepLock;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.Journal;
import org.sharpsweep.parallel.DataParallelExecution;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.ResultRow;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.train.StepProgress;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import scala.Function0;
import scala.Function1;
import scala.Function2;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.BoxedUnit;

/**
 * Runs a sweep on Spark. The points not yet in the output table go out as Spark jobs of one
 * task per point, or per lockstep group of small networks ({@link LockstepGroups}: compatible
 * points trained together; at most {@link #POINTS_PER_JOB} tasks per job); each task's rows come back to the
 * driver as soon as the task ends, each journaled there at once (durable before it is counted),
 * and reaches Parquet in batches of {@link ResultStore#ROWS_PER_FILE} rows and at the end of the
 * run ({@link ResultStore}). So an interrupted sweep loses at most the points that were running,
 * a rerun computes only what is missing, and the table stays a handful of files. Points whose
 * row has status OK or DIVERGED are done (both are deterministic results); FAILED points are
 * retried.
 *
 * <p>A stopped run (Ctrl-C, SIGTERM, the context stopped, a job cancelled: {@link Interruption})
 * records nothing for the points it interrupted, neither the job failures it causes nor a FAILED
 * row that reaches the driver once it has begun; the run ends with {@link Interruption.Stopped}
 * once the rows of the points that finished are journaled.
 *
 * <p>If Spark loses a task for good (its executor died more often than
 * {@code spark.task.maxFailures} allows), its job ends; the points of that job that had not
 * reported are then run again one job each, so that only the point whose task keeps failing
 * becomes a FAILED row.
 *
 * <p>Points with {@code train.parallel: data} run after the others, one at a time from the
 * driver, each with the whole cluster ({@link DataParallelExecution}).
 *
 * <p>Orchestration only: the math happens in {@link PointRunner} on the executors.
 */
public final class SweepRunner {
    private SweepRunner() {
    }

    /** Tasks (points or lockstep groups) per Spark job: bounds how many a lost job sends back for a rerun one point at a time. */
    static final int POINTS_PER_JOB = 1000;

    /**
     * @param saveParamsDir if set, final parameters of the chosen points go to {@code DIR/<sweep>/<point_id>/}
     *                      (a path every executor can write; see PointRunner#saveParams)
     * @param saveParamsPoints indices of the points whose parameters are saved; empty = all
     * @param progress     print a progress line (points done / total, failures, elapsed, ETA) on stderr
     * @param restart      if the table holds the sweep under a different configuration, move its rows and spec
     *                     to {@code DIR/_archive/<sweep>/<time>/} and start the sweep over (else that is refused)
     */
    public record Options(String saveParamsDir, Set<Integer> saveParamsPoints, boolean progress, boolean restart) {
        public static Options defaults() {
            return new Options(null, Set.of(), false, false);
        }
    }

    /**
     * What a run did.
     *
     * @param firstError the first FAILED point's index and the first line of its error, or null
     */
    public record Summary(String sweepId, int total, int skipped, int ran, int ok, int diverged, int failed, double seconds,
                          String firstError) {
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
        spec = resolveSeeds(spec, readSpec(spark, outDir, spec.name()));
        List<GridPoint> points = spec.points();
        // Bad data paths are errors before any work starts and before anything is written.
        for (DataSpec d : spec.dataSpecs()) Datasets.verify(d);
        // so is a restart from parameters of another network or data (RunCommand checked it before Spark too)
        RestartSources.check(org.sharpsweep.store.TableFiles.of(spark.sparkContext().hadoopConfiguration(), outDir), outDir, points);

        String sweepId = spec.name();
        ResultStore store = ResultStore.open(spark, outDir);
        try (SweepLock lock = store.lock(sweepId)) {
            store.recover(sweepId);
            Map<String, Boolean> inTable = store.points(sweepId); // after recover(): the journal is folded in
            boolean archive = false;
            try {
                SpecChange.check(spec, readSpec(spark, outDir, sweepId), inTable.keySet(), outDir,
                        "rerun with --restart to move the old rows to " + outDir + "/" + ResultStore.ARCHIVE_DIR + "/ and start over");
            } catch (IllegalArgumentException refused) {
                if (!options.restart()) throw refused;
                archive = true; // another configuration: its rows move aside, once every check below has passed
                inTable = Map.of();
            }
            Set<String> done = new HashSet<>();
            inTable.forEach((id, isDone) -> {
                if (isDone) done.add(id);
            });
            if (!done.isEmpty() && !options.restart()) noteMeasureChange(spec, readSpec(spark, outDir, sweepId), done.size(), outDir);
            // by index: the grid's points are computed as they are read, never all held at once (SweepSpec.points)
            int[] todoIndex = java.util.stream.IntStream.range(0, points.size()).filter(i -> !done.contains(points.get(i).pointId())).toArray();
            List<GridPoint> todo = new IndexedPoints(points, todoIndex);
            int skipped = points.size() - todo.size();
            Map<String, double[]> starts = SavedParams.forPoints(spark, outDir, todo);
            if (archive) { // every check has passed: only now does the table change
                org.apache.hadoop.fs.Path to = store.archive(sweepId);
                System.out.println("sweep " + sweepId + ": its rows and spec of another configuration moved to " + to);
            }
            if (todo.isEmpty()) {
                store.compactIfNeeded(sweepId);
                return new Summary(sweepId, points.size(), skipped, 0, 0, 0, 0, (System.nanoTime() - t0) / 1e9, null);
            }
            writeSpec(spark, spec, outDir);
            Counts counts = new Counts();
            try (ProgressBar bar = options.progress() ? progressBar(sweepId, todo.size(), skipped,
                    () -> counts.finished + (counts.running == null ? "" : " " + counts.running.phases())) : null;
                 PointProgress running = bar == null ? null : new PointProgress(spark.sparkContext(), () -> describe(bar, counts, null));
                 Batches batches = new Batches(store, sweepId, spark.sparkContext())) {
                if (running != null) counts.running = running;
                Consumer<String> sink = line -> {
                    Map<String, Object> row = batches.add(line);
                    if (row == null) {
                        counts.interrupted++;
                        return;
                    }
                    counts.add(row);
                    if (bar != null) {
                        bar.stepTo(counts.finished);
                        describe(bar, counts, null);
                    }
                };
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                List<GridPoint> spread = new ArrayList<>();
                List<GridPoint> alone = new IndexedPoints(points, java.util.Arrays.stream(todoIndex).filter(i -> {
                    if (!points.get(i).spec().train().dataParallel()) return true;
                    spread.add(points.get(i));
                    return false;
                }).toArray());
                counts.interrupted += new Dispatch(jsc, sweepId, options, new Jobs(alone, Math.max(1, jsc.defaultParallelism())),
                        starts, sink, running == null ? null : running.accumulator()).run();
                for (GridPoint p : spread) {
                    if (Interruption.stopping(jsc.sc(), (String) null)) {
                        counts.interrupted++; // not started: no row either
                        continue;
                    }
                    DataParallelExecution.Steps steps = bar == null ? null : (stepsDone, all, loss) -> describe(bar, counts,
                            String.format(Locale.ROOT, "point %d step %,d/%,d", p.index(), stepsDone, all));
                    sink.accept(runDataParallel(jsc, sweepId, options, p, starts, steps));
                }
                if (counts.interrupted > 0) {
                    // the journal keeps the finished points' rows; Parquet only while nothing is shutting down (else the rerun's)
                    if (!Interruption.stopping(spark.sparkContext(), (String) null)) batches.finish();
                    throw new Interruption.Stopped(sweepId, counts.finished, counts.interrupted);
                }
                batches.finish();
            }
            store.compactIfNeeded(sweepId);
            return new Summary(sweepId, points.size(), skipped, todo.size(), counts.ok, counts.diverged, counts.failed,
                    (System.nanoTime() - t0) / 1e9, counts.firstError);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the results table " + outDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The progress line's message: the counts of finished points, then what is running (the
     * tasks' reports, {@link PointProgress}, or {@code now} when given).
     */
    private static void describe(ProgressBar bar, Counts counts, String now) {
        String running = now != null ? now : counts.running == null ? "" : counts.running.describe();
        bar.setExtraMessage(String.format(" OK %d, diverged %d, failed %d", counts.ok, counts.diverged, counts.failed)
                + (running.isEmpty() ? "" : "; " + running));
    }


    private static final class Counts {
        volatile int ok, diverged, failed, finished;
        /** The running points' progress, when there is a progress line. */
        PointProgress running;

        /** Points the run was stopped under ({@link Interruption}): no row. */
        int interrupted;
        String firstError;

        void add(Map<String, Object> row) {
            String status = (String) row.get(ResultSchema.STATUS);
            if (Status.OK.name().equals(status)) ok++;
            else if (Status.DIVERGED.name().equals(status)) diverged++;
            else {
                failed++;
                if (firstError == null) {
                    String error = String.valueOf(row.get(ResultSchema.ERROR));
                    firstError = "point " + row.get(ResultSchema.POINT_INDEX) + " (" + row.get(ResultSchema.POINT_ID) + "): "
                            + error.lines().findFirst().orElse("");
                }
            }
            finished++;
        }
    }

    /**
     * The rows of a run: journaled one by one as they arrive, written to Parquet in batches. A
     * FAILED row that arrives while the run is being stopped is not kept: the stop may be what
     * failed it ({@link Interruption}), and a real failure comes back on the rerun.
     */
    private static final class Batches implements AutoCloseable {
        private final ResultStore store;
        private final String sweepId;
        private final org.apache.spark.SparkContext sc;
        private final List<Map<String, Object>> pending = new ArrayList<>();
        private long pendingChildren;
        private Journal.Writer journal;

        Batches(ResultStore store, String sweepId, org.apache.spark.SparkContext sc) {
            this.store = store;
            this.sweepId = sweepId;
            this.sc = sc;
        }

        /**
         * Journals the row (flushed before this returns), then queues it for Parquet; returns it
         * decoded, or null for a FAILED row of a stopped run (not kept).
         */
        Map<String, Object> add(String line) {
            try {
                Map<String, Object> row = Journal.decode(line);
                if (Status.FAILED.name().equals(row.get(ResultSchema.STATUS))
                        && Interruption.stopping(sc, (String) row.get(ResultSchema.ERROR))) {
                    return null;
                }
                if (journal == null) journal = store.newJournal(sweepId);
                journal.append(line);
                Faults.at("row-journaled");
                pending.add(row);
                for (ResultSchema.Table t : ResultSchema.children()) {
                    for (Map<String, Object> x : Journal.rowsOf(t, row)) {
                        pendingChildren++;
                        for (Object v : x.values()) if (v instanceof double[] a) pendingChildren += a.length / ResultStore.DOUBLES_PER_ROW;
                    }
                }
                if (pending.size() >= ResultStore.ROWS_PER_FILE || pendingChildren >= ResultStore.CHILD_ROWS_PER_BATCH) flush();
                return row;
            } catch (IOException e) {
                throw new IllegalStateException("cannot journal a result row in " + store.dir() + ": " + e.getMessage(), e);
            }
        }

        /** Writes the pending rows as one Parquet file, then drops the journal that held them. */
        void flush() throws IOException {
            if (pending.isEmpty()) return;
            store.append(sweepId, pending);
            pending.clear();
            pendingChildren = 0;
            Faults.at("batch-written");
            journal.delete();
            journal = null;
        }

        void finish() throws IOException {
            flush();
        }

        /** Leaves an unfinished journal in place: its rows are durable and the next run folds them in. */
        @Override
        public void close() throws IOException {
            if (journal != null) journal.close();
        }
    }

    /** The points of a grid at the given indices (increasing), read through the grid's own list. */
    private static final class IndexedPoints extends java.util.AbstractList<GridPoint> implements java.util.RandomAccess {
        private final List<GridPoint> grid;
        private final int[] index;

        IndexedPoints(List<GridPoint> grid, int[] index) {
            this.grid = grid;
            this.index = index;
        }

        @Override
        public GridPoint get(int i) {
            return grid.get(index[i]);
        }

        @Override
        public int size() {
            return index.length;
        }
    }

    /**
     * The Spark jobs of a sweep's points, made as they are asked for: the points
     * {@link #CHUNK} at a time in grid order, each chunk in lockstep groups ({@link
     * LockstepGroups#of}; a grid of at most {@link #CHUNK} points is grouped whole), and the
     * groups in jobs of at most {@link #POINTS_PER_JOB} tasks. So the driver's memory does not
     * grow with the sweep (docs/lockstep.md).
     */
    private static final class Jobs {
        /** Points grouped together at most. */
        static final int CHUNK = 16_384;
        /** Points in running jobs at most before another job is submitted. */
        static final int IN_FLIGHT = 2 * CHUNK;

        private final List<GridPoint> points;
        private final int slots;
        private int next;
        private final java.util.ArrayDeque<List<List<GridPoint>>> ready = new java.util.ArrayDeque<>();

        Jobs(List<GridPoint> points, int slots) {
            this.points = points;
            this.slots = slots;
        }

        boolean hasNext() {
            return !ready.isEmpty() || next < points.size();
        }

        List<List<GridPoint>> next() {
            if (ready.isEmpty()) {
                int to = Math.min(points.size(), next + CHUNK);
                List<List<GridPoint>> groups = new ArrayList<>(LockstepGroups.of(new ArrayList<>(points.subList(next, to)), slots));
                // longest first by the cost estimate: the chunk's last tasks are its shortest, so
                // the task slots finish together instead of one slot running a long group alone
                groups.sort(java.util.Comparator.comparingDouble(Jobs::estimatedSeconds).reversed());
                next = to;
                for (int from = 0; from < groups.size(); from += POINTS_PER_JOB) {
                    ready.add(groups.subList(from, Math.min(groups.size(), from + POINTS_PER_JOB)));
                }
            }
            return ready.poll();
        }

        /** The group's estimated time on one core ({@link org.sharpsweep.sweeps.CostEstimate}). */
        private static double estimatedSeconds(List<GridPoint> group) {
            double seconds = 0;
            for (GridPoint p : group) seconds += org.sharpsweep.sweeps.CostEstimate.of(p.spec()).seconds();
            return seconds;
        }

        /** Points not handed out yet. */
        int pointsLeft() {
            int n = points.size() - next;
            for (List<List<GridPoint>> job : ready) n += Dispatch.points(job);
            return n;
        }

        /** Hands out nothing more. */
        void drop() {
            ready.clear();
            next = points.size();
        }
    }

    /**
     * Sends points out as Spark jobs and hands each row (a {@link Journal} line) to the sink on
     * the calling thread as it arrives.
     */
    private static final class Dispatch {
        private final JavaSparkContext jsc;
        private final String sweepId;
        private final Options options;
        private final Jobs todo;
        private final Map<String, double[]> starts;
        private final Consumer<String> sink;
        private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        private final List<Job> running = new ArrayList<>();
        /** Points whose job a stop ended before they reported ({@link Interruption}). */
        private int interrupted;

        /** The tasks' progress accumulator, or null (no progress line). */
        private final PointProgress.Accumulator progress;

        Dispatch(JavaSparkContext jsc, String sweepId, Options options, Jobs todo, Map<String, double[]> starts,
                 Consumer<String> sink, PointProgress.Accumulator progress) {
            this.progress = progress;
            this.jsc = jsc;
            this.sweepId = sweepId;
            this.options = options;
            this.todo = todo;
            this.starts = starts;
            this.sink = sink;
        }

        private record Arrival(Job job, int partition, List<String> rows) {
        }

        /** A Spark job: one task per group of points. */
        private final class Job {
            final List<List<GridPoint>> groups;
            final boolean[] arrived;
            final Instant submitted = Instant.now();
            SimpleFutureAction<Object> future;

            Job(List<List<GridPoint>> groups) {
                this.groups = groups;
                this.arrived = new boolean[groups.size()];
            }
        }

        /**
         * Runs every job until it ends, handing each row to the sink; returns how many points a
         * stop left without a row.
         */
        int run() {
            jsc.setJobGroup("sharpsweep-" + sweepId, "sweep " + sweepId, true);
            submitMore();
            while (!running.isEmpty()) {
                Arrival a;
                try {
                    a = arrivals.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    for (Job job : running) interrupted += points(missing(job));
                    interrupted += todo.pointsLeft();
                    if (!jsc.sc().isStopped()) jsc.cancelJobGroup("sharpsweep-" + sweepId);
                    return interrupted;
                }
                if (a != null) {
                    deliver(a);
                    continue;
                }
                for (Job job : new ArrayList<>(running)) {
                    if (!job.future.isCompleted()) continue;
                    // every result handler has run before the future completes: drain them first
                    for (Arrival x; (x = arrivals.poll()) != null; ) deliver(x);
                    running.remove(job);
                    scala.util.Try<Object> outcome = job.future.value().get();
                    if (outcome.isFailure()) lost(job, outcome.failed().get());
                }
                submitMore();
            }
            return interrupted;
        }

        /**
         * Submits the next jobs while fewer than {@link Jobs#IN_FLIGHT} points are in running jobs:
         * the slots never wait for a job, and the driver holds the points of a few jobs only. A
         * context that is stopping takes no job: the points not submitted count as interrupted.
         */
        private void submitMore() {
            int inFlight = 0;
            for (Job job : running) inFlight += points(job.groups);
            while (todo.hasNext() && inFlight < Jobs.IN_FLIGHT) {
                if (Interruption.stopping(jsc.sc(), (String) null)) { // a stop began: nothing new starts
                    interrupted += todo.pointsLeft();
                    todo.drop();
                    return;
                }
                List<List<GridPoint>> groups = todo.next();
                if (!submit(groups)) {
                    interrupted += points(groups) + todo.pointsLeft();
                    todo.drop();
                    return;
                }
                inFlight += points(groups);
            }
        }

        private static int points(List<List<GridPoint>> groups) {
            int n = 0;
            for (List<GridPoint> g : groups) n += g.size();
            return n;
        }

        /** The points of the job's groups that did not report, each a group of its own. */
        private static List<List<GridPoint>> missing(Job job) {
            List<List<GridPoint>> missing = new ArrayList<>();
            for (int i = 0; i < job.groups.size(); i++) {
                if (!job.arrived[i]) for (GridPoint p : job.groups.get(i)) missing.add(List.of(p));
            }
            return missing;
        }

        private void deliver(Arrival a) {
            if (a.job.arrived[a.partition]) return;
            a.job.arrived[a.partition] = true;
            for (String row : a.rows) sink.accept(row);
        }

        /**
         * The points of a failed job's groups that did not report run again, each alone (an
         * interrupted group is computed again; a point whose task keeps failing is found); a lone
         * point that fails is a FAILED row. A job that a stop ended ({@link Interruption}) leaves
         * its points without a row: they are counted as interrupted.
         */
        private void lost(Job job, Throwable cause) {
            List<List<GridPoint>> missing = missing(job);
            if (missing.isEmpty()) return;
            if (Interruption.stopping(jsc.sc(), cause)) {
                interrupted += missing.size();
                return;
            }
            if (job.groups.size() == 1 && job.groups.get(0).size() == 1) {
                sink.accept(Journal.encode(ResultRow.of(sweepId, missing.get(0).get(0),
                        PointResult.failed("Spark task lost: " + cause, job.submitted))));
                return;
            }
            for (List<GridPoint> alone : missing) {
                if (!submit(List.of(alone))) interrupted++;
            }
        }

        /** Submits a job of these groups; false if the context is stopping and it could not be (the caller counts its points). */
        private boolean submit(List<List<GridPoint>> groups) {
            try {
                doSubmit(groups);
                return true;
            } catch (IllegalStateException e) { // "Cannot call methods on a stopped SparkContext"
                if (Interruption.stopping(jsc.sc(), e)) return false;
                throw e;
            }
        }

        private void doSubmit(List<List<GridPoint>> groups) {
            Job job = new Job(groups);
            List<Task> tasks = new ArrayList<>(groups.size());
            int points = 0;
            for (List<GridPoint> group : groups) {
                List<Member> members = new ArrayList<>(group.size());
                for (GridPoint p : group) {
                    members.add(new Member(p, saveDir(p), p.spec().train().fromSaved() ? starts.get(SavedParams.key(p.spec().train())) : null));
                }
                tasks.add(new Task(sweepId, members));
                points += group.size();
            }
            GridPoint first = groups.get(0).get(0);
            jsc.setJobDescription(points == 1 ? "point " + first.index() + " " + first.axes()
                    : points + " points in " + groups.size() + " tasks from " + first.index());
            RDD<Task> rdd = jsc.parallelize(tasks, tasks.size()).rdd();
            List<Object> partitions = new ArrayList<>(tasks.size());
            for (int i = 0; i < tasks.size(); i++) partitions.add(i);
            PointProgress.Accumulator progress = this.progress; // the closure carries the accumulator, not this Dispatch
            Function1<Iterator<Task>, ArrayList<String>> process = (Function1<Iterator<Task>, ArrayList<String>> & Serializable)
                    it -> Task.runAll(it, progress);
            Function2<Object, ArrayList<String>, BoxedUnit> handler = (index, rows) -> {
                arrivals.add(new Arrival(job, (Integer) index, rows));
                return BoxedUnit.UNIT;
            };
            Function0<Object> result = () -> null;
            job.future = jsc.sc().submitJob(rdd, process, JavaConverters.asScalaBuffer(partitions).toSeq(), handler, result);
            running.add(job);
        }

        private String saveDir(GridPoint point) {
            return SweepRunner.saveDir(options, sweepId, point);
        }
    }

    /** Where {@code --save-params} puts the point's final parameters, or null. */
    private static String saveDir(Options options, String sweepId, GridPoint point) {
        return options.saveParamsDir() != null
                && (options.saveParamsPoints().isEmpty() || options.saveParamsPoints().contains(point.index()))
                ? options.saveParamsDir() + "/" + sweepId + "/" + point.pointId() : null;
    }

    /**
     * A data-parallel point ({@code train.parallel: data}), run from this driver with the whole
     * cluster: every training step is a Spark job over {@code train.workers} tasks, and so is
     * every curvature product ({@link DataParallelExecution}); returns its row as a journal line.
     */
    private static String runDataParallel(JavaSparkContext jsc, String sweepId, Options options, GridPoint p,
                                          Map<String, double[]> starts, DataParallelExecution.Steps steps) {
        jsc.setJobGroup("sharpsweep-" + sweepId, "sweep " + sweepId, true);
        jsc.setJobDescription("data-parallel point " + p.index() + " " + p.axes() + " on " + p.spec().train().workers() + " workers");
        String dir = saveDir(options, sweepId, p);
        double[] start = p.spec().train().fromSaved() ? starts.get(SavedParams.key(p.spec().train())) : null;
        PointResult r = DataParallelExecution.run(jsc, p, dir == null ? null : java.nio.file.Path.of(dir), start, steps);
        return Journal.encode(ResultRow.of(sweepId, p, r));
    }

    /**
     * One Spark task: a group of points (one, or a lockstep group, {@link LockstepGroups}) run on
     * the executor; returns their rows as journal lines.
     */
    record Task(String sweepId, List<Member> members) implements Serializable {
        /** @param progress where the tasks report their points' steps ({@link PointProgress}), or null */
        static ArrayList<String> runAll(Iterator<Task> tasks, PointProgress.Accumulator progress) {
            ArrayList<String> rows = new ArrayList<>();
            org.sharpsweep.parallel.TaskGpu.bind();
            while (tasks.hasNext()) {
                Task t = tasks.next();
                List<GridPoint> points = new ArrayList<>();
                List<java.nio.file.Path> dirs = new ArrayList<>();
                List<double[]> starts = new ArrayList<>();
                for (Member m : t.members) {
                    points.add(m.point);
                    dirs.add(m.saveDir == null ? null : java.nio.file.Path.of(m.saveDir));
                    starts.add(m.start);
                }
                java.util.function.Supplier<List<PointResult>> run = () -> points.size() == 1
                        ? List.of(PointRunner.run(points.get(0), dirs.get(0), starts.get(0)))
                        : PointRunner.runGroup(points, dirs, starts);
                List<PointResult> results;
                if (progress == null) {
                    results = run.get();
                } else {
                    progress.start(points);
                    results = StepProgress.reportingTo(progress, run);
                }
                for (int i = 0; i < points.size(); i++) rows.add(Journal.encode(ResultRow.of(t.sweepId, points.get(i), results.get(i))));
            }
            return rows;
        }
    }

    /**
     * A point of a task's group.
     *
     * @param start the saved parameters the point starts from ({@code train.from_sweep}), or null
     */
    record Member(GridPoint point, String saveDir, double[] start) implements Serializable {
    }

    /**
     * Measure settings are not part of point ids (measuring is not training), so points done
     * under other measure settings are done: says so on stderr, naming the settings that changed
     * and how to measure the points again.
     */
    static void noteMeasureChange(SweepSpec spec, SweepSpec kept, int done, String outDir) {
        if (kept == null || kept.measure().equals(spec.measure())) return;
        var before = kept.settings().values();
        var now = spec.settings().values();
        List<String> changed = new ArrayList<>();
        for (var s : org.sharpsweep.sweeps.Setting.values()) {
            if (s.isMeasurement() && !java.util.Objects.equals(before.get(s), now.get(s))) {
                changed.add(s.path() + " " + s.toPlain(before.get(s)) + " -> " + s.toPlain(now.get(s)));
            }
        }
        System.err.println("note: " + done + " points of sweep " + spec.name() + " are done under other measure settings ("
                + String.join(", ", changed) + ") and are not run again (measuring is not training); add measurements from their saved "
                + "parameters with sharpsweep measure " + outDir + " --sweep " + spec.name() + " (needs measure.save_params), "
                + "or train them again with --restart");
    }

    /**
     * The spec with its seed scheme settled: as written, or where the spec does not say, the one
     * the sweep was computed with ({@code kept}'s: per-point for a sweep kept before the scheme
     * existed; a restart keeps it too, unless the spec names another), or {@code shared} for a
     * sweep's first run.
     */
    static SweepSpec resolveSeeds(SweepSpec spec, SweepSpec kept) {
        if (spec.seeds() != null) return spec;
        return spec.withSeeds(kept == null ? org.sharpsweep.sweeps.SeedScheme.SHARED : kept.seedScheme());
    }

    /** The spec kept with the table for this sweep, or null if there is none or it does not parse any more. */
    static SweepSpec readSpec(SparkSession spark, String outDir, String sweepId) {
        return org.sharpsweep.store.KeptSpecs.read(spark.sparkContext().hadoopConfiguration(), outDir, sweepId);
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

    /**
     * The progress line, drawn again as time passes (the running points' steps change without the
     * count, {@link PointProgress}): in place every half second on a terminal; to a log (not a
     * terminal) as a new line when {@code state} changes (the count of finished points, a point
     * starting or ending its training), and otherwise every {@link #LOG_SECONDS}.
     */
    private static ProgressBar progressBar(String sweepId, int total, int skipped, java.util.function.Supplier<String> state) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName("sweep " + sweepId + (skipped > 0 ? " (" + skipped + " done before)" : ""))
                .setInitialMax(total)
                .setUnit(" points", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(200);
        if (System.console() == null) {
            // not a terminal (CI logs, nohup): a plain line every few seconds instead of a redrawn bar
            b.setConsumer(new DelegatingProgressBarConsumer(new LogLines(state), 200)).setUpdateIntervalMillis(5000);
        } else {
            b.setUpdateIntervalMillis(500);
        }
        return b.continuousUpdate().build();
    }

    /** A logged progress line's seconds between two lines while no point finishes. */
    static final long LOG_SECONDS = 30;

    /** Which drawings of a logged progress line are printed ({@link #progressBar}). */
    private static final class LogLines implements Consumer<String> {
        private final java.util.function.Supplier<String> state;
        private String printedAt;
        private long printed;

        LogLines(java.util.function.Supplier<String> state) {
            this.state = state;
        }

        @Override
        public void accept(String line) {
            String now = state.get();
            long t = System.nanoTime();
            if (now.equals(printedAt) && t - printed < LOG_SECONDS * 1_000_000_000L) return;
            printedAt = now;
            printed = t;
            System.err.println(line);
        }
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

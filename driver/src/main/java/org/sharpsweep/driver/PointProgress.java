package org.sharpsweep.driver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.AccumulatorV2;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.worker.train.StepProgress;

import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * How far the running points of a sweep are, for the progress line (docs/architecture.md,
 * "Progress of long points"): each Spark task's copy of one accumulator ({@link Accumulator}) records its
 * points and the steps their training has taken ({@link StepProgress}); executors send the values
 * of running tasks' accumulators to the driver with their heartbeats
 * ({@code spark.executor.heartbeatInterval}, 10 s unless set), where a listener keeps the latest
 * per task until the task ends. Nothing here is in the results: it only describes what is running.
 */
final class PointProgress implements AutoCloseable {
    /** Running tasks described in the line at most; the others are counted. */
    static final int SHOWN = 3;

    private final SparkContext sc;
    private final Accumulator accumulator = new Accumulator();
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    /** The ids of the tasks started and not ended. */
    private final java.util.Set<Long> live = ConcurrentHashMap.newKeySet();
    private final Listener listener = new Listener();
    private final Runnable onChange;

    /** Starts listening on {@code sc}; {@code onChange} runs (on Spark's listener thread) when the description changes. */
    PointProgress(SparkContext sc, Runnable onChange) {
        this.sc = sc;
        this.onChange = onChange;
        sc.register(accumulator, "sharpsweep point progress");
        sc.addSparkListener(listener);
    }

    /** The accumulator a task's closure carries: {@link Accumulator#start} it with the task's points. */
    Accumulator accumulator() {
        return accumulator;
    }

    /**
     * The running tasks that have reported, by their first point: "point 7 starting" before its
     * first step (data, the measurements at step 0), "point 7 step 1,500/20,000", "60 points from
     * 3 step 40/200" (a lockstep group), "point 7 measuring" once its training ended; empty when
     * none has.
     */
    String describe() {
        List<Running> all = new ArrayList<>(running.values());
        all.sort(java.util.Comparator.comparingInt(Running::firstIndex));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN, all.size()); i++) parts.add(all.get(i).describe());
        if (all.size() > SHOWN) parts.add((all.size() - SHOWN) + " more running");
        return String.join(", ", parts);
    }

    /** What changes when a task starts reporting, ends, or ends its training: its first point and phase, for each running task. */
    String phases() {
        StringBuilder b = new StringBuilder();
        running.values().stream().sorted(java.util.Comparator.comparingInt(Running::firstIndex))
                .forEach(r -> b.append(r.firstIndex()).append(r.ended() >= r.points() ? "m " : r.stepsDone() < 0 ? "s " : "t "));
        return b.toString();
    }

    @Override
    public void close() {
        sc.removeSparkListener(listener);
    }

    /**
     * What one task reports: its points (consecutive indices from {@code firstIndex}, or the first
     * of a lockstep group), the most steps any of them trains, the steps taken so far (-1 before
     * the first: the data is loading or the measurements at step 0 run) and how many of its
     * trainings ended.
     */
    record Running(int firstIndex, int points, int steps, int stepsDone, int ended) implements Serializable {
        String describe() {
            String who = points == 1 ? "point " + firstIndex : points + " points from " + firstIndex;
            if (ended >= points) return who + " measuring";
            return who + (stepsDone < 0 ? " starting" : String.format(Locale.ROOT, " step %,d/%,d", stepsDone, steps));
        }
    }

    private final class Listener extends SparkListener {
        @Override
        public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
            boolean changed = false;
            for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> task
                    : JavaConverters.seqAsJavaList(update.accumUpdates())) {
                for (AccumulableInfo info : JavaConverters.seqAsJavaList(task._4())) {
                    if (info.id() != accumulator.id() || info.update().isEmpty()) continue;
                    Object value = info.update().get();
                    Long id = (Long) task._1();
                    // a heartbeat taken before its task ended may arrive after: only running tasks are kept
                    if (value instanceof Running r && live.contains(id) && !r.equals(running.put(id, r))) changed = true;
                }
            }
            if (changed) onChange.run();
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            live.add(start.taskInfo().taskId());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            live.remove(end.taskInfo().taskId());
            if (running.remove(end.taskInfo().taskId()) != null) onChange.run();
        }
    }

    /**
     * The accumulator: on an executor, the task's copy, fed by its trainings; its value is the
     * task's {@link Running} (null until {@link #start}, which Spark counts as zero and does not
     * send). Merging keeps the last value: the driver's copy means nothing.
     */
    static final class Accumulator extends AccumulatorV2<Running, Running> implements StepProgress.Sink {
        private volatile int firstIndex, points, steps, stepsDone, ended;
        private volatile boolean started;

        /** The task's points are about to run. */
        void start(List<GridPoint> group) {
            int most = 0;
            for (GridPoint p : group) most = Math.max(most, p.spec().train().steps());
            firstIndex = group.get(0).index();
            points = group.size();
            steps = most;
            stepsDone = -1;
            ended = 0;
            started = true;
        }

        @Override
        public void step(int step) {
            if (step > stepsDone) stepsDone = step;
        }

        @Override
        public void ended() {
            ended++;
        }

        @Override
        public boolean isZero() {
            return !started;
        }

        @Override
        public Accumulator copy() {
            Accumulator t = new Accumulator();
            t.firstIndex = firstIndex;
            t.points = points;
            t.steps = steps;
            t.stepsDone = stepsDone;
            t.ended = ended;
            t.started = started;
            return t;
        }

        @Override
        public void reset() {
            started = false;
        }

        @Override
        public void add(Running r) {
            firstIndex = r.firstIndex();
            points = r.points();
            steps = r.steps();
            stepsDone = r.stepsDone();
            ended = r.ended();
            started = true;
        }

        @Override
        public void merge(AccumulatorV2<Running, Running> other) {
            Running r = other.value();
            if (r != null) add(r);
        }

        @Override
        public Running value() {
            return started ? new Running(firstIndex, points, steps, stepsDone, ended) : null;
        }
    }
}

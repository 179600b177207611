package org.sharpsweep.analysis;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * Real results tables for the tests: rows built by hand in the schema of
 * {@link SparkSchema#results()}, written by Spark as Parquet partitioned by sweep_id, exactly
 * as the driver writes them. The metric values follow simple formulas of the grid values,
 * written out here, so a test can compute what a cell must show without the code under test.
 */
final class ResultsFixture {
    private ResultsFixture() {
    }

    /** The regression sweep's grid. */
    static final double[] LRS = {0.01, 0.1, 1.0};
    static final int[] BATCHES = {10, 50, 200};
    static final int[] WIDTHS = {20, 100};
    static final int REPLICATES = 2;
    static final int N_TRAIN = 200;
    static final String REGRESSION = "teacher-grid";
    static final String CLASSIFICATION = "fmnist-small";

    /** Every point at lr = 1 and B = 10 diverged. */
    static boolean allDiverged(double lr, int b) {
        return lr == 1.0 && b == 10;
    }

    /** One of the four points at lr = 1, B = 50 diverged (width 100, replicate 1). */
    static boolean oneDiverged(double lr, int b, int width, int rep) {
        return lr == 1.0 && b == 50 && width == 100 && rep == 1;
    }

    /** Every point at lr = 0.01, B = 50 failed. */
    static boolean allFailed(double lr, int b) {
        return lr == 0.01 && b == 50;
    }

    /** No point at all at lr = 0.01, B = 200 (as if the grid had a hole). */
    static boolean missing(double lr, int b) {
        return lr == 0.01 && b == 200;
    }

    /** The one point whose sharpness exceeds 2/lr: lr = 0.1, B = 50, width 20, replicate 0. */
    static boolean sharpnessOutside(double lr, int b, int width, int rep) {
        return lr == 0.1 && b == 50 && width == 20 && rep == 0;
    }

    /** The one point whose non-uniformity exceeds its bound: lr = 0.01, B = 10, width 100, replicate 1. */
    static boolean nonuniformityOutside(double lr, int b, int width, int rep) {
        return lr == 0.01 && b == 10 && width == 100 && rep == 1;
    }

    /** Sharpness of an OK point: a fraction of 2/lr growing with B, width and replicate (or 1.3 x 2/lr). */
    static double sharpness(double lr, int b, int width, int rep) {
        double frac = sharpnessOutside(lr, b, width, rep) ? 1.3 : 0.25 + 0.5 * b / 200.0 + 0.04 * rep + (width == 100 ? 0.02 : 0);
        return frac * 2 / lr;
    }

    /** Non-uniformity bound sqrt(B(n-1)/(n-B))/lr (docs/science.md); infinite for B = n. */
    static double nonuniformityBound(double lr, int b, int n) {
        return b >= n ? Double.POSITIVE_INFINITY : Math.sqrt(b * (n - 1.0) / (n - b)) / lr;
    }

    /** Non-uniformity of an OK point: 0.6 of its bound (1.5 for the outside one); 3/lr for GD. */
    static double nonuniformity(double lr, int b, int width, int rep) {
        if (b >= N_TRAIN) return 3 / lr + 0.1 * rep;
        double f = nonuniformityOutside(lr, b, width, rep) ? 1.5 : 0.6 + 0.05 * rep;
        return f * nonuniformityBound(lr, b, N_TRAIN);
    }

    static double trainLoss(double lr, int b, int width, int rep) {
        return 0.01 * (1 + rep) + 0.001 * b + 0.05 * lr + 0.0001 * width;
    }

    static double testLoss(double lr, int b, int width, int rep) {
        return 2 * trainLoss(lr, b, width, rep) + 0.01;
    }

    /** Settings every row of a sweep shares, as the driver would write them. */
    static Map<String, Object> base(String sweep) {
        Map<String, Object> m = new HashMap<>();
        m.put(ResultSchema.SWEEP_ID, sweep);
        m.put("dataset", "teacher");
        m.put("target", "single-neuron");
        m.put("input_dim", 20);
        m.put("n_train", N_TRAIN);
        m.put("n_test", 1000);
        m.put("label_noise", 0.0);
        m.put("depth", 1);
        m.put("width", 50);
        m.put("activation", "relu");
        m.put("init", "default");
        m.put("loss", "mse");
        m.put("steps", 500);
        m.put("lr", 0.1);
        m.put("batch_size", 50);
        m.put("momentum", 0.0);
        m.put("divergence_loss", 1e6);
        m.put("penalty", "none");
        m.put("penalty_coef", 0.0);
        m.put("measure_sharpness", true);
        m.put("measure_nonuniformity", true);
        m.put("tol", 1e-4);
        m.put("max_iters", 100);
        m.put(ResultSchema.REPLICATE, 0);
        m.put(ResultSchema.ENGINE_VERSION, "0.1.0");
        m.put(ResultSchema.BACKEND, "cpu");
        m.put(ResultSchema.DEVICE, "cpu");
        m.put(ResultSchema.EXECUTOR_HOST, "localhost");
        m.put(ResultSchema.TRAIN_SECONDS, 1.5);
        m.put(ResultSchema.MEASURE_SECONDS, 0.5);
        m.put(ResultSchema.START_TIME, Timestamp.valueOf("2025-01-01 00:00:00"));
        return m;
    }

    /**
     * The regression sweep: lr x B x width x 2 replicates on the teacher task (accuracy columns
     * null), with the diverged, failed and missing cells of the predicates above, and one point
     * that failed first and was retried OK (an older FAILED row that the view must drop).
     */
    static List<Map<String, Object>> regression() {
        List<Map<String, Object>> rows = new ArrayList<>();
        int index = 0;
        for (double lr : LRS) {
            for (int b : BATCHES) {
                for (int w : WIDTHS) {
                    for (int rep = 0; rep < REPLICATES; rep++) {
                        if (missing(lr, b)) continue;
                        Map<String, Object> m = base(REGRESSION);
                        String id = String.format("p%02d-lr%s-b%d-w%d-r%d", index, lr, b, w, rep);
                        m.put(ResultSchema.POINT_ID, id);
                        m.put(ResultSchema.POINT_INDEX, index++);
                        m.put("lr", lr);
                        m.put("batch_size", b);
                        m.put("width", w);
                        m.put(ResultSchema.REPLICATE, rep);
                        m.put(ResultSchema.SEED, (long) id.hashCode() * 7919L);
                        m.put(ResultSchema.SHARPNESS_BOUND, 2 / lr);
                        double sb = nonuniformityBound(lr, b, N_TRAIN);
                        m.put(ResultSchema.NONUNIFORMITY_BOUND, Double.isInfinite(sb) ? null : sb);
                        if (allDiverged(lr, b) || oneDiverged(lr, b, w, rep)) {
                            m.put(ResultSchema.STATUS, "DIVERGED");
                            m.put(ResultSchema.ERROR, "loss became NaN at step 3");
                            m.put(ResultSchema.DIVERGED_AT_STEP, 3);
                            m.put(ResultSchema.STEPS_DONE, 3);
                            // what a blown-up network measures: must not enter any mean or diagram
                            m.put(ResultSchema.TRAIN_LOSS, Double.NaN);
                            m.put(ResultSchema.SHARPNESS, 1e6);
                            m.put(ResultSchema.NONUNIFORMITY, 1e6);
                        } else if (allFailed(lr, b)) {
                            m.put(ResultSchema.STATUS, "FAILED");
                            m.put(ResultSchema.ERROR, "java.lang.OutOfMemoryError: Java heap space\n\tat Worker.run");
                        } else {
                            m.put(ResultSchema.STATUS, "OK");
                            m.put(ResultSchema.STEPS_DONE, 500);
                            double tr = trainLoss(lr, b, w, rep);
                            double te = testLoss(lr, b, w, rep);
                            m.put(ResultSchema.TRAIN_LOSS, tr);
                            m.put(ResultSchema.TEST_LOSS, te);
                            m.put(ResultSchema.GEN_GAP_LOSS, te - tr);
                            m.put(ResultSchema.SHARPNESS, sharpness(lr, b, w, rep));
                            m.put(ResultSchema.SHARPNESS_RESIDUAL, 1e-5);
                            m.put(ResultSchema.SHARPNESS_ITERS, 20);
                            m.put(ResultSchema.NONUNIFORMITY, nonuniformity(lr, b, w, rep));
                            m.put(ResultSchema.NONUNIFORMITY_N, N_TRAIN);
                            m.put(ResultSchema.STABILITY_MAX_EIG, 0.9);
                            m.put(ResultSchema.PARAM_NORM, 3.0 + w / 100.0);
                            m.put(ResultSchema.GRAD_NORM, 1e-3);
                            if (lr == 0.1 && b == 10 && w == 20 && rep == 0) {
                                Map<String, Object> failedFirst = new HashMap<>(m);
                                failedFirst.keySet().removeIf(k -> ResultSchema.column(k) != null
                                        && ResultSchema.column(k).group() == ResultSchema.Group.METRIC);
                                failedFirst.put(ResultSchema.STATUS, "FAILED");
                                failedFirst.put(ResultSchema.ERROR, "executor lost");
                                failedFirst.put(ResultSchema.START_TIME, Timestamp.valueOf("2024-12-31 00:00:00"));
                                rows.add(failedFirst);
                            }
                        }
                        rows.add(m);
                    }
                }
            }
        }
        return rows;
    }

    /** A small classification sweep (lr x B, one replicate) with accuracies, for multi-sweep tables. */
    static List<Map<String, Object>> classification() {
        List<Map<String, Object>> rows = new ArrayList<>();
        int index = 0;
        for (double lr : new double[] {0.05, 0.1}) {
            for (int b : new int[] {20, 100}) {
                Map<String, Object> m = base(CLASSIFICATION);
                m.put("dataset", "fashion-mnist");
                m.put("target", null);
                m.put("input_dim", null);
                m.put("data_path", "/usr/share/datasets/fashion-mnist");
                m.put("n_train", 100);
                m.put("lr", lr);
                m.put("batch_size", b);
                String id = "c" + index;
                m.put(ResultSchema.POINT_ID, id);
                m.put(ResultSchema.POINT_INDEX, index++);
                m.put(ResultSchema.SEED, 1000L + index);
                m.put(ResultSchema.STATUS, "OK");
                m.put(ResultSchema.TRAIN_LOSS, 0.1);
                m.put(ResultSchema.TEST_LOSS, 0.3);
                m.put(ResultSchema.GEN_GAP_LOSS, 0.2);
                double trainAcc = 0.95 + 0.01 * index;
                double testAcc = 0.70 + 0.05 * index;
                m.put(ResultSchema.TRAIN_ACC, trainAcc);
                m.put(ResultSchema.TEST_ACC, testAcc);
                m.put(ResultSchema.GEN_GAP_ACC, trainAcc - testAcc);
                m.put(ResultSchema.SHARPNESS, 0.5 / lr);
                m.put(ResultSchema.NONUNIFORMITY, b < 100 ? 0.3 * nonuniformityBound(lr, b, 100) : 2 / lr);
                rows.add(m);
            }
        }
        return rows;
    }

    /** A Spark row in the results schema; absent columns are null. */
    static Row row(Map<String, Object> values) {
        StructType schema = SparkSchema.results();
        for (String k : values.keySet()) {
            if (ResultSchema.column(k) == null) throw new IllegalArgumentException("fixture names unknown column " + k);
        }
        Object[] cells = new Object[schema.size()];
        for (int i = 0; i < cells.length; i++) cells[i] = values.get(schema.fields()[i].name());
        return RowFactory.create(cells);
    }

    /** Writes the rows as the driver does: Parquet, partitioned by sweep_id. */
    static void write(SparkSession spark, List<Map<String, Object>> rows, Path dir) {
        List<Row> out = rows.stream().map(ResultsFixture::row).toList();
        spark.createDataFrame(out, SparkSchema.results()).write().partitionBy(ResultSchema.SWEEP_ID)
                .mode("append").parquet(dir.toString());
    }

    private static SparkSession spark;

    /**
     * The one {@code local[2]} SparkSession of the JVM's integration tests (Failsafe runs them
     * all in one JVM), created on first use and stopped at exit: a session takes seconds to
     * start, and the view {@code results} each call registers is replaced by the next.
     */
    static synchronized SparkSession spark() {
        if (spark == null) {
            SparkSession s = SparkSession.builder().master("local[2]").appName("analysis-it")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
            s.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
            spark = s;
        }
        return spark;
    }

    /** Mean of a metric over the OK points of one (lr, B) cell of the regression sweep, from the formulas. */
    static Double okMean(double lr, int b, Metric f) {
        double sum = 0;
        int n = 0;
        for (int w : WIDTHS) {
            for (int rep = 0; rep < REPLICATES; rep++) {
                if (missing(lr, b) || allFailed(lr, b) || allDiverged(lr, b) || oneDiverged(lr, b, w, rep)) continue;
                sum += f.at(lr, b, w, rep);
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    interface Metric {
        double at(double lr, int b, int width, int rep);
    }
}

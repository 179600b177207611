package org.sharpsweep.sweeps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/**
 * The results table (docs/results.md): one row per grid point, partitioned by
 * {@code sweep_id}. The one place that names its columns; the driver turns it into a Spark
 * schema and the analysis reads columns by these names.
 */
public final class ResultSchema {
    private ResultSchema() {
    }

    /** Column types; the driver maps each to a Spark SQL type. */
    public enum Type { STRING, INT, LONG, DOUBLE, BOOLEAN, TIMESTAMP, DOUBLE_ARRAY }

    /** What a column is, for documentation and for choosing heatmap metrics and axes. */
    public enum Group { IDENTITY, PARAMETER, METRIC, PROVENANCE }

    /**
     * One column; {@code doc} is what a reader of the table needs to know, {@code label} the title
     * of pictures and the report (null: the name itself).
     */
    public record Column(String name, Type type, Group group, String doc, String label) {
        public Column(String name, Type type, Group group, String doc) {
            this(name, type, group, doc, null);
        }
    }

    /**
     * One table of a results directory. The results table is the directory itself (partitions
     * {@code sweep_id=...}); the others sit in folders whose names start with '_', so that
     * {@code spark.read.parquet(DIR)} still reads the results alone, each partitioned by
     * {@code sweep_id} and keyed to the results row of its point by (sweep_id, point_id,
     * start_time): rows of an attempt that the results view does not keep are not shown.
     *
     * @param name   the SQL view name ({@code sharpsweep sql})
     * @param folder the folder relative to the results directory; "" for the results table
     */
    public record Table(String name, String folder, List<Column> columns) {
        public Column column(String columnName) {
            for (Column c : columns) if (c.name().equals(columnName)) return c;
            return null;
        }

        /** Every column name, in table order. */
        public List<String> names() {
            return columns.stream().map(Column::name).toList();
        }
    }

    /**
     * In a results row (column name to value), the key under which the rows of the other tables
     * that the point produced travel with it: {@code Map<String table name, List<row>>}. The
     * journal keeps them in the same line, so a point's rows of every table are durable together.
     */
    public static final String CHILD_ROWS = "_rows";

    public static final String SWEEP_ID = "sweep_id";
    public static final String POINT_ID = "point_id";
    public static final String POINT_INDEX = "point_index";
    public static final String STATUS = "status";
    public static final String ERROR = "error";
    public static final String SEED = "seed";
    public static final String SEEDS = "seeds";
    public static final String REPLICATE = "replicate";

    public static final String TRAIN_LOSS = "train_loss";
    public static final String TEST_LOSS = "test_loss";
    public static final String TRAIN_ACC = "train_acc";
    public static final String TEST_ACC = "test_acc";
    public static final String GEN_GAP_LOSS = "gen_gap_loss";
    public static final String GEN_GAP_ACC = "gen_gap_acc";
    public static final String SHARPNESS = "sharpness";
    public static final String SHARPNESS_RESIDUAL = "sharpness_residual";
    public static final String SHARPNESS_ITERS = "sharpness_iters";
    public static final String NONUNIFORMITY = "nonuniformity";
    public static final String NONUNIFORMITY_RESIDUAL = "nonuniformity_residual";
    public static final String NONUNIFORMITY_ITERS = "nonuniformity_iters";
    public static final String NONUNIFORMITY_N = "nonuniformity_n";
    public static final String SHARPNESS_BOUND = "sharpness_bound";
    public static final String NONUNIFORMITY_BOUND = "nonuniformity_bound";
    public static final String STABILITY_MAX_EIG = "stability_max_eig";
    public static final String STABILITY_RESIDUAL = "stability_residual";
    public static final String STABILITY_ITERS = "stability_iters";
    public static final String HESSIAN_TRACE = "hessian_trace";
    public static final String HESSIAN_TRACE_STDERR = "hessian_trace_stderr";
    public static final String HESSIAN_TRACE_PROBES = "hessian_trace_probes";
    public static final String SHARPNESS_WINDOW_MEAN = "sharpness_window_mean";
    public static final String SHARPNESS_WINDOW_MIN = "sharpness_window_min";
    public static final String SHARPNESS_WINDOW_MAX = "sharpness_window_max";
    public static final String SHARPNESS_WINDOW_N = "sharpness_window_n";
    public static final String PARAM_NORM = "param_norm";
    public static final String GRAD_NORM = "grad_norm";
    public static final String NUM_PARAMS = "num_params";
    public static final String STEPS_DONE = "steps_done";
    public static final String DIVERGED_AT_STEP = "diverged_at_step";
    public static final String STOPPED_AT_STEP = "stopped_at_step";
    public static final String LOSS_PEAK_RATIO = "loss_peak_ratio";

    public static final String ENGINE_VERSION = "engine_version";
    public static final String BACKEND = "backend";
    public static final String DEVICE = "device";
    public static final String GPU_ADDRESS = "gpu_address";
    public static final String BLAS_CORE = "blas_core";
    public static final String EXECUTOR_HOST = "executor_host";
    public static final String LOCKSTEP = "lockstep";
    public static final String TRAIN_SECONDS = "train_seconds";
    public static final String MEASURE_SECONDS = "measure_seconds";
    public static final String START_TIME = "start_time";

    /** Status values that are results: a rerun skips these points and retries FAILED ones. */
    public static final List<String> DONE_STATUSES = List.of(Status.OK.name(), Status.DIVERGED.name());

    /**
     * The folder beside the table's partitions where the driver keeps each sweep's spec as run,
     * {@code _specs/<sweep_id>.yaml}; Spark and Parquet readers skip names that start with '_'.
     */
    public static final String SPECS_DIR = "_specs";

    /**
     * The folder beside the partitions where a running sweep journals each row as it arrives,
     * {@code _journal/<sweep_id>/<run>.jsonl}, until the rows are written to Parquet in a batch.
     */
    public static final String JOURNAL_DIR = "_journal";

    /** The spec file of a sweep, relative to the results directory. */
    public static String specFile(String sweepId) {
        return SPECS_DIR + "/" + sweepId + ".yaml";
    }

    public static final String STEP = "step";
    public static final String KIND = "kind";
    public static final String PROBE = "probe";
    public static final String RANK = "rank";
    public static final String EIGENVALUE = "eigenvalue";
    public static final String WEIGHT = "weight";
    public static final String RESIDUAL = "residual";
    public static final String PARAMS = "params";
    /** Values of the spectra table's {@code kind} column. */
    public static final String KIND_TOP_K = "top_k";
    public static final String KIND_DENSITY = "density";
    /** The results column of the setting {@code measure.save_params}. */
    public static final String SAVE_PARAMS_COLUMN = "save_params";

    private static final List<Column> COLUMNS;

    static {
        List<Column> c = new ArrayList<>();
        c.add(new Column(SWEEP_ID, Type.STRING, Group.IDENTITY, "the spec's name; the table's partition column"));
        c.add(new Column(POINT_ID, Type.STRING, Group.IDENTITY, "stable hash of the settings that apply and are not at their default (PointIds), the sweep seed and the replicate"));
        c.add(new Column(POINT_INDEX, Type.INT, Group.IDENTITY, "position of the point in the grid expansion"));
        c.add(new Column(STATUS, Type.STRING, Group.IDENTITY, "OK | DIVERGED | FAILED"));
        c.add(new Column(ERROR, Type.STRING, Group.IDENTITY, "why a point FAILED or DIVERGED; null when OK"));
        for (Setting s : Setting.values()) {
            c.add(new Column(s.shortName, s.columnType(), Group.PARAMETER, "setting " + s.path()));
        }
        c.add(new Column(SEED, Type.LONG, Group.PARAMETER, "the point's seed, derived from the sweep seed and point_id"));
        c.add(new Column(SEEDS, Type.STRING, Group.PARAMETER, "how the initial parameters and minibatches were drawn: shared (the"
                + " replicate's, alike for points that differ only in how they are optimized) or per-point (from seed); rows"
                + " written before the scheme existed read per-point"));
        c.add(new Column(REPLICATE, Type.INT, Group.PARAMETER, "value of the grid's seed axis (0 without one)"));

        c.add(new Column(TRAIN_LOSS, Type.DOUBLE, Group.METRIC, "loss on the whole training subset at the final parameters, without penalty",
                "train loss"));
        c.add(new Column(TEST_LOSS, Type.DOUBLE, Group.METRIC, "loss on the whole held-out set",
                "test loss"));
        c.add(new Column(TRAIN_ACC, Type.DOUBLE, Group.METRIC, "accuracy on the training subset (its labels, noisy ones included); null for regression",
                "train accuracy"));
        c.add(new Column(TEST_ACC, Type.DOUBLE, Group.METRIC, "accuracy on the held-out set; null for regression",
                "test accuracy"));
        c.add(new Column(GEN_GAP_LOSS, Type.DOUBLE, Group.METRIC, "test_loss - train_loss",
                "generalization gap: test loss − train loss"));
        c.add(new Column(GEN_GAP_ACC, Type.DOUBLE, Group.METRIC, "train_acc - test_acc",
                "generalization gap: train acc − test acc"));
        c.add(new Column(SHARPNESS_BOUND, Type.DOUBLE, Group.METRIC, "2 / lr: linear stability needs sharpness <= this",
                "sharpness bound 2/lr"));
        c.add(new Column(NONUNIFORMITY_BOUND, Type.DOUBLE, Group.METRIC, "sqrt(B(n-1)/(n-B)) / lr; null for full-batch GD (no bound)",
                "non-uniformity bound"));
        for (Measure m : Measures.all()) c.addAll(m.columns());
        c.add(new Column(PARAM_NORM, Type.DOUBLE, Group.METRIC, "Euclidean norm of the final parameter vector",
                "parameter norm ‖θ‖"));
        c.add(new Column(GRAD_NORM, Type.DOUBLE, Group.METRIC, "norm of the full-batch gradient of the training loss at the final parameters",
                "gradient norm ‖∇L‖"));
        c.add(new Column(NUM_PARAMS, Type.INT, Group.METRIC, "number of parameters P"));
        c.add(new Column(STEPS_DONE, Type.INT, Group.METRIC, "SGD steps taken"));
        c.add(new Column(DIVERGED_AT_STEP, Type.INT, Group.METRIC, "step at which the loss became NaN/Inf or exceeded divergence_loss"));
        c.add(new Column(STOPPED_AT_STEP, Type.INT, Group.METRIC, "steps taken when train.stop_at_loss ended training (the mean"
                + " minibatch loss of the epoch that ended there was below it); null when it did not"));
        c.add(new Column(LOSS_PEAK_RATIO, Type.DOUBLE, Group.METRIC, "the largest minibatch loss of the steps taken over the first"
                + " step's, each at the parameters before its step: max_t L(theta_t) / L(theta_0) for full-batch GD (above 1: the loss"
                + " rose, as in the catapult phase); a diverging step's loss is left out",
                "loss peak / initial loss"));

        c.add(new Column(ENGINE_VERSION, Type.STRING, Group.PROVENANCE, "sharpsweep version"));
        c.add(new Column(BACKEND, Type.STRING, Group.PROVENANCE, "ND4J backend: cpu | cuda"));
        c.add(new Column(DEVICE, Type.STRING, Group.PROVENANCE, "device the point ran on; for a data-parallel point (parallel = data) the driver's, where it was driven and its losses computed (its steps and curvature products ran on the workers)"));
        c.add(new Column(GPU_ADDRESS, Type.STRING, Group.PROVENANCE,
                "the GPU address Spark's resource scheduling gave the point's task (spark.task.resource.gpu.amount), which"
                + " the task bound ND4J to; null without GPU scheduling"));
        c.add(new Column(BLAS_CORE, Type.STRING, Group.PROVENANCE,
                "OpenBLAS kernel that computed the point, as the loaded library reports it (e.g. Cooperlake); null on cuda; the driver's for a data-parallel point"));
        c.add(new Column(EXECUTOR_HOST, Type.STRING, Group.PROVENANCE, "host name of the executor; the driver's for a data-parallel point"));
        c.add(new Column(LOCKSTEP, Type.INT, Group.PROVENANCE, "how many points were trained together with this one, itself included"
                + " (train.lockstep; 1: alone); null where the engine's small-network trainer did not train it (a cnn, a larger network,"
                + " a data-parallel point). The numbers are the same in any group (docs/lockstep.md)"));
        c.add(new Column(TRAIN_SECONDS, Type.DOUBLE, Group.PROVENANCE, "wall seconds of data loading and training"));
        c.add(new Column(MEASURE_SECONDS, Type.DOUBLE, Group.PROVENANCE, "wall seconds of the final measurements"));
        c.add(new Column(START_TIME, Type.TIMESTAMP, Group.PROVENANCE, "when the point started (UTC)"));
        COLUMNS = Collections.unmodifiableList(c);
        RESULTS = new Table("results", "", COLUMNS);

        List<Column> t = new ArrayList<>(key());
        t.add(new Column(STEP, Type.INT, Group.IDENTITY, "updates taken before this measurement (0 = the initial parameters)"));
        t.add(new Column(TRAIN_LOSS, Type.DOUBLE, Group.METRIC, "loss on the whole training subset, without penalty"));
        t.add(new Column(TRAIN_ACC, Type.DOUBLE, Group.METRIC, "accuracy on the training subset; null for regression"));
        t.add(new Column(TEST_LOSS, Type.DOUBLE, Group.METRIC, "loss on the whole held-out set"));
        t.add(new Column(TEST_ACC, Type.DOUBLE, Group.METRIC, "accuracy on the held-out set; null for regression"));
        t.add(new Column(GRAD_NORM, Type.DOUBLE, Group.METRIC, "norm of the full-batch gradient of the training loss"));
        t.add(new Column(PARAM_NORM, Type.DOUBLE, Group.METRIC, "Euclidean norm of the parameter vector"));
        for (Measure m : Measures.all()) t.addAll(m.along());
        t.add(new Column(TRAIN_SECONDS, Type.DOUBLE, Group.PROVENANCE, "wall seconds of training up to this step, measurements excluded"));
        TRAJECTORIES = new Table("trajectories", "_trajectories", Collections.unmodifiableList(t));

        List<Column> sp = new ArrayList<>(key());
        sp.add(new Column(STEP, Type.INT, Group.IDENTITY, "updates taken before the parameters this spectrum is of"));
        sp.add(new Column(KIND, Type.STRING, Group.IDENTITY, "top_k: the k largest eigenvalues of H by Lanczos; density: one probe's quadrature nodes and weights"));
        sp.add(new Column(PROBE, Type.INT, Group.IDENTITY, "density: the stochastic Lanczos quadrature probe (0-based); null for top_k"));
        sp.add(new Column(RANK, Type.INT, Group.IDENTITY, "top_k: 1 = the largest eigenvalue; density: node index, largest node first"));
        sp.add(new Column(EIGENVALUE, Type.DOUBLE, Group.METRIC, "the eigenvalue (top_k) or quadrature node (density) of H"));
        sp.add(new Column(WEIGHT, Type.DOUBLE, Group.METRIC, "density: the node's weight (a probe's weights sum to 1); null for top_k"));
        sp.add(new Column(RESIDUAL, Type.DOUBLE, Group.METRIC, "top_k: the Ritz pair's relative residual; null for density"));
        SPECTRA = new Table("spectra", "_spectra", Collections.unmodifiableList(sp));

        List<Column> pa = new ArrayList<>(key());
        pa.add(new Column(STEP, Type.INT, Group.IDENTITY, "updates taken before these parameters (steps_done)"));
        pa.add(new Column(NUM_PARAMS, Type.INT, Group.METRIC, "P, the length of params"));
        pa.add(new Column(PARAMS, Type.DOUBLE_ARRAY, Group.METRIC,
                "the final parameter vector in the engine's layout: for each layer l, W_l as [in, out] row-major, then b_l "
                        + "(what sharpsweep point --save-params writes as W1.npy, b1.npy, ...)"));
        PARAMS_TABLE = new Table("params", "_params", Collections.unmodifiableList(pa));
    }

    /** The columns that tie a row of another table to its point's results row. */
    private static List<Column> key() {
        return List.of(new Column(SWEEP_ID, Type.STRING, Group.IDENTITY, "the spec's name; the table's partition column"),
                new Column(POINT_ID, Type.STRING, Group.IDENTITY, "the point (results.point_id)"),
                new Column(START_TIME, Type.TIMESTAMP, Group.IDENTITY, "the attempt (results.start_time)"));
    }

    /** The results table: one row per attempt of a grid point. */
    public static final Table RESULTS;
    /** Measurements during training ({@code measure.every}): one row per point and measured step. */
    public static final Table TRAJECTORIES;
    /** Top eigenvalues and spectral densities of the Hessian ({@code measure.top_k}, {@code measure.density}). */
    public static final Table SPECTRA;
    /** Final parameters ({@code measure.save_params}): what {@code train.from_sweep} starts from. */
    public static final Table PARAMS_TABLE;

    /** The tables beside the results table, whose rows travel with a results row under {@link #CHILD_ROWS}. */
    public static List<Table> children() {
        return List.of(TRAJECTORIES, SPECTRA, PARAMS_TABLE);
    }

    /** Every table: results first. */
    public static List<Table> tables() {
        return List.of(RESULTS, TRAJECTORIES, SPECTRA, PARAMS_TABLE);
    }

    /** Every column, in table order. */
    public static List<Column> columns() {
        return COLUMNS;
    }

    public static Column column(String name) {
        for (Column c : COLUMNS) if (c.name().equals(name)) return c;
        return null;
    }

    /** The title of a results column in pictures and the report; the name itself when it has none. */
    public static String label(String name) {
        Column c = column(name);
        return c == null || c.label() == null ? name : c.label();
    }

    /** Names of the columns of one group, in table order. */
    public static List<String> names(Group group) {
        return COLUMNS.stream().filter(c -> c.group() == group).map(Column::name).toList();
    }
}

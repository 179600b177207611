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

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.store.SweepLock;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.Journal;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.store.TableFiles;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.Settings;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.ResultRow;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep measure DIR --sweep NAME [measures]}: measuring is not training. The finished
 * points of a sweep that kept their final parameters ({@code measure.save_params: true}) are
 * measured again at those parameters on the executors, and the new measurements are added to
 * their rows: the results columns rewritten atomically (staged, committed by a manifest, like a
 * compaction), the measure settings columns set to what was measured, the spectra rows appended
 * (a point that already has spectra rows of a kind keeps them). Point ids stay as they are: they
 * name the trained points.
 */
@Command(name = "measure", mixinStandardHelpOptions = true, modelTransformer = MeasureCommand.MeasureOptions.class,
        description = {"Add measurements to the finished points of a sweep from their saved final parameters, without training again.",
                "The sweep must have run with measure.save_params: true. Give at least one measure."})
final class MeasureCommand extends TableCommand {
    @Option(names = "--sweep", required = true, paramLabel = "NAME", description = "the sweep whose points are measured")
    String sweep;

    /** One point to measure: its point with the new measure settings, its saved parameters, its attempt. */
    record Task(String sweepId, GridPoint point, double[] theta, int stepsDone, Instant start) implements Serializable {
        String run() {
            org.sharpsweep.parallel.TaskGpu.bind();
            PointResult r = PointRunner.measureAt(point, theta, stepsDone, start);
            return Journal.encode(ResultRow.of(sweepId, point, r));
        }
    }

    @Spec
    CommandSpec command;

    /**
     * The options of the measures, from their declarations ({@link Measures}): for each measure
     * setting but the shared {@code every}, {@code window} and {@code save_params}, an option named
     * after its key ({@code measure.top_k} is {@code --top-k}): a flag for a measure's switch, a
     * value for the rest. A measure declared tomorrow has its options here without a change.
     */
    static final class MeasureOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (Setting s : optionSettings()) {
                Measure m = owner(s);
                OptionSpec.Builder b = OptionSpec.builder(flag(s)).type(s.type);
                if (m != null && m.on() == s) {
                    String columns = columns(m);
                    b.arity("0").description(m.summary() + (columns.isEmpty() ? "" : " (columns: " + columns + ")"));
                } else {
                    if (s.type == Boolean.class) b.arity("0..1"); // --m-sharpness-adaptive [true|false]; absent: the sweep's
                    b.paramLabel(s.type == Double.class ? "X" : s.type == Integer.class ? "N" : s.type == Boolean.class ? "BOOL" : "VALUE")
                            .description((m == null ? "" : m.name() + ": ") + "measure." + s.key + " (default: the sweep's)");
                }
                spec.addOption(b.build());
            }
            return spec;
        }

        private static String columns(Measure m) {
            List<String> c = new ArrayList<>();
            for (Measure x : Measures.all()) {
                if (x == m || (x.on() == null && x.options().isEmpty() && x.isAsked(onlyAsking(m)))) {
                    x.columns().forEach(col -> c.add(col.name()));
                }
            }
            return String.join(", ", c);
        }
    }

    /** The measure settings that are options of this command. */
    static List<Setting> optionSettings() {
        return Measures.settings().stream()
                .filter(s -> s != Setting.MEASURE_EVERY && s != Setting.MEASURE_WINDOW && s != Setting.SAVE_PARAMS).toList();
    }

    /** The option of a measure setting: {@code --} and its key with dashes. */
    static String flag(Setting s) {
        return "--" + s.key.replace('_', '-');
    }

    /** The measure whose switch or option {@code s} is; null for a shared setting (tol, max_iters). */
    static Measure owner(Setting s) {
        for (Measure m : Measures.all()) if (m.on() == s || m.options().contains(s)) return m;
        return null;
    }

    /** Measure settings that ask for {@code m} alone (its switch on, nothing else). */
    private static MeasureSpec onlyAsking(Measure m) {
        MeasureSpec none = MeasureSpec.defaults();
        for (Measure x : Measures.all()) if (x.on() != null) none = none.with(x.on(), x == m);
        return none;
    }

    /** The value given for an option, or null (false for a flag not given). */
    private Object given(Setting s) {
        return command.findOption(flag(s)).getValue();
    }

    /**
     * The measures asked for on the command line: those whose switch is given, and those
     * without a switch (top_k) given an option value other than its default (off).
     */
    List<Measure> requested() {
        List<Measure> r = new ArrayList<>();
        for (Measure m : Measures.all()) {
            if (m.on() != null ? Boolean.TRUE.equals(given(m.on()))
                    : m.options().stream().anyMatch(o -> given(o) != null && !given(o).equals(o.defaultValue()))) {
                r.add(m);
            }
        }
        return r;
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        List<Measure> requested = requested();
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("give at least one measure: " + String.join(", ", Measures.all().stream()
                    .filter(m -> m.on() != null || !m.options().isEmpty())
                    .map(m -> m.on() != null ? flag(m.on()) : flag(m.options().get(0)) + " N").toList()));
        }
        long t0 = System.nanoTime();
        // what needs only the table's files and kept spec is refused before Spark starts (a local table; another file
        // system may need the session's configuration, and the same checks run below)
        if (OutputPaths.local(dir) != null) refuseEarly(TableFiles.local(OutputPaths.local(dir)), requested);
        try (SparkSessions.Handle session = open("measure")) {
            SparkSession spark = session.spark();
            ResultStore store = ResultStore.open(spark, dir);
            checkSweep(store.sweeps());
            try (SweepLock lock = store.lock(sweep)) {
                store.recover(sweep);
                SweepSpec spec = keptSpec(SweepRunner.readSpec(spark, dir, sweep));
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
                Map<String, Integer> spectrumKept = new java.util.TreeMap<>(); // measure -> points that keep the spectrum they had
                for (Row r : ResultsTable.read(spark, dir).filter(col(ResultSchema.SWEEP_ID).equalTo(sweep)
                                .and(col(ResultSchema.STATUS).equalTo("OK")))
                        .select(ResultSchema.POINT_ID, ResultSchema.START_TIME, ResultSchema.STEPS_DONE, Setting.LR.shortName).collectAsList()) {
                    ok++;
                    String k = key(r.getString(0), r.getTimestamp(1));
                    double[] theta = params.get(k);
                    GridPoint p = byId.get(r.getString(0));
                    MeasureSpec m = p == null ? null : measures(p.spec().measure(), requested, kind -> hasSpectrum.contains(k + "#" + kind));
                    if (p != null && theta != null) {
                        for (Measure x : requested) {
                            if (x.spectrum() != null && hasSpectrum.contains(k + "#" + x.spectrum())) spectrumKept.merge(x.name(), 1, Integer::sum);
                        }
                    }
                    if (theta == null) {
                        unsaved++;
                        continue;
                    }
                    if (p == null) {
                        unknown++;
                        continue;
                    }
                    Settings settings = p.spec().settings().with(m.values());
                    // a learning rate given in units of 2/lambda_0 was resolved by the run: its row has the one it trained with
                    if (p.spec().train().lrIn2OverLambda0() != null) settings = settings.with(Setting.LR, r.getDouble(3));
                    tasks.add(new Task(sweep, new GridPoint(p.index(), p.pointId(), p.sweepSeed(), p.replicate(), p.seed(),
                            PointSpec.of(settings), p.axes(), p.seeds()), theta, r.getInt(2), r.getTimestamp(1).toInstant()));
                }
                if (tasks.isEmpty()) throw noSavedParams("none of its " + ok + " OK points kept its final parameters" + (unknown > 0 ? " under its kept spec" : ""));
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                jsc.setJobDescription("measure " + tasks.size() + " points of " + sweep);
                List<String> lines = jsc.parallelize(tasks, tasks.size()).map(Task::run).collect();
                int failed = apply(spark, store, lines);
                System.out.printf("sweep %s: %d points measured (%s) in %.1f s%s%s%n", sweep, tasks.size() - failed,
                        String.join(", ", requested.stream().map(Measure::name).toList()),
                        (System.nanoTime() - t0) / 1e9,
                        unsaved > 0 ? "; " + unsaved + " OK points without saved parameters left as they were" : "",
                        failed > 0 ? "; " + failed + " failed (their rows unchanged)" : "");
                // a spectrum is measured once per attempt: one a point has is kept, with the settings columns it was measured with
                spectrumKept.forEach((name, n) -> System.out.printf("  %s: %d of them already had its spectrum rows, kept as measured "
                        + "(the row's settings columns say with what); a spectrum with other settings needs a new run of the sweep%n", name, n));
                return failed > 0 ? 1 : 0;
            }
        }
    }

    /**
     * The refusals that need no Spark session (docs/commands.md): no table in the directory, no
     * such sweep, no readable kept spec, options that do not go together with the sweep's measure
     * settings ({@code --top-k} above its {@code max_iters}), and a sweep with no saved
     * parameters at all (no file of the params table, no journal: {@link TableFiles#mayHoldRows}).
     */
    void refuseEarly(TableFiles table, List<Measure> requested) {
        checkSweep(table.sweeps());
        SweepSpec spec = keptSpec(table.keptSpec(sweep));
        measures(spec.point(0).spec().measure(), requested, kind -> false); // measure settings are no grid axes: one for every point
        if (!table.mayHoldRows(ResultSchema.PARAMS_TABLE, sweep)) throw noSavedParams("none of its points kept its final parameters");
    }

    private void checkSweep(List<String> present) {
        if (present.isEmpty()) throw new IllegalArgumentException("no results table in " + dir + " (expected sweep_id=... partitions)");
        if (!present.contains(sweep)) throw new IllegalArgumentException("--sweep " + sweep + ": no such sweep in " + dir + "; it holds " + present);
    }

    private SweepSpec keptSpec(SweepSpec spec) {
        if (spec == null) throw new IllegalArgumentException("sweep " + sweep + " in " + dir + " has no readable kept spec (_specs/" + sweep + ".yaml)");
        return spec;
    }

    private IllegalArgumentException noSavedParams(String what) {
        return new IllegalArgumentException("sweep " + sweep + ": " + what + "; run it with measure.save_params: true (sharpsweep run SPEC --out "
                + dir + " --restart)");
    }

    /** Every option's range, before Spark starts and before anything else, naming the option and the value. */
    void checkOptions() {
        for (Setting s : optionSettings()) {
            Object v = given(s);
            String p = v == null || Boolean.FALSE.equals(v) ? null : s.problem(v);
            if (p != null) throw new IllegalArgumentException(flag(s) + p.substring(s.path().length()));
            Measure m = owner(s);
            if (v != null && m != null && m.on() == null && v.equals(s.defaultValue())) { // --top-k 0: the value that means "off"
                throw new IllegalArgumentException(flag(s) + " " + v + " asks for nothing (" + m.summary() + "); give a value other than "
                        + v + ", or leave " + flag(s) + " out");
            }
        }
    }

    private static String key(String pointId, Timestamp start) {
        return pointId + "@" + start.toInstant();
    }

    /**
     * The point's measure settings for this run: the measures requested on (a spectrum only where
     * the point has none of its kind yet), every other measure off, each option as given or else
     * the sweep's; nothing along training.
     */
    private MeasureSpec measures(MeasureSpec was, List<Measure> requested, java.util.function.Predicate<String> hasSpectrum) {
        Map<Setting, Object> m = new HashMap<>(was.values());
        m.put(Setting.MEASURE_WINDOW, 0);
        m.put(Setting.MEASURE_EVERY, 0);
        for (Setting s : List.of(Setting.MAX_ITERS, Setting.TOL)) if (given(s) != null) m.put(s, given(s));
        for (Measure x : Measures.all()) {
            boolean on = requested.contains(x) && (x.spectrum() == null || !hasSpectrum.test(x.spectrum()));
            if (x.on() != null) m.put(x.on(), on);
            for (Setting o : x.options()) {
                if (x.on() == null && !on) m.put(o, o.defaultValue());
                else if (given(o) != null) m.put(o, given(o));
            }
        }
        try {
            return MeasureSpec.of(m);
        } catch (SpecException e) { // a check across settings: name the options as the user gave them
            String why = e.getMessage();
            for (Setting s : optionSettings()) if (given(s) != null) why = why.replace(s.path(), flag(s));
            throw new IllegalArgumentException(why, e);
        }
    }

    /**
     * The measure settings columns this run sets on a row it measured: the settings of each
     * measure the row's task computed (a spectrum the point already had is not redone, so its
     * columns stay as they were).
     */
    private static List<String> settingColumns(Map<String, Object> row) {
        Map<Setting, Object> v = new HashMap<>();
        for (Setting s : Measures.settings()) if (row.get(s.shortName) != null) v.put(s, row.get(s.shortName));
        MeasureSpec task = MeasureSpec.of(v);
        Set<String> c = new LinkedHashSet<>();
        for (Measure m : Measures.all()) {
            if (task.on(m)) m.settings().forEach(s -> c.add(s.shortName));
        }
        return new ArrayList<>(c);
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

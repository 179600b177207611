package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The Hessian's spectral density of each grid point, from the {@code spectra} table (written when
 * a sweep sets {@code measure.density: true}) joined to the {@code results} view on (sweep_id,
 * point_id, start_time), so each curve carries its point's settings and only the attempt the
 * view keeps is shown.
 *
 * <p>Each probe of stochastic Lanczos quadrature stored nodes theta_j (rows {@code kind =
 * 'density'}, {@code eigenvalue}) and weights tau_j summing to 1. As PyHessian's
 * {@code density_generate} (Yao et al. 2020, "PyHessian: neural networks through the lens of the
 * Hessian", section 3.3), the deltas are smoothed by a Gaussian kernel:
 * phi(t) = (1/n_v) sum_probes sum_j tau_j N(t; theta_j, sigma^2), {@link #density}; with PyHessian's
 * kernel, sigma^2 = {@link #DEFAULT_SIGMA_SQUARED} max(1, hi - lo) ({@link #defaultSigma}), over
 * {@code bins} equally spaced eigenvalues from lo to hi, the mean extreme nodes widened by
 * {@link #DEFAULT_OVERHEAD} ({@link #defaultRange}). Units: t in those of H (of the training loss
 * as the worker scales it), phi in 1 / those units. Unlike PyHessian, phi is not renormalized by
 * its sum over the grid: it integrates to 1 over the real line, and to 1 less the kernel mass
 * beyond the grid's ends over the grid (small unless an extreme node carries much weight).
 *
 * <p>The grid step is (hi - lo) / (bins - 1) and the default sigma is sqrt(1e-5 (hi - lo)) for a
 * range over 1, so the step stays below sigma while hi - lo is below about (bins / 316)^2: 10 at
 * the default 1000 bins (PyHessian's 10000 reach 1000). Beyond that the grid samples the
 * kernels coarsely: the integral over it stays about right, single peaks may fall between points.
 *
 * <p>Rows {@code kind = 'top_k'} of a point, when present, are its top eigenvalues (drawn as
 * dots). A point with rows at several steps is shown at its last.
 */
public final class SpectralDensity {
    private SpectralDensity() {
    }

    /** Grid points per density when none is given. */
    public static final int DEFAULT_BINS = 1000;
    /** PyHessian's kernel variance in normalized units ({@code sigma_squared}). */
    public static final double DEFAULT_SIGMA_SQUARED = 1e-5;
    /** PyHessian's margin beyond the mean extreme nodes for the grid ({@code overhead}), in units of H. */
    public static final double DEFAULT_OVERHEAD = 0.01;

    /** Values of the spectra table's {@code kind} column (as the worker writes them). */
    static final String DENSITY = "density";
    static final String TOP_K = "top_k";

    private static final String LR = "lr";
    private static final String BATCH_SIZE = "batch_size";
    private static final String HINT = "run a sweep with measure.density: true";

    /**
     * @param where    Spark SQL predicate over the results view's columns, or null
     * @param colourBy a settings column of the results view, or null: {@code lr} if the selected
     *                 points have more than one lr, else {@code batch_size} if they have more than
     *                 one batch size, else {@code lr}
     * @param sweep    only this sweep_id, or null for every sweep
     * @param sigma    the kernel's standard deviation in units of H, or null for PyHessian's
     *                 ({@link #defaultSigma}, per point)
     * @param bins     grid points per density, >= 2
     */
    public record Options(String where, String colourBy, String sweep, Double sigma, int bins) {
        public Options {
            if (where != null && where.isBlank()) where = null;
            if (colourBy != null && !Trajectory.colourColumns().contains(colourBy)) {
                throw new IllegalArgumentException("unknown colour axis '" + colourBy + "'; settings columns: "
                        + String.join(", ", Trajectory.colourColumns()));
            }
            if (sweep != null && sweep.isBlank()) {
                throw new IllegalArgumentException("sweep must name a sweep_id, got '" + sweep + "'");
            }
            if (sigma != null && !(sigma > 0 && Double.isFinite(sigma))) {
                throw new IllegalArgumentException("sigma must be > 0 and finite, got " + sigma);
            }
            if (bins < 2) throw new IllegalArgumentException("bins must be >= 2, got " + bins);
        }

        /** PyHessian's kernel and {@link #DEFAULT_BINS} bins. */
        public Options(String where, String colourBy, String sweep) {
            this(where, colourBy, sweep, null, DEFAULT_BINS);
        }

        /** Every point, the colour axis chosen from the points, PyHessian's kernel. */
        public Options() {
            this(null, null, null);
        }
    }

    /**
     * One probe's Gauss quadrature.
     *
     * @param nodes   the quadrature nodes (Ritz values of H), any order
     * @param weights their weights, same order, >= 0, summing to 1
     */
    public record Quadrature(double[] nodes, double[] weights) {
        public Quadrature {
            if (nodes == null || weights == null || nodes.length == 0 || nodes.length != weights.length) {
                throw new IllegalArgumentException("a quadrature needs as many weights as nodes, at least one; got "
                        + (nodes == null ? "null" : nodes.length) + " nodes and " + (weights == null ? "null" : weights.length) + " weights");
            }
            nodes = nodes.clone();
            weights = weights.clone();
        }

        double max() {
            double m = Double.NEGATIVE_INFINITY;
            for (double v : nodes) m = Math.max(m, v);
            return m;
        }

        double min() {
            double m = Double.POSITIVE_INFINITY;
            for (double v : nodes) m = Math.min(m, v);
            return m;
        }
    }

    /**
     * One point's density.
     *
     * @param colour       its value of the colour axis (a number or a string; null if the column is null)
     * @param colourIndex  the position of {@code colour} in {@link Result#colourValues()}
     * @param step         the step its spectrum is of
     * @param quadratures  one per probe, in probe order
     * @param sigma        the kernel's standard deviation used
     * @param grid         the eigenvalues t, ascending
     * @param density      phi(t) at each grid point
     * @param sharpness    its results row's sharpness, or null
     * @param topK         its {@code top_k} eigenvalues, descending; empty when not measured (drawn as dots)
     */
    public record Curve(String sweepId, String pointId, String status, Object colour, int colourIndex, int step,
            List<Quadrature> quadratures, double sigma, double[] grid, double[] density, Double sharpness, List<Double> topK) {
        public Curve {
            quadratures = List.copyOf(quadratures);
            topK = List.copyOf(topK);
        }

        public int probes() {
            return quadratures.size();
        }

        /** The most nodes of any probe (m, or fewer after a breakdown or when m exceeds P). */
        public int nodes() {
            return quadratures.stream().mapToInt(q -> q.nodes().length).max().orElse(0);
        }

        /** The largest node over the probes: the best estimate of lambda_max, approached from below. */
        public double topNode() {
            return quadratures.stream().mapToDouble(Quadrature::max).max().orElse(Double.NaN);
        }

        /** The density's mass on negative eigenvalues: the weights of nodes below 0, averaged over probes. */
        public double negativeMass() {
            double m = 0;
            for (Quadrature q : quadratures) {
                for (int j = 0; j < q.nodes().length; j++) if (q.nodes()[j] < 0) m += q.weights()[j];
            }
            return m / quadratures.size();
        }

        /** Where its sharpness is marked: the results row's sharpness, else the top node. */
        public double marked() {
            return sharpness != null && Double.isFinite(sharpness) ? sharpness : topNode();
        }
    }

    /**
     * What the picture shows.
     *
     * @param colourValues the colour axis's distinct values among the curves, in {@link GridAxes#VALUE_ORDER}
     * @param curves       one per point, ordered by colour value, sweep and point id
     * @param sweeps       the sweeps of the curves, sorted
     * @param sigma        the kernel's standard deviation the user gave, or null for PyHessian's
     * @param where        the user's predicate, or null
     */
    public record Result(String colourBy, List<Object> colourValues, List<Curve> curves, List<String> sweeps, Double sigma,
            String where) {
        public Result {
            colourValues = java.util.Collections.unmodifiableList(new ArrayList<>(colourValues));
            curves = List.copyOf(curves);
            sweeps = List.copyOf(sweeps);
        }

        /** The figure's title, e.g. {@code Hessian spectral density — sweep eos}. */
        public String title() {
            return "Hessian spectral density — " + (sweeps.size() == 1 ? "sweep " : "sweeps ") + String.join(", ", sweeps);
        }

        /**
         * How the densities were made, e.g. {@code SLQ, 1 probe, 100 nodes, Gaussian smoothing
         * σ² = 1e-5 (normalized)}; a count that differs between points is given as a range.
         */
        public String method() {
            int pLo = curves.stream().mapToInt(Curve::probes).min().orElse(0);
            int pHi = curves.stream().mapToInt(Curve::probes).max().orElse(0);
            int nLo = curves.stream().mapToInt(Curve::nodes).min().orElse(0);
            int nHi = curves.stream().mapToInt(Curve::nodes).max().orElse(0);
            String smoothing = sigma == null
                    ? "Gaussian smoothing σ² = " + Format.number(DEFAULT_SIGMA_SQUARED, 3) + " (normalized)"
                    : "Gaussian smoothing σ = " + Format.number(sigma, 3);
            return "SLQ, " + range(pLo, pHi) + (pHi == 1 ? " probe, " : " probes, ") + range(nLo, nHi) + " nodes, " + smoothing;
        }

        private static String range(int lo, int hi) {
            return lo == hi ? String.valueOf(lo) : lo + "–" + hi;
        }
    }

    /** Reads the results and spectra tables in {@code dir}; errors name the value at fault. */
    public static Result compute(SparkSession spark, String dir, Options o) {
        Dataset<Row> results = Query.table(spark, dir);
        return compute(results, ResultsTable.read(spark, dir, ResultSchema.SPECTRA), dir, o);
    }

    /** The refusal of a picture of a table without spectral densities (of {@code sweep}, when not null). */
    public static IllegalArgumentException noDensities(String source, String sweep) {
        return new IllegalArgumentException("no spectral densities in " + source + (sweep == null ? "" : " for sweep '" + sweep + "'")
                + ": " + HINT);
    }

    /**
     * From tables already loaded: {@code results} in the schema of the results view (one row per
     * point) and {@code spectra} in that of {@link ResultSchema#SPECTRA}.
     *
     * @param source what to call the directory in messages
     */
    static Result compute(Dataset<Row> results, Dataset<Row> spectra, String source, Options o) {
        Dataset<Row> selected = Query.filter(results, o.where());
        if (o.sweep() != null) {
            selected = selected.filter(col(ResultSchema.SWEEP_ID).equalTo(o.sweep()));
            spectra = spectra.filter(col(ResultSchema.SWEEP_ID).equalTo(o.sweep()));
        }
        List<String> settings = new ArrayList<>(List.of(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME,
                ResultSchema.STATUS, ResultSchema.SHARPNESS, LR, BATCH_SIZE));
        if (o.colourBy() != null && !settings.contains(o.colourBy())) settings.add(o.colourBy());
        // one job when there are densities to draw; the jobs that say why there are none only when there are none
        List<Row> rows = spectra.filter(col(ResultSchema.KIND).isin(DENSITY, TOP_K))
                .select(col(ResultSchema.SWEEP_ID), col(ResultSchema.POINT_ID), col(ResultSchema.START_TIME), col(ResultSchema.STEP),
                        col(ResultSchema.KIND), col(ResultSchema.PROBE), col(ResultSchema.RANK), col(ResultSchema.EIGENVALUE),
                        col(ResultSchema.WEIGHT))
                .join(selected.select(settings.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)),
                        scala.collection.JavaConverters.asScalaBuffer(
                                List.of(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME)).toSeq(), "inner")
                .orderBy(col(ResultSchema.SWEEP_ID), col(ResultSchema.POINT_ID), col(ResultSchema.STEP), col(ResultSchema.KIND),
                        col(ResultSchema.PROBE), col(ResultSchema.RANK))
                .collectAsList();
        Map<List<String>, List<Row>> byPoint = new LinkedHashMap<>();
        for (Row r : rows) {
            byPoint.computeIfAbsent(List.of(r.<String>getAs(ResultSchema.SWEEP_ID), r.<String>getAs(ResultSchema.POINT_ID)),
                    k -> new ArrayList<>()).add(r);
        }
        byPoint.values().removeIf(p -> p.stream().noneMatch(r -> DENSITY.equals(r.getAs(ResultSchema.KIND))));
        if (byPoint.isEmpty()) throw none(results, spectra, source, o);
        return of(byPoint.values(), o);
    }

    /** Why no point of the selection has a density: no such sweep, no densities at all, no point selected, or none of those. */
    private static IllegalArgumentException none(Dataset<Row> results, Dataset<Row> spectra, String source, Options o) {
        Dataset<Row> selected = Query.select(results, o.where(), o.sweep(), source);
        if (spectra.filter(col(ResultSchema.KIND).equalTo(DENSITY)).isEmpty()) return noDensities(source, o.sweep());
        String selection = "points" + (o.sweep() == null ? "" : " of sweep '" + o.sweep() + "'") + " in " + source
                + (o.where() == null ? "" : " that match --where '" + o.where() + "'");
        long points = selected.count();
        if (points == 0) return new IllegalArgumentException("no " + selection);
        return new IllegalArgumentException("none of the " + points + " " + selection + " has a spectral density: " + HINT);
    }

    /** One curve per point from its joined rows (ordered by step, kind, probe and rank). */
    private static Result of(Collection<List<Row>> points, Options o) {
        String colourBy = o.colourBy() != null ? o.colourBy() : Query.defaultColour(points);
        TreeSet<Object> distinct = new TreeSet<>(GridAxes.VALUE_ORDER);
        for (List<Row> point : points) distinct.add(Query.normalised(point.get(0).getAs(colourBy)));
        List<Object> colourValues = new ArrayList<>(distinct);

        List<Curve> curves = new ArrayList<>();
        for (List<Row> point : points) {
            Row first = point.get(0);
            int step = point.stream().filter(r -> DENSITY.equals(r.getAs(ResultSchema.KIND)))
                    .mapToInt(r -> r.<Integer>getAs(ResultSchema.STEP)).max().getAsInt();
            TreeMap<Integer, List<double[]>> byProbe = new TreeMap<>();
            List<Double> topK = new ArrayList<>();
            for (Row r : point) {
                if (r.<Integer>getAs(ResultSchema.STEP) != step) continue;
                Double value = r.getAs(ResultSchema.EIGENVALUE);
                if (value == null || !Double.isFinite(value)) continue;
                if (TOP_K.equals(r.getAs(ResultSchema.KIND))) {
                    topK.add(value);
                } else {
                    Double w = r.getAs(ResultSchema.WEIGHT);
                    Integer probe = r.getAs(ResultSchema.PROBE);
                    if (w == null || !Double.isFinite(w)) continue;
                    byProbe.computeIfAbsent(probe == null ? 0 : probe, k -> new ArrayList<>()).add(new double[] {value, w});
                }
            }
            String id = first.getAs(ResultSchema.SWEEP_ID) + "/" + first.getAs(ResultSchema.POINT_ID);
            if (byProbe.isEmpty()) {
                throw new IllegalArgumentException("point " + id + " has density rows at step " + step + " but no finite node and weight");
            }
            List<Quadrature> qs = new ArrayList<>();
            for (List<double[]> nw : byProbe.values()) {
                qs.add(new Quadrature(nw.stream().mapToDouble(a -> a[0]).toArray(), nw.stream().mapToDouble(a -> a[1]).toArray()));
            }
            topK.sort(Comparator.reverseOrder());
            double sigma = o.sigma() != null ? o.sigma() : defaultSigma(qs);
            double[] range = defaultRange(qs);
            double[] grid = linspace(range[0], range[1], o.bins());
            Object colour = Query.normalised(first.getAs(colourBy));
            Double sharpness = first.getAs(ResultSchema.SHARPNESS);
            curves.add(new Curve(first.getAs(ResultSchema.SWEEP_ID), first.getAs(ResultSchema.POINT_ID), first.getAs(ResultSchema.STATUS),
                    colour, colourValues.indexOf(colour), step, qs, sigma, grid, density(qs, grid, sigma), sharpness, topK));
        }
        curves.sort(Comparator.comparing(Curve::colour, GridAxes.VALUE_ORDER)
                .thenComparing(Curve::sweepId).thenComparing(Curve::pointId));
        List<String> sweeps = curves.stream().map(Curve::sweepId).distinct().sorted().toList();
        return new Result(colourBy, colourValues, curves, sweeps, o.sigma(), o.where());
    }

    /**
     * The smoothed density phi_sigma(t) = (1/n_v) sum_probes sum_j tau_j exp(-(t - theta_j)^2 /
     * (2 sigma^2)) / (sigma sqrt(2 pi)) at each grid point. Each kernel integrates to 1, so the
     * density integrates to 1 over the real line (up to the kernel mass outside a finite grid);
     * unlike PyHessian it is not renormalized by its Riemann sum over the grid. Units: 1 / (units
     * of H).
     *
     * @param sigma kernel standard deviation, > 0 (PyHessian's choice: {@link #defaultSigma})
     */
    public static double[] density(List<Quadrature> quadratures, double[] grid, double sigma) {
        if (quadratures == null || quadratures.isEmpty()) throw new IllegalArgumentException("no quadratures");
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        double[] out = new double[grid.length];
        double norm = 1.0 / (quadratures.size() * sigma * Math.sqrt(2 * Math.PI));
        double inv2s2 = 1.0 / (2 * sigma * sigma);
        for (Quadrature q : quadratures) {
            double[] nodes = q.nodes();
            double[] weights = q.weights();
            for (int g = 0; g < grid.length; g++) {
                double t = grid[g];
                double sum = 0;
                for (int j = 0; j < nodes.length; j++) {
                    double d = t - nodes[j];
                    sum += weights[j] * Math.exp(-d * d * inv2s2);
                }
                out[g] += sum * norm;
            }
        }
        return out;
    }

    /**
     * PyHessian's grid bounds ({@code density_generate}): [lo, hi] with lo the mean over probes of
     * the smallest node minus {@link #DEFAULT_OVERHEAD}, hi the mean of the largest plus it.
     */
    public static double[] defaultRange(List<Quadrature> quadratures) {
        double lo = 0;
        double hi = 0;
        for (Quadrature q : quadratures) {
            hi += q.max();
            lo += q.min();
        }
        return new double[] {lo / quadratures.size() - DEFAULT_OVERHEAD, hi / quadratures.size() + DEFAULT_OVERHEAD};
    }

    /**
     * PyHessian's kernel width: variance sigma^2 = {@link #DEFAULT_SIGMA_SQUARED} max(1, hi - lo),
     * [lo, hi] = {@link #defaultRange}; returned as the standard deviation sigma.
     */
    public static double defaultSigma(List<Quadrature> quadratures) {
        double[] range = defaultRange(quadratures);
        return Math.sqrt(DEFAULT_SIGMA_SQUARED * Math.max(1.0, range[1] - range[0]));
    }

    /** {@code bins} equally spaced points from lo to hi inclusive (numpy's linspace), bins >= 2. */
    public static double[] linspace(double lo, double hi, int bins) {
        if (bins < 2) throw new IllegalArgumentException("bins must be >= 2, got " + bins);
        double[] g = new double[bins];
        double step = (hi - lo) / (bins - 1);
        for (int i = 0; i < bins; i++) g[i] = lo + i * step;
        g[bins - 1] = hi;
        return g;
    }

    /** Refuses, before any work, a picture path that does not end in .png or .svg. */
    public static void checkPicture(Path out) {
        Figure.formatOf(out);
    }

    /** Writes the picture, {@link DensityPainter#WIDTH} x {@link DensityPainter#HEIGHT}, to {@code out} (.png or .svg). */
    public static void draw(Result r, Path out) {
        Figure.write(new DensityPainter(r, DensityPainter.WIDTH, DensityPainter.HEIGHT).figure(), out);
    }
}

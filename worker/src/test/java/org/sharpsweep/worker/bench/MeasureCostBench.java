package org.sharpsweep.worker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Catalog;
import org.sharpsweep.sweeps.Defaults;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.HutchinsonTrace;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.StochasticLanczosQuadrature;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.curvature.TraceEstimate;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * What each measure adds to a grid point, as a ratio to the point's training time, and what the
 * warm start saves along a trajectory. One JVM, interleaved rounds, medians.
 *
 * <p>Part 1, on the real Fashion-MNIST (first 1000 training and 10000 test images, 784-100-10
 * ReLU, MSE, lr 0.1, 2000 steps; full-batch GD and SGD with B = 50). Each round, per setting:
 * the point run with every measure off ({@link PointRunner#run}, its {@code train_seconds}: the
 * denominator; its {@code measure_seconds} is the final losses and accuracies every point pays),
 * then every measure once, timed directly at the point's final parameters (reproduced once
 * before the rounds by {@link Trainer#train} from the same initialization and seed, and checked
 * against the point run's train loss), so that the noise of a 12 s training does not swamp a
 * 0.2 s measure. The measures call the public APIs the engine calls ({@code Curvature.measure},
 * {@code TrajectoryRecorder}) with the same seeds and the settings' defaults (tol 1e-4, at most
 * 100 Lanczos products, trace_tol 1e-2 with 20 deflated vectors, 100 SLQ steps and 1 probe); {@code top_k} is k = 10 (the
 * outliers of a 10-class problem). The trajectory ({@code measure.every: 50}) is the work of
 * {@code TrajectoryRecorder.at} at the 41 parameter vectors of steps 0, 50, ..., 2000, in order:
 * train loss and gradient norm, parameter norm, test loss, both accuracies, and the sharpness by
 * Lanczos warm-started from the previous Ritz vector. The GD measures are the same work in an
 * SGD point (same n); only the non-uniformity and the stability operator (which adds Sigma for
 * B &lt; n) differ, so the SGD setting measures those, plus the sharpness for its total.
 *
 * <p>Products are operator calls, counted by a wrapper. One product of H is one
 * Hessian-vector product (HVP) on all n samples; of Sigma, one batched per-sample pass plus one
 * HVP; of the stability operator, two HVPs (plus one Sigma product when B &lt; n).
 *
 * <p>Part 2, the catalog's {@code edge-of-stability} point with lr 0.2 (n = 500, width 32, GD,
 * 3000 steps, every 50): the 61 parameter vectors the trajectory measures are collected with a
 * {@link Trainer.Observer}; at each, Lanczos (tol 1e-4, at most 100 products) runs cold (the
 * engine's seeded Gaussian start, the same at every step) and warm (from the previous step's
 * Ritz vector, the first from the seeded start, as {@code TrajectoryRecorder}); total products,
 * wall time of each chain (median of the rounds, cold and warm alternating first) and the
 * largest difference between the two sharpness values, with the two top eigenvalues at that step
 * to relative residual 1e-8 ({@link Lanczos#topK}) to say which start was right: a Ritz value
 * never exceeds the top eigenvalue, and either run may stop on the second of two close ones.
 *
 * <p>Run: {@code bench/run MeasureCostBench [rounds=3] [data=/usr/share/datasets/fashion-mnist] [only=TEXT]}.
 * About 2 minutes on the 2-core VM with nothing else running. {@code only=TEXT} times only the
 * measures whose name contains TEXT (the trainings still run: they are the denominator) and skips
 * part 2.
 */
public final class MeasureCostBench {
    private static final int TOP_K = 10;
    private static final int EVERY = 50;
    private static final int FASHION_STEPS = 2000;
    /** Curvature.DENSITY_PROBES: PyHessian's default n_v = 1. */
    private static final int DENSITY_PROBES = 1;
    private static final double TOL = Defaults.TOL;
    private static final int MAX_ITERS = Defaults.MAX_ITERS;
    /** The two top eigenvalues at the step where cold and warm differ most, to this relative residual. */
    private static final double REFERENCE_TOL = 1e-8;
    private static final int REFERENCE_MAX_ITERS = 400;
    /** |point run's train loss - the loss at the reproduced parameters| above this: not the same parameters. */
    private static final double SAME_LOSS_RTOL = 1e-12;

    private MeasureCostBench() {
    }

    /** One grid point with its data, model and final parameters. */
    private record Setting(String name, GridPoint point, Data data, Mlp model, INDArray theta, List<INDArray> snapshots,
                           double trainLoss) {
        PointSpec spec() {
            return point.spec();
        }

        int n() {
            return data.nTrain();
        }
    }

    /** A measure: runs once and says what it used. */
    private record Measure(String setting, String name, String composition, Supplier<Run> run) {
    }

    /**
     * What one run of a measure used: operator products, how it ended (residual reached, probes),
     * and for the trajectory the seconds of its losses and accuracies alone (else 0).
     */
    private record Run(int products, String note, double metricsSeconds) {
        Run(int products, String note) {
            this(products, note, 0);
        }
    }

    /** Wall seconds of each run of a measure and the last run's outcome (the same every round: fixed seeds). */
    private static final class Times {
        final List<Double> seconds = new ArrayList<>();
        final List<Double> metricsSeconds = new ArrayList<>();
        Run last;

        double median() {
            return MeasureCostBench.median(seconds);
        }
    }

    public static void main(String[] args) {
        Map<String, String> a = parse(args);
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        String only = a.get("only");
        String path = a.getOrDefault("data", "/usr/share/datasets/fashion-mnist");
        if (!Files.isDirectory(Path.of(path))) {
            throw new IllegalArgumentException("data: no directory " + path + " (apt-get install dataset-fashion-mnist)");
        }
        Blas.prepare();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        long wall0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "MeasureCostBench: %d rounds, OMP_NUM_THREADS=%s, OpenBLAS core %s, %d cores, load %s%n",
                rounds, System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"), Blas.core(),
                Runtime.getRuntime().availableProcessors(), loadAverage());

        SweepSpec fashion = SweepSpec.parse(fashionYaml(path));
        Setting gd = prepare("GD", point(fashion, p -> p.spec().train().batchSize() == 1000), true);
        Setting sgd = prepare("SGD B=50", point(fashion, p -> p.spec().train().batchSize() == 50), false);
        Setting eos = prepare("edge-of-stability lr 0.2",
                point(Catalog.resolve("edge-of-stability"), p -> p.spec().train().lr() == 0.2), true);
        System.out.printf(Locale.ROOT, "prepared in %.0f s: final parameters and %d + %d snapshots%n",
                (System.nanoTime() - wall0) / 1e9, gd.snapshots().size(), eos.snapshots().size());
        for (Setting s : List.of(gd, sgd, eos)) {
            System.out.printf(Locale.ROOT, "  %s: point %s, seed %d, final train loss %.6g%n", s.name(), s.point().pointId(),
                    s.point().seed(), s.trainLoss());
        }

        List<Measure> measures = new ArrayList<>();
        measures.addAll(gdMeasures(gd));
        measures.addAll(sgdMeasures(sgd));
        if (only != null) measures.removeIf(m -> !m.name().contains(only));
        Map<String, List<Double>> train = new LinkedHashMap<>();
        Map<String, List<Double>> finalMetrics = new LinkedHashMap<>();
        Map<Measure, Times> times = new LinkedHashMap<>();
        for (Measure m : measures) times.put(m, new Times());
        List<double[]> cold = new ArrayList<>(); // per round: seconds, products, values...
        List<double[]> warm = new ArrayList<>();

        for (int round = 0; round < rounds; round++) {
            for (Setting s : List.of(gd, sgd)) {
                PointResult r = PointRunner.run(s.point());
                if (r.status() != Status.OK) throw new IllegalStateException(s.name() + ": point run " + r.status() + ": " + r.error());
                double loss = r.number(ResultSchema.TRAIN_LOSS);
                if (Math.abs(loss - s.trainLoss()) > SAME_LOSS_RTOL * Math.abs(s.trainLoss())) {
                    throw new IllegalStateException(s.name() + ": the point run ends at train loss " + loss
                            + ", the reproduced parameters at " + s.trainLoss());
                }
                train.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(r.number(ResultSchema.TRAIN_SECONDS));
                finalMetrics.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(r.number(ResultSchema.MEASURE_SECONDS));
                for (Measure m : measures) {
                    if (!m.setting().equals(s.name())) continue;
                    long t0 = System.nanoTime();
                    Run run = m.run().get();
                    Times t = times.get(m);
                    t.seconds.add((System.nanoTime() - t0) / 1e9);
                    t.metricsSeconds.add(run.metricsSeconds());
                    t.last = run;
                }
            }
            boolean coldFirst = round % 2 == 0;
            for (int k = 0; k < (only == null ? 2 : 0); k++) {
                if ((k == 0) == coldFirst) cold.add(chain(eos, false));
                else warm.add(chain(eos, true));
            }
            System.out.printf(Locale.ROOT, "round %d done at %.0f s, load %s%n", round + 1, (System.nanoTime() - wall0) / 1e9,
                    loadAverage());
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "Fashion-MNIST n=1000 (test 10000), 784-100-10 relu, mse, lr 0.1, %d steps; medians of %d rounds%n",
                FASHION_STEPS, rounds);
        for (Setting s : List.of(gd, sgd)) {
            double t = median(train.get(s.name()));
            System.out.printf(Locale.ROOT, "%s: training %.2f s = %.3f ms per step (train_seconds of the point run with every "
                    + "measure off; runs %s)%n", s.name(), t, 1e3 * t / s.spec().train().steps(), list(train.get(s.name())));
        }
        System.out.println();
        String row = "%-9s %-36s %8s %-22s %8s %10s %8s  %s%n";
        System.out.printf(Locale.ROOT, row, "setting", "measure", "products", "one product is", "seconds", "x training",
                "ms/prod", "outcome");
        for (Setting s : List.of(gd, sgd)) {
            double t = median(train.get(s.name()));
            double fm = median(finalMetrics.get(s.name()));
            System.out.printf(Locale.ROOT, row, s.name(), "final losses, accuracies (always)", "-", "-",
                    String.format(Locale.ROOT, "%.3f", fm), String.format(Locale.ROOT, "%.4f", fm / t), "-",
                    "measure_seconds of the point run");
            for (Map.Entry<Measure, Times> e : times.entrySet()) {
                Measure m = e.getKey();
                if (!m.setting().equals(s.name())) continue;
                double sec = e.getValue().median();
                Run last = e.getValue().last;
                System.out.printf(Locale.ROOT, row, s.name(), m.name(), last.products() == 0 ? "-" : String.valueOf(last.products()),
                        m.composition(), String.format(Locale.ROOT, "%.3f", sec), String.format(Locale.ROOT, "%.4f", sec / t),
                        last.products() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", 1e3 * sec / last.products()), last.note());
                if (last.metricsSeconds() > 0) {
                    double ms = median(e.getValue().metricsSeconds);
                    System.out.printf(Locale.ROOT, row, "", "  of which losses, accuracies", "-", "-",
                            String.format(Locale.ROOT, "%.3f", ms), String.format(Locale.ROOT, "%.4f", ms / t), "-", "");
                }
            }
        }

        if (only != null) {
            System.out.printf(Locale.ROOT, "total %.0f s, load %s%n", (System.nanoTime() - wall0) / 1e9, loadAverage());
            return;
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%s (n=%d, width %d, GD, %d steps): sharpness at the %d measured steps (every %d), tol %.0e, max %d products%n",
                eos.name(), eos.n(), eos.spec().model().width(), eos.spec().train().steps(), eos.snapshots().size(),
                eos.spec().measure().every(), TOL, MAX_ITERS);
        double[] c = cold.get(0);
        double[] w = warm.get(0);
        int worst = 3;
        for (int i = 3; i < c.length; i++) {
            if (Math.abs(c[i] - w[i]) > Math.abs(c[worst] - w[worst])) worst = i;
        }
        double maxAbs = Math.abs(c[worst] - w[worst]);
        double maxRel = maxAbs / Math.abs(c[worst]);
        double coldS = median(cold.stream().map(x -> x[0]).toList());
        double warmS = median(warm.stream().map(x -> x[0]).toList());
        System.out.printf(Locale.ROOT, "%-5s %9s %11s %9s %9s  %s%n", "start", "products", "per measure", "seconds", "ms/prod",
                "runs that hit the cap");
        System.out.printf(Locale.ROOT, "%-5s %9d %11.1f %9.3f %9.2f  %d%n", "cold", (long) c[1], c[1] / (c.length - 3), coldS,
                1e3 * coldS / c[1], (long) c[2]);
        System.out.printf(Locale.ROOT, "%-5s %9d %11.1f %9.3f %9.2f  %d%n", "warm", (long) w[1], w[1] / (w.length - 3), warmS,
                1e3 * warmS / w[1], (long) w[2]);
        System.out.printf(Locale.ROOT, "seconds: cold %s; warm %s%n", list(cold.stream().map(x -> x[0]).toList()),
                list(warm.stream().map(x -> x[0]).toList()));
        System.out.printf(Locale.ROOT, "warm / cold: products %.2f, time %.2f; largest |cold - warm| sharpness %.2e (relative %.2e) "
                + "at step %d: cold %.6f, warm %.6f%n", w[1] / c[1], warmS / coldS, maxAbs, maxRel,
                (worst - 3) * eos.spec().measure().every(), c[worst], w[worst]);
        INDArray at = eos.snapshots().get(worst - 3);
        Curvature exact = new Curvature(eos.model(), at, eos.data().trainX(), eos.data().trainY(), eos.n());
        List<EigenEstimate> ref = Lanczos.topK(exact.hessian(), exact.dim(), 2, REFERENCE_TOL, REFERENCE_MAX_ITERS,
                Seeds.stream(eos.point().seed(), "reference"));
        System.out.printf(Locale.ROOT, "reference at step %d (top_k 2, tol %.0e): %.6f (residual %.1e), %.6f (residual %.1e)%n",
                (worst - 3) * eos.spec().measure().every(), REFERENCE_TOL, ref.get(0).value(), ref.get(0).residual(),
                ref.get(1).value(), ref.get(1).residual());
        System.out.printf(Locale.ROOT, "total %.0f s, load %s%n", (System.nanoTime() - wall0) / 1e9, loadAverage());
    }

    /** The Fashion-MNIST setting of the task: GD and SGD B = 50, every measure off. */
    private static String fashionYaml(String path) {
        return String.join("\n",
                "name: measure-cost",
                "seed: 1",
                "data: {dataset: fashion-mnist, path: " + path + ", n_train: 1000, n_test: 10000}",
                "model: {depth: 1, width: 100, activation: relu}",
                "loss: mse",
                "train: {steps: " + FASHION_STEPS + ", lr: 0.1}",
                "measure: {sharpness: false, nonuniformity: false}",
                "grid:",
                "  batch_size: [1000, 50]",
                "");
    }

    private static GridPoint point(SweepSpec spec, Predicate<GridPoint> which) {
        return spec.points().stream().filter(which).findFirst()
                .orElseThrow(() -> new IllegalStateException("no such point in sweep " + spec.name()));
    }

    /**
     * Loads the data and reproduces the point's training (initialization and minibatch order from
     * its seed, as PointRunner), keeping a copy of the parameters at every {@code measure.every}
     * (or {@link #EVERY}) steps when {@code snapshots}.
     */
    private static Setting prepare(String name, GridPoint p, boolean snapshots) {
        PointSpec spec = p.spec();
        Data data = Datasets.load(spec.data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        List<INDArray> kept = new ArrayList<>();
        int every = spec.measure().every() > 0 ? spec.measure().every() : EVERY;
        Trainer.Outcome o = Trainer.train(model, theta, data.trainX(), data.trainY(), spec.train(), spec.penalty(), p.orderSeed(),
                snapshots ? every : 0, snapshots ? (step, t) -> kept.add(t.dup()) : null);
        if (o.diverged()) throw new IllegalStateException(name + " diverged: " + o.reason());
        if (snapshots && o.stepsDone() % every != 0) kept.add(theta.dup()); // the recorder's row of the last step
        return new Setting(name, p, data, model, theta, kept, model.loss(theta, data.trainX(), data.trainY()));
    }

    /** Sharpness, stability criterion (B = n: no Sigma), trace, top-k, density and the trajectory. */
    private static List<Measure> gdMeasures(Setting s) {
        String g = s.name();
        long seed = s.point().seed();
        double lr = s.spec().train().lr();
        int b = s.spec().train().batchSize();
        List<Measure> m = new ArrayList<>();
        m.add(reference(s, "reference: 10 HVPs", "1 HVP", Curvature::hessian));
        m.add(new Measure(g, "sharpness (Lanczos on H)", "1 HVP", () -> top(s, Curvature::hessian, "lanczos-hessian")));
        m.add(new Measure(g, "stability criterion (B = n)", "2 HVP",
                () -> top(s, c -> c.stability(lr, b), "lanczos-stability")));
        m.add(new Measure(g, "trace (deflated Hutchinson, defaults)", "1 HVP", () -> {
            Curvature c = curvature(s);
            TraceEstimate[] t = new TraceEstimate[1];
            int products = counted(c.hessian(), op -> t[0] = HutchinsonTrace.estimate(op, c.dim(),
                    Seeds.stream(seed, "hutchinson")));
            return new Run(products, String.format(Locale.ROOT, "%d probes, stderr/value %.1e", t[0].probes(),
                    t[0].stderr() / Math.abs(t[0].value())));
        }));
        m.add(new Measure(g, "top_k " + TOP_K + " (Lanczos)", "1 HVP", () -> {
            Curvature c = curvature(s);
            List<List<EigenEstimate>> top = new ArrayList<>();
            int products = counted(c.hessian(), op -> top.add(Lanczos.topK(op, c.dim(), TOP_K, TOL, Math.max(MAX_ITERS, TOP_K),
                    Seeds.stream(seed, "lanczos-top-k"))));
            double worst = top.get(0).stream().mapToDouble(EigenEstimate::residual).max().orElse(Double.NaN);
            boolean all = top.get(0).stream().allMatch(EigenEstimate::converged);
            return new Run(products, String.format(Locale.ROOT, "largest residual %.1e%s", worst, all ? "" : " (cap: not converged)"));
        }));
        m.add(new Measure(g, "density (SLQ, 100 steps, 1 probe)", "1 HVP", () -> {
            Curvature c = curvature(s);
            int products = counted(c.hessian(), op -> StochasticLanczosQuadrature.run(op, c.dim(),
                    StochasticLanczosQuadrature.DEFAULT_STEPS, DENSITY_PROBES, StochasticLanczosQuadrature.Probe.RADEMACHER,
                    Seeds.stream(seed, "slq")));
            return new Run(products, "");
        }));
        m.add(new Measure(g, "trajectory every " + EVERY + " (" + s.snapshots().size() + " rows)", "1 HVP (+ metrics/row)",
                () -> trajectory(s)));
        m.addAll(perturbationMeasures(s));
        return m;
    }

    /**
     * The adaptive sharpness and trace, lambda_min with the negative directions (what the stability
     * measure adds), m-sharpness at its defaults (linf, rho 0.1, batches of 128 of the first 1024 rows, 20 APGD
     * iterations and 20 random draws per batch), PAC-Bayes flatness (two bisections of at most 15
     * steps of 10 noisy passes over the n rows) and batch sharpness at its default (32 random
     * minibatches of B, one for B = n; the cost of one measurement, at the final parameters as
     * along training), through the engine's Measurement with the point's seed: not operator
     * products over all n rows, so no product count.
     */
    private static List<Measure> perturbationMeasures(Setting s) {
        List<Measure> m = new ArrayList<>();
        m.add(new Measure(s.name(), "adaptive sharpness and trace (defaults)", "checked Lanczos + deflated Hutchinson on D H D",
                () -> perturbation(s, org.sharpsweep.sweeps.measure.Measures.ADAPTIVE, org.sharpsweep.sweeps.measure.Measures.ADAPTIVE_ON,
                        List.of(org.sharpsweep.sweeps.measure.Measures.ADAPTIVE_SHARPNESS, org.sharpsweep.sweeps.measure.Measures.ADAPTIVE_SHARPNESS_ITERS,
                                org.sharpsweep.sweeps.measure.Measures.ADAPTIVE_TRACE_PROBES))));
        m.add(new Measure(s.name(), "lambda_min and the directions below -tol/(2 lr) (one Lanczos run on -H)", "1 HVP",
                () -> {
                    Curvature c = curvature(s);
                    org.sharpsweep.worker.curvature.NegativeCurvature neg = org.sharpsweep.worker.curvature.NegativeCurvature.find(
                            c.hessian(), c.dim(), Defaults.TOL / (2 * s.spec().train().lr()), 20, Defaults.TOL, Defaults.MAX_ITERS, 7);
                    return new Run(neg.products(), String.format(Locale.ROOT, "lambda_min %.4g, %d directions%s", neg.minEigenvalue(),
                            neg.directions().size(), neg.capped() ? " (capped)" : ""));
                }));
        m.add(new Measure(s.name(), "m-sharpness (defaults: linf, rho 0.1)", "batches of 128",
                () -> perturbation(s, org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS_MEASURE,
                        org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS_ON, List.of(org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS,
                                org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS_BATCHES, org.sharpsweep.sweeps.measure.Measures.AVG_SHARPNESS))));
        m.add(new Measure(s.name(), "PAC-Bayes flatness (both forms)", "10 passes over n / step",
                () -> perturbation(s, org.sharpsweep.sweeps.measure.Measures.PACBAYES, org.sharpsweep.sweeps.measure.Measures.PACBAYES_ON,
                        List.of(org.sharpsweep.sweeps.measure.Measures.PACBAYES_FLATNESS, org.sharpsweep.sweeps.measure.Measures.PACBAYES_ACC_DROP,
                                org.sharpsweep.sweeps.measure.Measures.PACBAYES_MAG_FLATNESS))));
        int b = s.spec().train().batchSize();
        int batches = b == s.n() ? 1 : Defaults.BATCH_SHARPNESS_BATCHES;
        m.add(new Measure(s.name(), "batch sharpness (defaults)", batches + " x (grad + HVP) on " + b,
                () -> perturbation(s, org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_MEASURE,
                        org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_ON, List.of(org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS,
                                org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_STDERR, org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_N))));
        return m;
    }

    private static Run perturbation(Setting s, org.sharpsweep.sweeps.measure.Measure measure, org.sharpsweep.sweeps.Setting on,
                                    List<String> shown) {
        Map<String, Object> out = new LinkedHashMap<>();
        org.sharpsweep.sweeps.MeasureSpec spec = org.sharpsweep.sweeps.MeasureSpec.defaults().with(on, true);
        org.sharpsweep.worker.measure.Measurements.of(measure).measure(new org.sharpsweep.worker.measure.MeasureContext(curvature(s), spec,
                s.spec().train().lr(), s.spec().train().batchSize(), s.point().seed(), s.spec().train().steps(), null, out::put,
                (t, r) -> { }));
        StringBuilder note = new StringBuilder();
        for (String c : shown) note.append(note.length() == 0 ? "" : ", ").append(c).append(' ').append(out.get(c) instanceof Double d
                ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(out.get(c)));
        return new Run(0, note.toString());
    }

    /** Sharpness, non-uniformity and the stability criterion with Sigma (B < n). */
    private static List<Measure> sgdMeasures(Setting s) {
        String g = s.name();
        double lr = s.spec().train().lr();
        int b = s.spec().train().batchSize();
        List<Measure> m = new ArrayList<>();
        m.add(reference(s, "reference: 10 Sigma products", "per-sample pass + HVP", Curvature::sigma));
        m.add(new Measure(g, "sharpness (Lanczos on H)", "1 HVP", () -> top(s, Curvature::hessian, "lanczos-hessian")));
        m.add(new Measure(g, "non-uniformity (Lanczos on Sigma)", "per-sample pass + HVP",
                () -> top(s, Curvature::sigma, "lanczos-sigma")));
        m.add(new Measure(g, "stability criterion (B = " + b + ")", "3 HVP + per-sample",
                () -> top(s, c -> c.stability(lr, b), "lanczos-stability")));
        m.addAll(perturbationMeasures(s));
        return m;
    }

    /** Ten products of one operator at the final parameters: what one costs without Lanczos around it. */
    private static Measure reference(Setting s, String name, String composition, Function<Curvature, SymmetricOperator> which) {
        return new Measure(s.name(), name, composition, () -> {
            Curvature c = curvature(s);
            SymmetricOperator op = which.apply(c);
            INDArray v = Nd4j.rand(DataType.DOUBLE, c.dim()).subi(0.5);
            INDArray out = Nd4j.create(DataType.DOUBLE, c.dim());
            for (int i = 0; i < 10; i++) op.apply(v, out);
            return new Run(10, "");
        });
    }

    /** Lanczos.top as Curvature.measure calls it, with the engine's seed of that measure. */
    private static Run top(Setting s, Function<Curvature, SymmetricOperator> which, String purpose) {
        Curvature c = curvature(s);
        EigenEstimate[] e = new EigenEstimate[1];
        int products = counted(which.apply(c), op -> e[0] = Lanczos.top(op, c.dim(), TOL, MAX_ITERS,
                Seeds.stream(s.point().seed(), purpose)));
        return new Run(products, String.format(Locale.ROOT, "residual %.1e%s", e[0].residual(),
                e[0].converged() ? "" : " (cap: not converged)"));
    }

    private static Curvature curvature(Setting s) {
        return new Curvature(s.model(), s.theta(), s.data().trainX(), s.data().trainY(), s.spec().nonuniformitySamples());
    }

    /** Runs {@code use} on {@code op} wrapped by a counter; returns the operator products it made. */
    private static int counted(SymmetricOperator op, Consumer<SymmetricOperator> use) {
        int[] calls = new int[1];
        use.accept((x, out) -> {
            calls[0]++;
            op.apply(x, out);
        });
        return calls[0];
    }

    /**
     * The work of TrajectoryRecorder.at at every snapshot, in order: Metrics.basic (train loss and
     * gradient, both norms, test loss, both accuracies) and the warm-started sharpness.
     */
    private static Run trajectory(Setting s) {
        Mlp model = s.model();
        Data d = s.data();
        INDArray grad = Nd4j.create(DataType.DOUBLE, model.numParams());
        INDArray last = null;
        int products = 0;
        int most = 0;
        long metricsNanos = 0;
        double sink = 0;
        for (INDArray theta : s.snapshots()) {
            long t0 = System.nanoTime();
            sink += model.lossAndGradient(theta, d.trainX(), d.trainY(), grad);
            sink += grad.norm2Number().doubleValue() + theta.norm2Number().doubleValue();
            Mlp.Evaluation test = model.evaluate(theta, d.testX(), d.testY()); // as Metrics.basic: one test forward pass
            sink += test.loss();
            sink += accuracy(model.predict(theta, d.trainX()), d.trainLabels());
            sink += accuracy(test.outputs(), d.testLabels());
            metricsNanos += System.nanoTime() - t0;
            Curvature c = new Curvature(model, theta, d.trainX(), d.trainY(), d.nTrain());
            EigenEstimate.WithVector e = last == null
                    ? Lanczos.topWithVector(c.hessian(), c.dim(), TOL, MAX_ITERS, Seeds.stream(s.point().seed(), "lanczos-trajectory"))
                    : Lanczos.topWithVector(c.hessian(), c.dim(), TOL, MAX_ITERS, last);
            last = e.vector();
            products += e.estimate().iterations();
            most = Math.max(most, e.estimate().iterations());
            sink += e.estimate().value();
        }
        if (!Double.isFinite(sink)) throw new IllegalStateException("non-finite trajectory metrics");
        return new Run(products, String.format(Locale.ROOT, "%.1f products per row, at most %d", (double) products / s.snapshots().size(),
                most), metricsNanos / 1e9);
    }

    private static double accuracy(INDArray outputs, int[] labels) {
        INDArray predicted = Nd4j.argMax(outputs, 1);
        int hits = 0;
        for (int i = 0; i < labels.length; i++) if (predicted.getInt(i) == labels[i]) hits++;
        return (double) hits / labels.length;
    }

    /**
     * The sharpness at every snapshot, cold (the seeded start each time) or warm (from the previous
     * Ritz vector). Returns {wall seconds, total products, runs that hit the cap, value at each snapshot...}.
     */
    private static double[] chain(Setting s, boolean warmStart) {
        Data d = s.data();
        long seed = Seeds.stream(s.point().seed(), "lanczos-trajectory");
        double[] out = new double[3 + s.snapshots().size()];
        INDArray last = null;
        long t0 = System.nanoTime();
        for (int i = 0; i < s.snapshots().size(); i++) {
            Curvature c = new Curvature(s.model(), s.snapshots().get(i), d.trainX(), d.trainY(), d.nTrain());
            EigenEstimate.WithVector e = warmStart && last != null
                    ? Lanczos.topWithVector(c.hessian(), c.dim(), TOL, MAX_ITERS, last)
                    : Lanczos.topWithVector(c.hessian(), c.dim(), TOL, MAX_ITERS, seed);
            last = e.vector();
            out[1] += e.estimate().iterations();
            if (!e.estimate().converged()) out[2]++;
            out[3 + i] = e.estimate().value();
        }
        out[0] = (System.nanoTime() - t0) / 1e9;
        return out;
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    private static String list(List<Double> xs) {
        return String.join(", ", xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            m.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Set<String> unknown = new HashSet<>(m.keySet());
        unknown.removeAll(Set.of("rounds", "data", "only"));
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown arguments " + unknown + "; known: rounds, data, only");
        return m;
    }
}

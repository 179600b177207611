package org.sharpsweep.sweeps.measure;

import java.util.List;

import org.sharpsweep.sweeps.Defaults;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.ResultSchema.Column;
import org.sharpsweep.sweeps.ResultSchema.Group;
import org.sharpsweep.sweeps.ResultSchema.Type;
import org.sharpsweep.sweeps.Setting;

/**
 * Every measure, each declared once (docs/science.md has the definitions, docs/results.md the
 * columns). Adding a measure is one entry here, one class in the worker's {@code measure}
 * package under the same name, and their tests (docs/architecture.md, "Kinds of change").
 *
 * <p>The order is the order of the columns in the results and trajectories tables and of the
 * measurements (each measure draws from its own seed stream, so the order changes no number).
 */
public final class Measures {
    private Measures() {
    }

    /** The values of {@code measure.m_sharpness.norm}. */
    public static final List<String> NORMS = List.of("l2", "linf");

    // -- settings each measure owns (the shared ones, tol, max_iters, every, window, save_params, are in Setting)

    public static final Setting SHARPNESS_ON = Setting.measure("MEASURE_SHARPNESS", "sharpness", "measure_sharpness",
            Boolean.class, false, true, null);
    public static final Setting NONUNIFORMITY_ON = Setting.measure("MEASURE_NONUNIFORMITY", "nonuniformity", "measure_nonuniformity",
            Boolean.class, false, true, null);
    /** Sigma on the first this many training samples; 0 = all. */
    public static final Setting NONUNIFORMITY_SAMPLES = Setting.measure("NONUNIFORMITY_SAMPLES", "nonuniformity_samples",
            "nonuniformity_samples", Integer.class, false, 0, v -> (Integer) v >= 0 ? null : "must be >= 0 (0 = all)");
    public static final Setting TRACE_ON = Setting.measure("MEASURE_TRACE", "trace", "measure_trace", Boolean.class, true, false, null);
    /** Hutchinson's estimates stop when their standard error is at most this fraction of the estimate. */
    public static final Setting TRACE_TOL = Setting.measure("TRACE_TOL", "trace_tol", "trace_tol", Double.class, true, 1.0e-2,
            v -> (Double) v > 0 && (Double) v < 1 ? null : "must be in (0, 1)");
    /** Hutchinson's estimates stop after this many probes at most (one Hessian product each). */
    public static final Setting TRACE_MAX_PROBES = Setting.measure("TRACE_MAX_PROBES", "trace_max_probes", "trace_max_probes",
            Integer.class, true, 100, v -> (Integer) v >= 2 ? null : "must be >= 2");
    /** Krylov vectors whose part of a trace is computed exactly before Hutchinson estimates the rest; 0 = plain Hutchinson. */
    public static final Setting TRACE_DEFLATE = Setting.measure("TRACE_DEFLATE", "trace_deflate", "trace_deflate",
            Integer.class, true, 20, v -> (Integer) v >= 0 ? null : "must be >= 0 (0 = plain Hutchinson)")
            .olderRows(0); // traces computed before the deflation were plain Hutchinson
    /** The k largest eigenvalues into the spectra table; 0 = none. */
    public static final Setting TOP_K = Setting.measure("TOP_K", "top_k", "top_k", Integer.class, true, 0,
            v -> (Integer) v >= 0 ? null : "must be >= 0 (0 = none)");
    public static final Setting ADAPTIVE_ON = Setting.measure("MEASURE_ADAPTIVE", "adaptive", "measure_adaptive", Boolean.class, true,
            false, null);
    public static final Setting DENSITY_ON = Setting.measure("MEASURE_DENSITY", "density", "measure_density", Boolean.class, true, false, null);
    public static final Setting M_SHARPNESS_ON = Setting.measure("MEASURE_M_SHARPNESS", "m_sharpness", "measure_m_sharpness",
            Boolean.class, true, false, null);
    /** Radius rho of the perturbation ball. */
    public static final Setting M_SHARPNESS_RHO = Setting.measure("M_SHARPNESS_RHO", "m_sharpness_rho", "m_sharpness_rho", Double.class,
            true, Defaults.M_SHARPNESS_RHO, v -> (Double) v > 0 ? null : "must be > 0");
    /** Training samples per batch. */
    public static final Setting M_SHARPNESS_M = Setting.measure("M_SHARPNESS_M", "m_sharpness_m", "m_sharpness_m", Integer.class, true,
            Defaults.M_SHARPNESS_M, v -> (Integer) v >= 1 ? null : "must be >= 1");
    /** The ball scaled by c = |theta| (else c = 1). */
    public static final Setting M_SHARPNESS_ADAPTIVE = Setting.measure("M_SHARPNESS_ADAPTIVE", "m_sharpness_adaptive",
            "m_sharpness_adaptive", Boolean.class, true, Defaults.M_SHARPNESS_ADAPTIVE, null);
    /** The ball's norm: l2 or linf. */
    public static final Setting M_SHARPNESS_NORM = Setting.measure("M_SHARPNESS_NORM", "m_sharpness_norm", "m_sharpness_norm",
            String.class, true, Defaults.M_SHARPNESS_NORM, v -> NORMS.contains(v) ? null : "must be one of " + NORMS);
    /** APGD iterations per batch; Gaussian draws per batch of the average case. */
    public static final Setting M_SHARPNESS_ITERS = Setting.measure("M_SHARPNESS_ITERS", "m_sharpness_iters", "m_sharpness_iters",
            Integer.class, true, Defaults.M_SHARPNESS_ITERS, v -> (Integer) v >= 1 ? null : "must be >= 1");
    /** Leading training samples the batches are cut from (all n_train when fewer). */
    public static final Setting M_SHARPNESS_SAMPLES = Setting.measure("M_SHARPNESS_SAMPLES", "m_sharpness_samples",
            "m_sharpness_samples", Integer.class, true, Defaults.M_SHARPNESS_SAMPLES, v -> (Integer) v >= 1 ? null : "must be >= 1");
    public static final Setting PACBAYES_ON = Setting.measure("MEASURE_PACBAYES", "pacbayes", "measure_pacbayes", Boolean.class, true,
            false, null);
    public static final Setting BATCH_SHARPNESS_ON = Setting.measure("MEASURE_BATCH_SHARPNESS", "batch_sharpness",
            "measure_batch_sharpness", Boolean.class, true, false, null);
    /** Random minibatches of train.batch_size the batch sharpness is the mean over. */
    public static final Setting BATCH_SHARPNESS_BATCHES = Setting.measure("BATCH_SHARPNESS_BATCHES", "batch_sharpness_batches",
            "batch_sharpness_batches", Integer.class, true, Defaults.BATCH_SHARPNESS_BATCHES, v -> (Integer) v >= 1 ? null : "must be >= 1");

    /** The sharpness at the initial parameters (with the sharpness). */
    public static final String SHARPNESS_INIT = "sharpness_init";
    public static final String SHARPNESS_INIT_RESIDUAL = "sharpness_init_residual";
    /** (sharpness - the next eigenvalue down) / |sharpness|, from the check of the top. */
    public static final String SHARPNESS_GAP = "sharpness_gap";
    /** lambda_min(H), and the stability criterion on the positive part of H's spectrum (with the stability criterion). */
    public static final String HESSIAN_MIN_EIG = "hessian_min_eig";
    public static final String HESSIAN_MIN_EIG_RESIDUAL = "hessian_min_eig_residual";
    public static final String STABILITY_NEG_DIRS = "stability_neg_dirs";
    public static final String STABILITY_MAX_EIG_POS = "stability_max_eig_pos";

    // -- the measures

    /** lambda_max(H) by Lanczos; along training warm-started; the window statistics over the last measure.window steps. */
    public static final Measure SHARPNESS = new Measure("sharpness", "lambda_max(H), H the Hessian of the training loss",
            SHARPNESS_ON, List.of(), true,
            List.of(metric(ResultSchema.SHARPNESS, Type.DOUBLE, "lambda_max(H), H the Hessian of the training loss on the whole training subset",
                            "sharpness λmax(H)"),
                    metric(ResultSchema.SHARPNESS_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of sharpness", null),
                    metric(ResultSchema.SHARPNESS_ITERS, Type.INT, "Lanczos iterations used for sharpness (its check included)", null),
                    metric(SHARPNESS_GAP, Type.DOUBLE, "(sharpness - lambda_2) / |sharpness|, lambda_2 the top of H with the "
                            + "sharpness' eigenvector projected out: the relative gap at the top of the spectrum", null),
                    metric(SHARPNESS_INIT, Type.DOUBLE, "lambda_0 = lambda_max(H) at the initial parameters, before the first step "
                            + "(the initialization, or the saved parameters a restart starts from); with measure.sharpness "
                            + "or train.lr_in_2_over_lambda0", "sharpness at init λ0"),
                    metric(SHARPNESS_INIT_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of sharpness_init", null),
                    metric(ResultSchema.SHARPNESS_WINDOW_MEAN, Type.DOUBLE,
                            "mean sharpness over the measurements at steps >= steps_done - measure.window (needs measure.every)",
                            null),
                    metric(ResultSchema.SHARPNESS_WINDOW_MIN, Type.DOUBLE, "least sharpness over the same measurements", null),
                    metric(ResultSchema.SHARPNESS_WINDOW_MAX, Type.DOUBLE, "largest sharpness over the same measurements", null),
                    metric(ResultSchema.SHARPNESS_WINDOW_N, Type.INT, "number of measurements in the window", null)),
            List.of(metric(ResultSchema.SHARPNESS, Type.DOUBLE, "lambda_max(H) (measure.sharpness)", "sharpness λmax(H)"),
                    metric(ResultSchema.SHARPNESS_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of sharpness", null),
                    metric(ResultSchema.SHARPNESS_ITERS, Type.INT,
                            "Lanczos iterations (warm-started from the previous measurement's eigenvector)", null)),
            List.of(ResultSchema.SHARPNESS, ResultSchema.SHARPNESS_WINDOW_MEAN), null, null, null);

    /** sqrt(lambda_max(Sigma)), Sigma the covariance of the per-sample Hessians. */
    public static final Measure NONUNIFORMITY = new Measure("nonuniformity", "sqrt(lambda_max(Sigma)), the non-uniformity of the per-sample Hessians",
            NONUNIFORMITY_ON, List.of(NONUNIFORMITY_SAMPLES), true,
            List.of(metric(ResultSchema.NONUNIFORMITY, Type.DOUBLE, "sqrt(lambda_max(Sigma)), Sigma = (1/n) sum_i H_i^2 - H^2",
                            "non-uniformity √λmax(Σ)"),
                    metric(ResultSchema.NONUNIFORMITY_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of lambda_max(Sigma)", null),
                    metric(ResultSchema.NONUNIFORMITY_ITERS, Type.INT, "Lanczos iterations used for the non-uniformity", null),
                    metric(ResultSchema.NONUNIFORMITY_N, Type.INT, "training samples Sigma was computed on", null)),
            List.of(), List.of(ResultSchema.NONUNIFORMITY), null, null, null);

    /**
     * The SGD linear-stability criterion: asked with the sharpness, computed where it is defined
     * (with the non-uniformity, or for full-batch GD, where Sigma does not enter).
     */
    public static final Measure STABILITY = new Measure("stability", "lambda_max{(I - lr H)^2 + lr^2 (n-B)/(B(n-1)) Sigma}",
            null, List.of(), true,
            List.of(metric(ResultSchema.STABILITY_MAX_EIG, Type.DOUBLE,
                            "lambda_max{(I - lr H)^2 + lr^2 (n-B)/(B(n-1)) Sigma}; stable iff <= 1", "SGD stability λmax (stable iff ≤ 1)"),
                    metric(ResultSchema.STABILITY_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of stability_max_eig", null),
                    metric(ResultSchema.STABILITY_ITERS, Type.INT, "Lanczos iterations used for stability_max_eig", null),
                    metric(STABILITY_MAX_EIG_POS, Type.DOUBLE, "stability_max_eig on the positive part of H's spectrum: "
                            + "lambda_max of the criterion's operator with H's eigenvectors of eigenvalues below -tol/(2 lr) projected out "
                            + "(null beyond 20 such directions)", "SGD stability on H's positive part"),
                    metric(HESSIAN_MIN_EIG, Type.DOUBLE, "lambda_min(H) by Lanczos on -H", "λmin(H)"),
                    metric(HESSIAN_MIN_EIG_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of hessian_min_eig", null),
                    metric(STABILITY_NEG_DIRS, Type.INT, "eigenvalues of H below -tol/(2 lr) (directions stability_max_eig_pos leaves "
                            + "out); 21 means more than 20", null)),
            List.of(), List.of(ResultSchema.STABILITY_MAX_EIG, STABILITY_MAX_EIG_POS), null, m -> m.on(SHARPNESS), null);

    /** tr(H) by Hutchinson's estimator. */
    public static final Measure TRACE = new Measure("trace", "tr(H) by Hutchinson's estimator, with its standard error",
            TRACE_ON, List.of(TRACE_TOL, TRACE_MAX_PROBES, TRACE_DEFLATE), false,
            List.of(metric(ResultSchema.HESSIAN_TRACE, Type.DOUBLE, "tr(H): the part in a Krylov space exactly, the rest by Hutchinson's estimator with Rademacher probes (measure.trace)",
                            null),
                    metric(ResultSchema.HESSIAN_TRACE_STDERR, Type.DOUBLE, "standard error of hessian_trace (sample sd / sqrt(probes))", null),
                    metric(ResultSchema.HESSIAN_TRACE_PROBES, Type.INT,
                            "probes hessian_trace used (it stops when stderr <= measure.trace_tol x |hessian_trace|)", null)),
            List.of(metric(ResultSchema.HESSIAN_TRACE, Type.DOUBLE, "tr(H) by Hutchinson (measure.trace)", null),
                    metric(ResultSchema.HESSIAN_TRACE_STDERR, Type.DOUBLE, "standard error of hessian_trace", null)),
            List.of(ResultSchema.HESSIAN_TRACE), null, null, null);

    public static final String ADAPTIVE_SHARPNESS = "adaptive_sharpness";
    public static final String ADAPTIVE_SHARPNESS_RESIDUAL = "adaptive_sharpness_residual";
    public static final String ADAPTIVE_SHARPNESS_ITERS = "adaptive_sharpness_iters";
    public static final String ADAPTIVE_TRACE = "adaptive_trace";
    public static final String ADAPTIVE_TRACE_STDERR = "adaptive_trace_stderr";
    public static final String ADAPTIVE_TRACE_PROBES = "adaptive_trace_probes";

    /**
     * Adaptive sharpness, D = diag(|theta|) over every parameter: lambda_max(D H D) and tr(D H D),
     * the exact small-rho limits (times 2/rho^2) of the worst-case and average-case adaptive l2
     * sharpness of Kwon et al. 2021 (ASAM) and Andriushchenko et al. 2023, invariant to the
     * rescalings of a ReLU network's layers that leave its function unchanged. Along training too.
     */
    public static final Measure ADAPTIVE = new Measure("adaptive", "adaptive sharpness lambda_max(D H D) and tr(D H D), D = diag(|theta|)",
            ADAPTIVE_ON, List.of(TRACE_TOL, TRACE_MAX_PROBES, TRACE_DEFLATE), true,
            List.of(metric(ADAPTIVE_SHARPNESS, Type.DOUBLE, "lambda_max(D H D), D = diag(|theta|): adaptive sharpness (measure.adaptive)",
                            "adaptive sharpness λmax(DHD)"),
                    metric(ADAPTIVE_SHARPNESS_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of adaptive_sharpness", null),
                    metric(ADAPTIVE_SHARPNESS_ITERS, Type.INT, "Lanczos iterations used for adaptive_sharpness", null),
                    metric(ADAPTIVE_TRACE, Type.DOUBLE, "tr(D H D), estimated as hessian_trace is (measure.trace_tol, trace_max_probes, trace_deflate)",
                            "adaptive trace tr(DHD)"),
                    metric(ADAPTIVE_TRACE_STDERR, Type.DOUBLE, "standard error of adaptive_trace", null),
                    metric(ADAPTIVE_TRACE_PROBES, Type.INT, "probes adaptive_trace used", null)),
            List.of(metric(ADAPTIVE_SHARPNESS, Type.DOUBLE, "lambda_max(D H D) (measure.adaptive)", "adaptive sharpness λmax(DHD)"),
                    metric(ADAPTIVE_SHARPNESS_RESIDUAL, Type.DOUBLE, "final relative Lanczos residual of adaptive_sharpness", null),
                    metric(ADAPTIVE_SHARPNESS_ITERS, Type.INT, "Lanczos iterations (warm-started from the previous measurement's eigenvector)", null),
                    metric(ADAPTIVE_TRACE, Type.DOUBLE, "tr(D H D) by Hutchinson", "adaptive trace tr(DHD)"),
                    metric(ADAPTIVE_TRACE_STDERR, Type.DOUBLE, "standard error of adaptive_trace", null)),
            List.of(ADAPTIVE_SHARPNESS, ADAPTIVE_TRACE), null, null, null);

    /** The k largest eigenvalues of H, into the spectra table. */
    public static final Measure TOP_EIGENVALUES = new Measure("top_k", "the k largest eigenvalues of H by Lanczos (spectra table)",
            null, List.of(TOP_K), true, List.of(), List.of(), List.of(), ResultSchema.KIND_TOP_K,
            m -> m.intValue(TOP_K) > 0,
            m -> m.intValue(TOP_K) > m.maxIters() ? "measure.top_k " + m.intValue(TOP_K) + " is more than measure.max_iters "
                    + m.maxIters() + " Lanczos steps can resolve; raise max_iters or lower top_k" : null);

    /** H's spectral density by stochastic Lanczos quadrature, into the spectra table. */
    public static final Measure DENSITY = new Measure("density", "H's spectral density by stochastic Lanczos quadrature (spectra table)",
            DENSITY_ON, List.of(), false, List.of(), List.of(), List.of(), ResultSchema.KIND_DENSITY, null, null);

    public static final String M_SHARPNESS = "m_sharpness";
    public static final String M_SHARPNESS_BATCHES = "m_sharpness_batches";
    public static final String AVG_SHARPNESS = "avg_sharpness";
    public static final String AVG_SHARPNESS_STDERR = "avg_sharpness_stderr";

    /**
     * m-sharpness at finite rho (Andriushchenko et al. 2023): on each batch B of m leading training
     * samples, the worst case max over ||delta / c|| &lt;= rho of L_B(theta + delta) - L_B(theta) by
     * their APGD, and the average case E L_B(theta + delta) - L_B(theta) under random delta of the
     * same scale; each averaged over the batches. At the final parameters only.
     */
    public static final Measure M_SHARPNESS_MEASURE = new Measure("m_sharpness",
            "m-sharpness at finite rho: worst-case (APGD) and average-case loss increase on batches of m training samples",
            M_SHARPNESS_ON, List.of(M_SHARPNESS_RHO, M_SHARPNESS_M, M_SHARPNESS_ADAPTIVE, M_SHARPNESS_NORM, M_SHARPNESS_ITERS,
                    M_SHARPNESS_SAMPLES), false,
            List.of(metric(M_SHARPNESS, Type.DOUBLE, "mean over batches B of m training samples of max over ||delta / c|| <= rho of "
                                    + "L_B(theta + delta) - L_B(theta), by APGD; c = |theta| if adaptive, else 1 (measure.m_sharpness)",
                            "m-sharpness (worst case)"),
                    metric(M_SHARPNESS_BATCHES, Type.INT, "batches of m training samples m_sharpness and avg_sharpness average over", null),
                    metric(AVG_SHARPNESS, Type.DOUBLE, "mean over the same batches of E L_B(theta + delta) - L_B(theta), delta ~ N(0, rho^2 c^2) "
                            + "(norm l2) or uniform in [-rho c, rho c] (linf)", "average-case sharpness"),
                    metric(AVG_SHARPNESS_STDERR, Type.DOUBLE, "standard error of avg_sharpness (over the random draws)", null)),
            List.of(), List.of(M_SHARPNESS, AVG_SHARPNESS), null, null, null, true);

    public static final String PACBAYES_FLATNESS = "pacbayes_flatness";
    public static final String PACBAYES_ACC_DROP = "pacbayes_acc_drop";
    public static final String PACBAYES_MAG_FLATNESS = "pacbayes_mag_flatness";
    public static final String PACBAYES_MAG_ACC_DROP = "pacbayes_mag_acc_drop";

    /**
     * PAC-Bayes flatness (Jiang et al. 2020, eqs. 53 and 61): 1/sigma^2 for the sigma at which
     * Gaussian noise on the parameters lowers the training accuracy by 0.1, and the
     * magnitude-aware 1/sigma'^2 with noise variance sigma'^2 theta^2 + eps^2. Classification
     * only (null for regression). At the final parameters only.
     */
    public static final Measure PACBAYES = new Measure("pacbayes",
            "PAC-Bayes flatness 1/sigma^2 and its magnitude-aware form (noise that lowers the training accuracy by 0.1)",
            PACBAYES_ON, List.of(), false,
            List.of(metric(PACBAYES_FLATNESS, Type.DOUBLE, "1/sigma^2, sigma the noise standard deviation on every parameter that "
                                    + "lowers the training accuracy by 0.1 (Jiang et al. 2020, eq. 53; null for regression; measure.pacbayes)",
                            "PAC-Bayes flatness 1/σ²"),
                    metric(PACBAYES_ACC_DROP, Type.DOUBLE, "training accuracy minus its mean under that noise (0.1 +- 0.01 unless the "
                            + "bisection ran out of steps)", null),
                    metric(PACBAYES_MAG_FLATNESS, Type.DOUBLE, "1/sigma'^2, noise variance sigma'^2 theta^2 + 1e-6 per parameter "
                            + "(Jiang et al. 2020, eq. 61; null for regression)", "PAC-Bayes magnitude-aware flatness 1/σ'²"),
                    metric(PACBAYES_MAG_ACC_DROP, Type.DOUBLE, "training accuracy minus its mean under the magnitude-aware noise", null)),
            List.of(), List.of(PACBAYES_FLATNESS, PACBAYES_MAG_FLATNESS), null, null, null, true);

    public static final String BATCH_SHARPNESS = "batch_sharpness";
    public static final String BATCH_SHARPNESS_STDERR = "batch_sharpness_stderr";
    public static final String BATCH_SHARPNESS_N = "batch_sharpness_n";

    /**
     * Batch sharpness (Andreyev &amp; Beneventano 2024, "Edge of Stochastic Stability"): the mean
     * over random minibatches B of train.batch_size of g_B^T H_B g_B / ||g_B||^2, g_B and H_B the
     * gradient and Hessian of the minibatch loss; for B = n the Rayleigh quotient of H at the
     * gradient. Along training too, and at the final parameters. Needs the training rows.
     */
    public static final Measure BATCH_SHARPNESS_MEASURE = new Measure("batch_sharpness",
            "batch sharpness: mean over random minibatches of g_B^T H_B g_B / ||g_B||^2 (the minibatch Hessian along its gradient)",
            BATCH_SHARPNESS_ON, List.of(BATCH_SHARPNESS_BATCHES), false,
            List.of(metric(BATCH_SHARPNESS, Type.DOUBLE, "mean over measure.batch_sharpness_batches random minibatches B of "
                                    + "train.batch_size (each drawn without replacement) of g_B^T H_B g_B / ||g_B||^2, g_B and H_B the "
                                    + "gradient and Hessian of the minibatch loss; for B = n the Rayleigh quotient of H at the gradient "
                                    + "(measure.batch_sharpness)",
                            "batch sharpness E[gᵀH_B g/‖g‖²]"),
                    metric(BATCH_SHARPNESS_STDERR, Type.DOUBLE, "standard error of batch_sharpness over the minibatches (sample sd / "
                            + "sqrt(batches); null for B = n or a single minibatch)", null),
                    metric(BATCH_SHARPNESS_N, Type.INT, "minibatches batch_sharpness averages over (those with a nonzero gradient; "
                            + "1 for B = n)", null)),
            List.of(metric(BATCH_SHARPNESS, Type.DOUBLE, "mean over random minibatches of g_B^T H_B g_B / ||g_B||^2 "
                            + "(measure.batch_sharpness)", "batch sharpness E[gᵀH_B g/‖g‖²]"),
                    metric(BATCH_SHARPNESS_STDERR, Type.DOUBLE, "standard error of batch_sharpness over the minibatches", null)),
            List.of(BATCH_SHARPNESS), null, null, null, true);

    private static final List<Measure> ALL = List.of(SHARPNESS, NONUNIFORMITY, STABILITY, TRACE, ADAPTIVE, TOP_EIGENVALUES, DENSITY,
            M_SHARPNESS_MEASURE, PACBAYES, BATCH_SHARPNESS_MEASURE);

    /** Every measure, in column order. */
    public static List<Measure> all() {
        return ALL;
    }

    /** The measure of that name, or null. */
    public static Measure byName(String name) {
        for (Measure m : ALL) if (m.name().equals(name)) return m;
        return null;
    }

    /** Every measure setting: the shared ones of {@link Setting}, then each measure's own. */
    public static List<Setting> settings() {
        return java.util.Arrays.stream(Setting.values()).filter(Setting::isMeasurement).toList();
    }

    private static Column metric(String name, Type type, String doc, String label) {
        return new Column(name, type, Group.METRIC, doc, label);
    }

    /**
     * Used by {@link org.sharpsweep.sweeps.PointSpec} for a data-parallel point: the first measure
     * asked for that evaluates the network on the training rows ({@link Measure#rows}), which such
     * a point keeps on its workers, named with its setting; or null.
     */
    public static String dataParallelProblem(MeasureSpec m) {
        for (Measure d : ALL) {
            if (d.rows() && m.on(d)) {
                return "train.parallel: data cannot measure " + (d.on() == null ? d.name() : d.on().path()) + ": it evaluates the "
                        + "network on the training rows themselves (at perturbed parameters, or on minibatches), which a data-parallel point keeps on its workers; "
                        + "turn it off for data-parallel points";
            }
        }
        return null;
    }

    /** Used by {@link MeasureSpec}: the cross-setting problem of any measure, or null. */
    public static String problem(MeasureSpec m) {
        for (Measure d : ALL) {
            String p = d.problem().apply(m);
            if (p != null) return p;
        }
        return null;
    }
}

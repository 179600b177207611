package org.sharpsweep.sweeps;

import java.util.Locale;
import java.util.Set;

import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/**
 * A pure, deliberately rough estimate of the time one point takes, from the model's shapes, so
 * that {@code sharpsweep validate} can say before a run that a point will take hours (the
 * companion of {@link MemoryEstimate}; docs/spec.md, "What a point costs"). It counts floating-
 * point operations of the matrix products and nothing else, plus a fixed cost per step and per
 * curvature product; it is meant to be right within a factor of a few for large points and says
 * nothing useful about tiny ones (whose time is start-up and overheads).
 *
 * <p>With d, k, w, L, n, B as in {@link MemoryEstimate}, and for a cnn block i with input sides
 * H_i x W_i (its convolution keeps them), in_i input and out_i output channels and kernel q, the
 * dense part then taking the flattened last block (d = F):
 * <pre>
 *   f       = 2 (d w + (L - 1) w^2 + w k)   [L = 0: 2 d k]        one sample's forward pass
 *           + 2 sum_i out_i in_i q^2 H_i W_i   (cnn)
 *   g       = 3 f      one sample's gradient (the backward pass about twice the forward)
 *   h       = 2 g      one sample's Hessian-vector product (R-operator; docs/science.md: at most 3 g)
 *   step    = B g  (+ B h with the gradnorm penalty: one exact HVP per step), twice for SAM
 *   train   = steps x step
 *   product = n h      one Hessian-vector product over the training rows
 *   measure = products x product, the products of the asked measures ({@link #products})
 *   seconds = train / rate(dtype) + measure / {@link #FLOPS} + (steps + products) x {@link #OVERHEAD_SECONDS}
 * </pre>
 * where rate(dtype) is {@link #FLOPS} for float64 training and {@link #FLOPS_FLOAT32} for float32
 * (every measurement is float64, docs/science.md).
 * Worked example (CostEstimateTest): an mlp with d = 4, w = 3, L = 1, k = 2 has f = 2 (12 + 6) =
 * 36 flops a sample; at B = 5 a step is 5 x 108 = 540 flops.
 *
 * @param flopsPerSample f
 * @param stepFlops      one training step
 * @param trainFlops     every training step
 * @param products       Hessian-vector products over the training rows that the asked measures do
 *                       at most (their iteration caps), at the end and along training
 * @param measureFlops   those products
 * @param stepSeconds    one training step's estimated time
 * @param trainSeconds   every training step's
 * @param measureSeconds the products'
 * @param seconds        the point's estimated time on one core
 */
public record CostEstimate(double flopsPerSample, double stepFlops, double trainFlops, double products, double measureFlops,
                           double stepSeconds, double trainSeconds, double measureSeconds, double seconds) {

    /**
     * One core's sustained rate in float64, 20 GFLOP/s: on the low side of what large points
     * reach. Measured on a 2-core AMD EPYC (docs/spec.md, "What a point costs"): Wu, Ma & E's
     * 784-500-500-10 GD step on 1000 images at 30 GFLOP/s in float64; bench/README.md measured the
     * engine's GEMMs at 40-60 GFLOP/s with the chosen OpenBLAS kernel and 16 with OpenBLAS's own
     * misdetected one.
     */
    public static final double FLOPS = 20e9;
    /** One core's sustained rate when training in float32: the same step at 79 GFLOP/s, Keskar et al.'s F1 at B = 256 at 35. */
    public static final double FLOPS_FLOAT32 = 40e9;
    /** Fixed cost of one step or one curvature product besides its arithmetic (a small network's step in the plain-Java trainer is about 20 microseconds). */
    public static final double OVERHEAD_SECONDS = 20e-6;
    /** A point estimated above this many seconds gets a warning from {@code validate}. */
    public static final double LONG_POINT_SECONDS = 3600;

    /** Settings the estimate reads: every setting but the learning rate (in either unit), momentum and SAM's radius and scaling. */
    public static final Set<Setting> INPUTS;

    static {
        Set<Setting> s = new java.util.HashSet<>(java.util.List.of(Setting.values()));
        s.remove(Setting.LR);
        s.remove(Setting.MOMENTUM);
        s.remove(Setting.LR_IN_2_OVER_LAMBDA0);
        s.remove(Setting.SAM_RHO);
        s.remove(Setting.SAM_ADAPTIVE);
        INPUTS = java.util.Collections.unmodifiableSet(s);
    }

    /** The estimate for one resolved point. */
    public static CostEstimate of(PointSpec p) {
        double f = forwardFlops(p);
        double g = 3 * f, h = 2 * g;
        double n = p.data().nTrain();
        double b = p.train().batchSize() == 0 ? n : p.train().batchSize();
        // SAM takes two gradients a step (at theta and at theta + e), each with the penalty's work
        double step = (p.train().optimizer() == Optimizer.SAM ? 2 : 1) * (b * g + (p.penalty().kind() == PenaltyKind.GRADNORM ? b * h : 0));
        double steps = p.train().steps();
        double train = steps * step;
        double products = products(p);
        double measure = products * n * h;
        double rate = p.train().dtype() == DType.FLOAT32 ? FLOPS_FLOAT32 : FLOPS;
        double trainSeconds = train / rate + steps * OVERHEAD_SECONDS, measureSeconds = measure / FLOPS + products * OVERHEAD_SECONDS;
        return new CostEstimate(f, step, train, products, measure, step / rate, trainSeconds, measureSeconds, trainSeconds + measureSeconds);
    }

    /** f: the flops of one sample's forward pass (matrix products only). */
    static double forwardFlops(PointSpec p) {
        double k = p.outputs(), w = p.model().width(), depth = p.model().depth();
        double d = MemoryEstimate.inputDim(p);
        double conv = 0;
        if (p.model().family() == Family.CNN) {
            ModelSpec m = p.model();
            ImageShape image = p.imageShape();
            double side1 = image.height(), side2 = image.width(), in = image.channels(), q2 = (double) m.kernel() * m.kernel();
            for (int i = 0; i < m.convBlocks(); i++) {
                double out = m.blockChannels(i);
                conv += 2 * out * in * q2 * side1 * side2;
                in = out;
                side1 = m.pooled((int) side1);
                side2 = m.pooled((int) side2);
            }
            ImageShape flat = p.convOutput();
            d = (double) flat.channels() * flat.height() * flat.width();
        }
        double dense = depth == 0 ? d * k : d * w + (depth - 1) * w * w + w * k;
        return conv + 2 * dense;
    }

    /**
     * Hessian-vector products over the n training rows that the point's measures do at most,
     * with I = {@code max_iters}, m the non-uniformity's samples, t = {@code trace_max_probes},
     * q = {@code trace_deflate}; a product of Sigma costs 2 m / n + 2 of them (H_i (H_i v) on m
     * rows, H (H v) on all):
     * <pre>
     *   sharpness       3 I   (at the start, at the end, and the check of the top)
     *   nonuniformity   I (2 m/n + 2)
     *   stability       I + 2 I (2 + [B &lt; n] (2 m/n + 2))   (lambda_min, then its operator twice; I alone where
 *                   the criterion is not computed: B &lt; n without the non-uniformity)
     *   lambda_0        I   (train.lr_in_2_over_lambda0 without the sharpness, which counts it)
     *   trace           q + t
     *   adaptive        I + q + t
     *   top_k           I
     *   density         100   (stochastic Lanczos quadrature: 1 probe, 100 steps)
     *   m_sharpness     min(samples, n) x iters / n   (two gradients per sample and iteration)
     *   pacbayes        50    (2 searches x 15 bisection steps x 10 noisy forward passes over n; classification)
     *   batch_sharpness 1.5 batches B / n   (a gradient and an HVP on each minibatch)
     * </pre>
     * and with {@code measure.every} = e, the end-of-training cost of sharpness (I), adaptive,
     * trace and batch sharpness again at each of the floor(steps / e) measurements along training.
     */
    public static double products(PointSpec p) {
        MeasureSpec m = p.measure();
        double iters = m.maxIters(), n = p.data().nTrain();
        double b = p.train().batchSize() == 0 ? n : p.train().batchSize();
        double sigma = 2.0 * Math.min(p.nonuniformitySamples(), n) / n + 2;
        double probes = m.intValue(Measures.TRACE_MAX_PROBES) + m.intValue(Measures.TRACE_DEFLATE);
        double end = 0, along = 0;
        for (Measure x : Measures.all()) {
            if (!x.isAsked(m)) continue;
            double c = switch (x.name()) {
                case "sharpness" -> 3 * iters;
                case "nonuniformity" -> iters * sigma;
                case "stability" -> b < n && !m.on(Measures.NONUNIFORMITY) ? iters // lambda_min only: the criterion is not defined there
                        : iters + 2 * iters * (2 + (b < n ? sigma : 0));
                case "trace" -> probes;
                case "adaptive" -> iters + probes;
                case "top_k" -> iters;
                case "density" -> 100;
                case "m_sharpness" -> Math.min(m.intValue(Measures.M_SHARPNESS_SAMPLES), n) * m.intValue(Measures.M_SHARPNESS_ITERS) / n;
                case "pacbayes" -> p.data().isClassification() ? 50 : 0;
                case "batch_sharpness" -> 1.5 * m.intValue(Measures.BATCH_SHARPNESS_BATCHES) * b / n;
                default -> throw new IllegalStateException("no cost declared for measure " + x.name() + " (CostEstimate.products)");
            };
            end += c;
            if (!x.along().isEmpty()) along += x.name().equals("sharpness") ? iters : c;
        }
        if (p.train().lrIn2OverLambda0() != null && !m.on(Measures.SHARPNESS)) end += iters; // lambda_0, for the learning rate
        int every = m.alongCurvature() ? m.every() : 0;
        return end + (every > 0 ? Math.floor((double) p.train().steps() / every) * along : 0);
    }

    /** Seconds as {@code 40 ms}, {@code 12 s}, {@code 3.5 min}, {@code 2.1 h} or {@code 4.0 days}. */
    public static String human(double seconds) {
        if (seconds < 1) return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
        if (seconds < 120) return String.format(Locale.ROOT, "%.0f s", seconds);
        if (seconds < 7200) return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        if (seconds < 2 * 86400) return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
    }

    /**
     * The estimates of a sweep's points.
     *
     * @param meanSeconds    the mean point
     * @param totalSeconds   every point, one after another on one core
     * @param longest        the longest point's estimate
     * @param longestIndex   its grid index
     * @param longestAxes    its axis values
     */
    public record Sweep(double meanSeconds, double totalSeconds, CostEstimate longest, int longestIndex, String longestAxes) {
    }
}

package org.sharpsweep.worker.measure;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;

/**
 * m-sharpness at finite rho (docs/science.md, "m-sharpness"; Andriushchenko et al. 2023, their
 * {@code sharpness.py}): the leading {@code samples} training rows cut into batches B of m; on each,
 * the worst case max over ||delta / c|| &lt;= rho of L_B(theta + delta) - L_B(theta) by their APGD
 * (zero start, step 2 rho, momentum 0.75, the step halved at their checkpoints, run in the
 * coordinates u = delta / c where the ball is round; the SAM step to the
 * ball's boundary is a candidate too, so the value is never below one step of plain gradient
 * ascent), and the average case E L_B(theta + delta) - L_B(theta) over {@code iters} random delta
 * (Gaussian of standard deviation rho c for l2, uniform in [-rho c, rho c] for linf); c = |theta|
 * when adaptive, else 1. Each is the mean over the batches. At the final parameters only. The
 * arithmetic on perturbations is plain Java on double[]; the network runs through
 * {@link Curvature#trainingRows}.
 */
final class MSharpness implements Measurement {
    /** Their APGD's momentum: delta = 0.75 z + 0.25 delta_prev. */
    static final double MOMENTUM = 0.75;
    /** Their step: 2 rho (step_size_mult 1), halved at a checkpoint without progress. */
    static final double STEP_MULT = 2.0;
    /** Their rule: halve when fewer than this fraction of the iterations since the last checkpoint improved the worst loss. */
    static final double MIN_UPDATE_RATIO = 0.75;
    /** Their l2 direction's guard: g / (||g|| + 1e-12). */
    static final double GRAD_NORM_EPS = 1e-12;

    @Override
    public Measure declaration() {
        return Measures.M_SHARPNESS_MEASURE;
    }

    /** The settings of one measurement. */
    record Options(double rho, int m, boolean adaptive, boolean l2, int iters, int samples) {
        static Options of(MeasureSpec s) {
            return new Options(s.doubleValue(Measures.M_SHARPNESS_RHO), s.intValue(Measures.M_SHARPNESS_M),
                    (Boolean) s.get(Measures.M_SHARPNESS_ADAPTIVE), "l2".equals(s.get(Measures.M_SHARPNESS_NORM)),
                    s.intValue(Measures.M_SHARPNESS_ITERS), s.intValue(Measures.M_SHARPNESS_SAMPLES));
        }
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        Options o = Options.of(c.spec());
        double[] theta = k.theta().castTo(DataType.DOUBLE).toDoubleVector();
        double[] scale = new double[theta.length];
        for (int i = 0; i < theta.length; i++) scale[i] = o.adaptive ? Math.abs(theta[i]) : 1.0;
        int rows = Math.min(o.samples, k.rows());
        int size = Math.min(o.m, rows);
        int batches = rows / size;
        Gaussian draws = new Gaussian(c.stream("m-sharpness-average"));
        double worst = 0;
        double average = 0;
        double variance = 0; // sum over batches of the sample variance of the batch's draws
        for (int b = 0; b < batches; b++) {
            Curvature.TrainingRows batch = k.trainingRows(b * size, (b + 1) * size);
            double base = batch.loss(k.theta(), null);
            worst += worstCase(batch, theta, scale, base, o) - base;
            double mean = 0;
            double sq = 0;
            for (int s = 0; s < o.iters; s++) { // Welford's running mean and sum of squares
                double d = randomCase(batch, theta, scale, o, draws) - base;
                double delta = d - mean;
                mean += delta / (s + 1);
                sq += delta * (d - mean);
            }
            average += mean;
            if (o.iters > 1) variance += sq / (o.iters - 1);
        }
        c.put(Measures.M_SHARPNESS, worst / batches);
        c.put(Measures.M_SHARPNESS_BATCHES, batches);
        c.put(Measures.AVG_SHARPNESS, average / batches);
        c.put(Measures.AVG_SHARPNESS_STDERR, o.iters > 1 ? Math.sqrt(variance / o.iters) / batches : null);
    }

    /** L_B(theta + delta) for one random delta: Gaussian (l2) or uniform (linf) of scale rho c. */
    private static double randomCase(Curvature.TrainingRows batch, double[] theta, double[] scale, Options o, Gaussian draws) {
        double[] p = new double[theta.length];
        for (int i = 0; i < p.length; i++) p[i] = theta[i] + o.rho * scale[i] * (o.l2 ? draws.next() : draws.uniform());
        return batch.loss(Nd4j.createFromArray(p), null);
    }

    /**
     * The largest L_B(theta + delta) found by APGD over the ball (at least {@code base}, delta =
     * 0), or at the SAM step rho c^2 g / ||c g|| (l2) or rho c sign(g) (linf) if that is larger.
     */
    static double worstCase(Curvature.TrainingRows batch, double[] theta, double[] scale, double base, Options o) {
        int p = theta.length;
        INDArray grad = Nd4j.create(DataType.DOUBLE, p);
        batch.loss(Nd4j.createFromArray(theta), grad);
        double[] g = grad.toDoubleVector();
        double samLoss = batch.loss(at(theta, samStep(g, scale, o)), null);
        double worst = base; // APGD's own bookkeeping, as theirs: the SAM step is compared at the end
        double[] worstDelta = new double[p];
        double[] worstGrad = g.clone();
        List<Integer> checkpoints = checkpoints(o.iters);
        double step = STEP_MULT * o.rho;
        double prevStep = step;
        double prevWorst = worst;
        int prevCheckpoint = 0;
        int updates = 0;
        double[] delta = new double[p];
        double[] prev = new double[p];
        for (int i = 0; i < o.iters; i++) {
            double[] z = delta.clone();
            ascend(z, g, scale, step, o);
            project(z, scale, o);
            double[] next = new double[p];
            for (int j = 0; j < p; j++) next[j] = MOMENTUM * z[j] + (1 - MOMENTUM) * prev[j];
            prev = delta;
            delta = next;
            boolean last = i == o.iters - 1;
            double loss = batch.loss(at(theta, delta), last ? null : grad);
            if (!last) g = grad.toDoubleVector();
            if (loss > worst) {
                worst = loss;
                worstDelta = delta.clone();
                worstGrad = last ? null : g.clone();
                updates++;
            }
            if (checkpoints.contains(i)) {
                boolean few = updates < MIN_UPDATE_RATIO * (i - prevCheckpoint);
                boolean stalled = prevStep == step && prevWorst == worst;
                prevStep = step;
                prevWorst = worst;
                prevCheckpoint = i;
                updates = 0;
                if (few || stalled) { // halve the step and go on from the worst point found (docs/science.md)
                    step *= 0.5;
                    delta = worstDelta.clone();
                    prev = worstDelta.clone();
                    if (!last) g = worstGrad.clone();
                }
            }
        }
        return Math.max(worst, samLoss);
    }

    /**
     * Their checkpoints for {@code iters} iterations (0-based iteration indices after which the
     * progress is judged), computed with their floating-point steps: for 20 iterations
     * 5, 9, 12, 15, 16, 18, 19, 20.
     */
    static List<Integer> checkpoints(int iters) {
        List<Double> p = new ArrayList<>(List.of(0.0, 0.22));
        List<Integer> w = new ArrayList<>(List.of(0, (int) Math.ceil(iters * 0.22)));
        while (w.get(w.size() - 1) < iters && !w.get(w.size() - 1).equals(w.get(w.size() - 2))) {
            double last = p.get(p.size() - 1);
            double before = p.get(p.size() - 2);
            p.add(last + Math.max(last - before - 0.03, 0.06));
            w.add((int) Math.ceil(p.get(p.size() - 1) * iters));
        }
        return w.subList(1, w.size());
    }

    /** The maximiser of g . delta over the ball: rho c^2 g / ||c g|| (l2), rho c sign(g) (linf). */
    static double[] samStep(double[] g, double[] scale, Options o) {
        double[] d = new double[g.length];
        if (o.l2) {
            double n = 0;
            for (int j = 0; j < g.length; j++) n += (scale[j] * g[j]) * (scale[j] * g[j]);
            n = Math.sqrt(n);
            if (n == 0) return d;
            for (int j = 0; j < g.length; j++) d[j] = o.rho * scale[j] * scale[j] * g[j] / n;
        } else {
            for (int j = 0; j < g.length; j++) d[j] = o.rho * scale[j] * Math.signum(g[j]);
        }
        return d;
    }

    /**
     * The ascent step in the ball's coordinates u = delta / c, where the gradient is c g: u += step
     * c g / (||c g|| + 1e-12) (l2), u += step sign(g) (linf), i.e. delta += step c^2 g / (||c g|| +
     * 1e-12) and delta += step c sign(g). Theirs for c = 1 and for linf; for the adaptive l2 ball
     * they step along c g / ||g|| and project Euclidean onto the ellipsoid, whose fixed points are
     * not the maximisers (docs/science.md; 5% low on MSharpnessTest's network).
     */
    private static void ascend(double[] delta, double[] g, double[] scale, double step, Options o) {
        if (o.l2) {
            double n = 0;
            for (int j = 0; j < g.length; j++) n += (scale[j] * g[j]) * (scale[j] * g[j]);
            double f = step / (Math.sqrt(n) + GRAD_NORM_EPS);
            for (int j = 0; j < g.length; j++) delta[j] += f * g[j] * scale[j] * scale[j];
        } else {
            for (int j = 0; j < g.length; j++) delta[j] += step * Math.signum(g[j]) * scale[j];
        }
    }

    /**
     * The projection onto the ball {||delta / c|| &lt;= rho} in the coordinates u = delta / c, where
     * it is a round ball or a cube: linf clips each entry to [-rho c, rho c] (theirs); l2 rescales
     * delta by rho / ||delta / c|| when that norm is above rho (theirs for c = 1; for c = |theta|
     * they project Euclidean onto the ellipsoid, docs/science.md). A parameter with c = 0 cannot
     * move (its steps are 0).
     */
    static void project(double[] delta, double[] scale, Options o) {
        double rho = o.rho;
        if (!o.l2) {
            for (int j = 0; j < delta.length; j++) delta[j] = Math.max(Math.min(delta[j], rho * scale[j]), -rho * scale[j]);
            return;
        }
        double s = 0;
        for (int j = 0; j < delta.length; j++) {
            if (scale[j] == 0) continue;
            double u = delta[j] / scale[j];
            s += u * u;
        }
        double n = Math.sqrt(s);
        if (n > rho) for (int j = 0; j < delta.length; j++) delta[j] *= rho / n;
    }

    private static INDArray at(double[] theta, double[] delta) {
        double[] p = new double[theta.length];
        for (int j = 0; j < p.length; j++) p[j] = theta[j] + delta[j];
        return Nd4j.createFromArray(p);
    }
}

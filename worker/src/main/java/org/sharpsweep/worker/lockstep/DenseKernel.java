package org.sharpsweep.worker.lockstep;

import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.Mlp;

/**
 * The training arithmetic of a small fully connected network in plain Java loops over
 * {@code double[]} (docs/lockstep.md): the loss and its gradient by backpropagation, the exact
 * Hessian-vector product (Pearlmutter's R-operator, for the gradnorm penalty) and the
 * back-propagation of a fixed output gradient (darc1). The network, its parameter layout and its
 * losses are {@link Mlp}'s (W_l as [fanIn, fanOut] row-major then b_l, layer by layer; the
 * output layer scaled by c = {@link Mlp#outputScale()}); {@code MlpKernelTest} checks every
 * method against {@link Mlp} and against central differences.
 *
 * <p><b>Why it exists.</b> A step of a network of a few thousand parameters is a few thousand
 * multiply-adds; through ND4J each of its twenty operations costs more than that in fixed
 * overhead. Here a step costs its arithmetic.
 *
 * <p><b>Deterministic by construction.</b> Every value is computed by one fixed sequence of
 * IEEE operations that depends only on the model's own parameters, its batch and the shapes:
 * sums run over their index in increasing order, each product and sum rounded on its own (Java
 * never fuses a multiply-add). So a model trained alone and the same model trained beside others
 * ({@link LockstepTrainer}) give the same bits.
 *
 * <p><b>float32</b> ({@code f32}): every array holds values representable in float and every
 * operation's result is rounded to float ({@code (double) (float) v}), which for +, -, *, / gives
 * exactly IEEE single-precision arithmetic (the double result of two floats rounded once more is
 * the correctly rounded float result, since 53 >= 2 x 24 + 2); exp, log and tanh are computed in
 * double and rounded to float.
 *
 * <p>Not thread-safe: the scratch of one batch size is shared by the models of a group, which
 * are stepped one after another.
 */
final class DenseKernel {
    final int inputs;
    final int outputs;
    final int layers;
    final int[] fanIn;
    final int[] fanOut;
    final int[] wOff;
    final int[] bOff;
    final double[] scale;
    final int numParams;
    final boolean tanh;
    final Loss loss;
    final boolean f32;
    private Scratch cached;
    private Scratch cachedOther;

    /** The kernel of {@code mlp}'s network (its layout, scale, activation and loss), in float64 or, with {@code f32}, float32. */
    DenseKernel(Mlp mlp, boolean f32) {
        this.layers = mlp.layers();
        this.inputs = mlp.fanIn(0);
        this.outputs = mlp.fanOut(layers - 1);
        this.tanh = mlp.activation() == Activation.TANH;
        this.loss = mlp.lossKind();
        this.f32 = f32;
        fanIn = new int[layers];
        fanOut = new int[layers];
        wOff = new int[layers];
        bOff = new int[layers];
        scale = new double[layers];
        for (int l = 0; l < layers; l++) {
            fanIn[l] = mlp.fanIn(l);
            fanOut[l] = mlp.fanOut(l);
            wOff[l] = (int) mlp.weightOffset(l);
            bOff[l] = (int) mlp.biasOffset(l);
            scale[l] = l == layers - 1 ? round(mlp.outputScale()) : 1.0;
        }
        numParams = mlp.numParams();
    }

    /** v in the kernel's precision. */
    double round(double v) {
        return f32 ? (double) (float) v : v;
    }

    /** Rounds every element of a to the kernel's precision, in place. */
    void roundAll(double[] a) {
        if (f32) for (int i = 0; i < a.length; i++) a[i] = (double) (float) a[i];
    }

    // ---------------------------------------------------------------------------------------
    // What the trainer calls. x, y: m rows from offset 0 of the arrays (row-major [m, inputs]
    // and [m, outputs]).

    /** grad := dL/dtheta with L = (1/m) sum_i l_i; returns L. */
    double lossAndGradient(double[] theta, double[] x, double[] y, int m, double[] grad) {
        Scratch s = scratch(m);
        forward(theta, x, s);
        double sum = headGradient(s, y);
        backward(theta, s, false);
        accumulate(m, x, s.act, s.g, null, null, grad, round(1.0 / m));
        return round(sum / m);
    }

    /** The outputs f(x) [m, outputs] of the last forward pass (the scratch's own array). */
    double[] predict(double[] theta, double[] x, int m) {
        Scratch s = scratch(m);
        forward(theta, x, s);
        return s.z[layers - 1];
    }

    /** grad := sum_i J_i^T g_i for the fixed output gradient g [m, outputs]; not divided by m. */
    void backpropOutputGradient(double[] theta, double[] x, double[] g, int m, double[] grad) {
        Scratch s = scratch(m);
        forward(theta, x, s);
        System.arraycopy(g, 0, s.g[layers - 1], 0, m * outputs);
        backward(theta, s, false);
        accumulate(m, x, s.act, s.g, null, null, grad, 1.0);
    }

    /** out := H v, H the Hessian of L = (1/m) sum_i l_i on these rows; exact (R-operator). */
    void hvp(double[] theta, double[] x, double[] y, int m, double[] v, double[] out) {
        Scratch s = scratch(m);
        forward(theta, x, s);
        headGradient(s, y);
        backward(theta, s, true);
        rPass(theta, x, s, s.first(), v, null, false);
        accumulate(m, x, s.act, s.first().rg, s.first().ra, s.g, out, round(1.0 / m));
    }

    /**
     * out := (Hessian of sum_i g_i . f(x_i), g [m, outputs] fixed) v: the network's own
     * curvature, not divided by m ({@link Mlp#hvpOutputLinear}).
     */
    void hvpOutputLinear(double[] theta, double[] x, double[] g, int m, double[] v, double[] out) {
        Scratch s = scratch(m);
        forward(theta, x, s);
        System.arraycopy(g, 0, s.g[layers - 1], 0, m * outputs);
        backward(theta, s, true);
        rPass(theta, x, s, s.first(), v, null, true);
        accumulate(m, x, s.act, s.first().rg, s.first().ra, s.g, out, 1.0);
    }

    /**
     * sumHv := sum_i H_i v and sumHHv := sum_i H_i (H_i v) over the rows, H_i the Hessian of
     * l_i (sums, not means; {@link Mlp#perSampleMoments}, whose comment derives the second pass:
     * along u_i = H_i v without forming it, its forward term c^2 [(a.Ra) g + (a.a) Rg] + Rg and
     * its backward term c^2 [(g.g) Ra + (g.Rg) a] from the first pass's rows).
     */
    void perSampleMoments(double[] theta, double[] x, double[] y, int m, double[] v, double[] sumHv, double[] sumHHv) {
        Scratch s = scratch(m);
        forward(theta, x, s);
        headGradient(s, y);
        backward(theta, s, true);
        RPass alongV = s.first(), alongHv = s.second();
        rPass(theta, x, s, alongV, v, null, false);
        accumulate(m, x, s.act, alongV.rg, alongV.ra, s.g, sumHv, 1.0);
        rPass(theta, x, s, alongHv, null, alongV, false);
        accumulate(m, x, s.act, alongHv.rg, alongHv.ra, s.g, sumHHv, 1.0);
    }

    /**
     * One R-operator pass after the first-order pass, into {@code r}: along the shared direction
     * {@code v} (RZ_l = c_l (RA_{l-1} W_l + A_{l-1} V_l) + vb_l; RS_l = c_l (RG_l W_l^T + G_l V_l^T)),
     * or, with {@code v} null, along the per-sample directions u_i = H_i v of the pass
     * {@code along}. RA_l = act'(Z_l) RZ_l; RG_{L-1} = (output Hessian) RZ_{L-1} (0 for the linear
     * head); RG_{l-1} = RS act'(Z_{l-1}) + (dh/dA) act''(Z_{l-1}) RZ_{l-1}.
     */
    private void rPass(double[] theta, double[] x, Scratch s, RPass r, double[] v, RPass along, boolean linearHead) {
        int m = s.m;
        for (int l = 0; l < layers; l++) {
            int n = fanOut[l], k = fanIn[l];
            double[] rz = r.rz[l];
            double[] in = l == 0 ? x : s.act[l - 1];
            if (v != null) {
                Products.product(in, m, k, v, wOff[l], n, rz, f32);
                if (l > 0) Products.addProduct(r.ra[l - 1], m, k, theta, wOff[l], n, rz, f32);
                biasAndScale(rz, m, n, v, bOff[l], scale[l]);
            } else {
                if (l > 0) {
                    Products.product(r.ra[l - 1], m, k, theta, wOff[l], n, rz, f32);
                    if (scale[l] != 1.0) for (int i = 0; i < m * n; i++) rz[i] = round(scale[l] * rz[i]);
                } else {
                    java.util.Arrays.fill(rz, 0, m * n, 0.0);
                }
                addPerSampleForward(l, in, s, along, rz);
            }
            if (l < layers - 1) {
                double[] slope = s.slope[l], ra = r.ra[l];
                for (int i = 0; i < m * n; i++) ra[i] = round(slope[i] * rz[i]);
            }
        }
        if (linearHead) {
            java.util.Arrays.fill(r.rg[layers - 1], 0, m * outputs, 0.0);
        } else {
            headHessianTimes(s, r.rz[layers - 1], r.rg[layers - 1]);
        }
        for (int l = layers - 1; l >= 1; l--) {
            int n = fanOut[l], k = fanIn[l];
            double[] rs = r.rg[l - 1];
            Products.productTransposed(r.rg[l], m, n, theta, wOff[l], k, rs, f32);
            if (v != null) Products.addProductTransposed(s.g[l], m, n, v, wOff[l], k, rs, f32);
            double c = scale[l];
            if (c != 1.0) for (int i = 0; i < m * k; i++) rs[i] = round(c * rs[i]);
            if (v == null) addPerSampleBackward(l, s, along, rs);
            double[] slope = s.slope[l - 1], curv = s.curv[l - 1], rzPrev = r.rz[l - 1];
            for (int i = 0; i < m * k; i++) {
                double q = round(rs[i] * slope[i]);
                if (curv != null) q = round(q + round(curv[i] * rzPrev[i]));
                rs[i] = q;
            }
        }
    }

    /** rz[i, :] += (c^2 (a.a) + 1) Rg[i, :] + c^2 (a.Ra) g[i, :] (the last term for l >= 1), a = in[i, :]. */
    private void addPerSampleForward(int l, double[] in, Scratch s, RPass along, double[] rz) {
        int m = s.m, n = fanOut[l], k = fanIn[l];
        double c2 = round(scale[l] * scale[l]);
        double[] rg = along.rg[l], g = s.g[l], ra = l > 0 ? along.ra[l - 1] : null;
        for (int i = 0; i < m; i++) {
            double aa = 0.0, aRa = 0.0;
            for (int q = 0; q < k; q++) {
                double a = in[i * k + q];
                aa = round(aa + round(a * a));
                if (ra != null) aRa = round(aRa + round(a * ra[i * k + q]));
            }
            double fRg = round(round(c2 * aa) + 1.0), fG = round(c2 * aRa);
            for (int j = 0; j < n; j++) {
                double t = round(fRg * rg[i * n + j]);
                if (ra != null) t = round(t + round(fG * g[i * n + j]));
                rz[i * n + j] = round(rz[i * n + j] + t);
            }
        }
    }

    /** rs[i, :] += c^2 [(g.g) Ra[i, :] + (g.Rg) a[i, :]], g = G_l[i, :], Rg = R{G_l}[i, :], a = A_{l-1}[i, :]; l >= 1. */
    private void addPerSampleBackward(int l, Scratch s, RPass along, double[] rs) {
        int m = s.m, n = fanOut[l], k = fanIn[l];
        double c2 = round(scale[l] * scale[l]);
        double[] g = s.g[l], rg = along.rg[l], ra = along.ra[l - 1], a = s.act[l - 1];
        for (int i = 0; i < m; i++) {
            double gg = 0.0, gRg = 0.0;
            for (int j = 0; j < n; j++) {
                double gij = g[i * n + j];
                gg = round(gg + round(gij * gij));
                gRg = round(gRg + round(gij * rg[i * n + j]));
            }
            double fRa = round(c2 * gg), fA = round(c2 * gRg);
            for (int q = 0; q < k; q++) {
                double t = round(round(fRa * ra[i * k + q]) + round(fA * a[i * k + q]));
                rs[i * k + q] = round(rs[i * k + q] + t);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // The passes.

    /** Z_l = c_l A_{l-1} W_l + b_l, A_l = act(Z_l), slope_l = act'(Z_l). */
    private void forward(double[] theta, double[] x, Scratch s) {
        int m = s.m;
        for (int l = 0; l < layers; l++) {
            int n = fanOut[l], k = fanIn[l];
            double[] z = s.z[l];
            Products.product(l == 0 ? x : s.act[l - 1], m, k, theta, wOff[l], n, z, f32);
            biasAndScale(z, m, n, theta, bOff[l], scale[l]);
            if (l == layers - 1) continue;
            double[] a = s.act[l], slope = s.slope[l];
            if (tanh) {
                for (int i = 0; i < m * n; i++) {
                    double t = round(Math.tanh(z[i]));
                    a[i] = t;
                    slope[i] = round(1.0 - round(t * t));
                }
            } else {
                Products.relu(z, m * n, a, slope);
            }
        }
    }

    /** z[i, j] := b[j] + c z[i, j] over m rows of n. */
    private void biasAndScale(double[] z, int m, int n, double[] theta, int bOffset, double c) {
        Products.biasAndScale(z, m, n, theta, bOffset, c, f32);
    }

    /**
     * G_{l-1} = c_l (G_l W_l^T) act'(Z_{l-1}) from the output signal down; with
     * {@code secondOrder} and tanh also curv_{l-1} = (dh/dA_{l-1}) act''(Z_{l-1}) =
     * -2 (dh/dA_{l-1}) A_{l-1} act'(Z_{l-1}).
     */
    private void backward(double[] theta, Scratch s, boolean secondOrder) {
        int m = s.m;
        for (int l = layers - 1; l >= 1; l--) {
            int n = fanOut[l], k = fanIn[l];
            double[] prev = s.g[l - 1];
            Products.productTransposed(s.g[l], m, n, theta, wOff[l], k, prev, f32);
            double c = scale[l];
            double[] slope = s.slope[l - 1], a = s.act[l - 1];
            double[] curv = secondOrder && tanh ? s.curv[l - 1] : null;
            for (int i = 0; i < m * k; i++) {
                double signal = c == 1.0 ? prev[i] : round(c * prev[i]);
                prev[i] = round(signal * slope[i]);
                if (curv != null) curv[i] = round(round(round(signal * a[i]) * slope[i]) * -2.0);
            }
        }
    }

    /**
     * into := alpha sum_i (dh_i/dtheta) for the signals {@code g}: W_l gets alpha c_l A_{l-1}^T g_l,
     * b_l gets alpha 1^T g_l; with {@code ra} and {@code g2} (an R-pass) W_l gets alpha c_l
     * (A_{l-1}^T g_l + RA_{l-1}^T G_l) for l >= 1.
     */
    private void accumulate(int m, double[] x, double[][] act, double[][] g, double[][] ra, double[][] g2, double[] into, double alpha) {
        for (int l = 0; l < layers; l++) {
            int n = fanOut[l], k = fanIn[l];
            double[] in = l == 0 ? x : act[l - 1];
            int w = wOff[l];
            java.util.Arrays.fill(into, w, w + k * n, 0.0);
            Products.transposedProduct(in, m, k, g[l], n, into, w, f32);
            if (ra != null && l > 0) Products.transposedProduct(ra[l - 1], m, k, g2[l], n, into, w, f32);
            double f = round(alpha * scale[l]);
            if (f != 1.0) for (int i = w; i < w + k * n; i++) into[i] = round(f * into[i]);
            int b = bOff[l];
            double[] gl = g[l];
            java.util.Arrays.fill(into, b, b + n, 0.0);
            Products.addColumnSums(gl, m, n, into, b, f32);
            if (alpha != 1.0) for (int j = 0; j < n; j++) into[b + j] = round(alpha * into[b + j]);
        }
    }

    /** The loss head's output gradient into g[L-1]; returns sum_i l_i. */
    private double headGradient(Scratch s, double[] y) {
        int m = s.m, k = outputs;
        double[] f = s.z[layers - 1], grad = s.g[layers - 1];
        switch (loss) {
            case MSE, HALF_SSE -> {
                double curvature = round(loss == Loss.MSE ? 2.0 / k : 1.0);
                double squares = 0.0;
                for (int i = 0; i < m * k; i++) {
                    double d = round(f[i] - y[i]);
                    squares = round(squares + round(d * d));
                    grad[i] = curvature == 1.0 ? d : round(d * curvature);
                }
                return round(round(0.5 * curvature) * squares);
            }
            case XENT -> {
                double sum = 0.0;
                double[] p = s.probs, mass = s.mass;
                for (int i = 0; i < m; i++) {
                    int row = i * k;
                    double max = f[row];
                    for (int j = 1; j < k; j++) max = Math.max(max, f[row + j]);
                    double total = 0.0, yMass = 0.0, yDotF = 0.0;
                    for (int j = 0; j < k; j++) {
                        double e = round(Math.exp(round(f[row + j] - max)));
                        p[row + j] = e;
                        total = round(total + e);
                        yMass = round(yMass + y[row + j]);
                        yDotF = round(yDotF + round(y[row + j] * f[row + j]));
                    }
                    for (int j = 0; j < k; j++) {
                        p[row + j] = round(p[row + j] / total);
                        grad[row + j] = round(round(yMass * p[row + j]) - y[row + j]);
                    }
                    mass[i] = yMass;
                    double lse = round(round(Math.log(total)) + max);
                    sum = round(sum + round(round(lse * yMass) - yDotF));
                }
                return sum;
            }
            default -> throw new IllegalStateException("no loss head for " + loss);
        }
    }

    /** out := (d^2 h_i / df_i^2) r_i row by row, at the outputs of the last {@link #headGradient}. */
    private void headHessianTimes(Scratch s, double[] r, double[] out) {
        int m = s.m, k = outputs;
        if (loss != Loss.XENT) {
            double curvature = round(loss == Loss.MSE ? 2.0 / k : 1.0);
            for (int i = 0; i < m * k; i++) out[i] = curvature == 1.0 ? r[i] : round(r[i] * curvature);
            return;
        }
        double[] p = s.probs;
        for (int i = 0; i < m; i++) {
            int row = i * k;
            double pr = 0.0;
            for (int j = 0; j < k; j++) pr = round(pr + round(p[row + j] * r[row + j]));
            for (int j = 0; j < k; j++) {
                out[row + j] = round(round(round(p[row + j] * r[row + j]) - round(p[row + j] * pr)) * s.mass[i]);
            }
        }
    }

    // ---------------------------------------------------------------------------------------

    /** The arrays of one R-operator pass: R{Z_l}, R{A_l}, R{G_l}. */
    static final class RPass {
        final double[][] rz, ra, rg;

        RPass(DenseKernel k, int m) {
            rz = new double[k.layers][];
            ra = new double[k.layers][];
            rg = new double[k.layers][];
            for (int l = 0; l < k.layers; l++) {
                rz[l] = new double[m * k.fanOut[l]];
                rg[l] = new double[m * k.fanOut[l]];
                if (l < k.layers - 1) ra[l] = new double[m * k.fanOut[l]];
            }
        }
    }

    /** The per-pass arrays for m rows. */
    final class Scratch {
        final int m;
        final double[][] z, act, slope, g, curv;
        final double[] probs, mass;
        private RPass first, second;

        Scratch(int m) {
            this.m = m;
            z = new double[layers][];
            g = new double[layers][];
            act = new double[layers][];
            slope = new double[layers][];
            curv = new double[layers][];
            for (int l = 0; l < layers; l++) {
                int n = fanOut[l];
                z[l] = new double[m * n];
                g[l] = new double[m * n];
                if (l < layers - 1) {
                    act[l] = new double[m * n];
                    slope[l] = new double[m * n];
                    curv[l] = tanh ? new double[m * n] : null;
                }
            }
            probs = new double[m * outputs];
            mass = new double[m];
        }

        /** The first (shared-direction) R-pass's arrays. */
        RPass first() {
            if (first == null) first = new RPass(DenseKernel.this, m);
            return first;
        }

        /** The second (per-sample direction) R-pass's arrays. */
        RPass second() {
            if (second == null) second = new RPass(DenseKernel.this, m);
            return second;
        }
    }

    /** The scratch for m rows (two sizes kept: a batch and its micro-batches). */
    Scratch scratch(int m) {
        if (cached != null && cached.m == m) return cached;
        if (cachedOther != null && cachedOther.m == m) {
            Scratch t = cached;
            cached = cachedOther;
            cachedOther = t;
            return cached;
        }
        cachedOther = cached;
        cached = new Scratch(m);
        return cached;
    }
}

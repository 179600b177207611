package org.sharpsweep.worker;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Darc1;

/**
 * The curvature operators of DESIGN.md section 3 at fixed parameters, as products v -> A v for
 * Lanczos, and the three measurements built on them.
 *
 * <ul>
 *   <li>H v: the Hessian of the training loss L = (1/n) sum_i l_i on the whole training
 *       subset, exact (R-operator).</li>
 *   <li>Sigma v = (1/m) sum_i H_i (H_i v) - H_m (H_m v) over the first m training samples
 *       ({@code measure.nonuniformity_samples}, all n by default), H_m = (1/m) sum_i H_i, so that
 *       Sigma is the covariance of the per-sample Hessians of that sample set and stays PSD. One
 *       batched per-sample pass gives both sums, one more HVP gives H_m (H_m v).</li>
 *   <li>The linear-stability operator (I - eta H)^2 + eta^2 (n-B)/(B(n-1)) Sigma: PSD, and SGD is
 *       linearly stable at the minimum iff its top eigenvalue is at most 1 (Wu, Ma &amp; E 2018).</li>
 * </ul>
 *
 * <p>Not thread-safe: holds scratch vectors; one instance per point.
 */
public final class Curvature {
    private final Mlp model;
    private final INDArray theta;
    private final INDArray x;
    private final INDArray y;
    private final INDArray xs;
    private final INDArray ys;
    private final int p;
    private final INDArray t1;
    private final INDArray t2;
    private final INDArray t3;
    private final INDArray t4;

    /**
     * @param samples m, the number of leading training samples Sigma is computed on (1..n)
     */
    public Curvature(Mlp model, INDArray theta, INDArray x, INDArray y, int samples) {
        int n = (int) x.rows();
        if (samples < 1 || samples > n) throw new IllegalArgumentException("samples must be in [1, " + n + "], got " + samples);
        this.model = model;
        this.theta = theta;
        this.x = x;
        this.y = y;
        this.xs = samples == n ? x : x.get(NDArrayIndex.interval(0, samples), NDArrayIndex.all()).dup();
        this.ys = samples == n ? y : y.get(NDArrayIndex.interval(0, samples), NDArrayIndex.all()).dup();
        this.p = model.numParams();
        this.t1 = Nd4j.create(DataType.DOUBLE, p);
        this.t2 = Nd4j.create(DataType.DOUBLE, p);
        this.t3 = Nd4j.create(DataType.DOUBLE, p);
        this.t4 = Nd4j.create(DataType.DOUBLE, p);
    }

    public int dim() {
        return p;
    }

    /** out = H v on the whole training subset. */
    public SymmetricOperator hessian() {
        return (v, out) -> model.hvp(theta, x, y, v, out);
    }

    /**
     * out = the Hessian of the penalized training objective L + P times v, on the whole training
     * subset taken as one batch (B = n): {@code l2} adds lambda v; {@code darc1}, where its
     * maximising output k* and the signs of h_{k*}(x_i) are locally constant, adds
     * (lambda/n) sum_i sign(h_{k*}(x_i)) hess h_{k*}(x_i) v. The {@code gradnorm} penalty's
     * curvature needs third derivatives of the loss and is refused.
     */
    public SymmetricOperator penalizedHessian(PenaltySpec penalty) {
        double lambda = penalty.coef();
        return switch (penalty.kind()) {
            case NONE -> hessian();
            case L2 -> (v, out) -> {
                model.hvp(theta, x, y, v, out);
                out.addi(v.mul(lambda));
            };
            case DARC1 -> {
                INDArray g = Darc1.outputGradient(model.predict(theta, x), lambda);
                yield (v, out) -> {
                    model.hvp(theta, x, y, v, out);
                    model.hvpOutputLinear(theta, x, g, v, t4);
                    out.addi(t4);
                };
            }
            case GRADNORM -> throw new IllegalArgumentException(
                    "the curvature of the gradnorm penalty needs third derivatives of the loss; not supported");
        };
    }

    /** out = Sigma v over the chosen samples. */
    public SymmetricOperator sigma() {
        return (v, out) -> sigma(v, out);
    }

    private void sigma(INDArray v, INDArray out) {
        double m = xs.rows();
        model.perSampleMoments(theta, xs, ys, v, t1, out); // t1 = sum H_i v, out = sum H_i H_i v
        t1.divi(m);                                         // H_m v
        model.hvp(theta, xs, ys, t1, t2);                   // H_m (H_m v)
        out.divi(m).subi(t2);
    }

    /**
     * out = [(I - lr H)^2 + lr^2 c Sigma] v with c = (n-B)/(B(n-1)); for B = n (c = 0) Sigma is
     * not evaluated.
     */
    public SymmetricOperator stability(double lr, int batchSize) {
        int n = (int) x.rows();
        double c = batchSize >= n ? 0.0 : (double) (n - batchSize) / ((double) batchSize * (n - 1));
        return (v, out) -> {
            model.hvp(theta, x, y, v, t3);          // H v
            model.hvp(theta, x, y, t3, out);        // H H v
            out.muli(lr * lr).addi(v).subi(t3.muli(2 * lr));
            if (c > 0) {
                sigma(v, t4);
                out.addi(t4.muli(lr * lr * c));
            }
        };
    }

    /** Sharpness, non-uniformity and the stability criterion as {@code measure} asks; the rest stays null. */
    static void measure(Mlp model, INDArray theta, INDArray x, INDArray y, MeasureSpec m, int samples, double lr,
                        int batchSize, long seed, PointRunner.Builder r) {
        Curvature c = new Curvature(model, theta, x, y, samples);
        int n = (int) x.rows();
        if (m.sharpness()) {
            EigenEstimate e = Lanczos.top(c.hessian(), c.dim(), m.tol(), m.maxIters(), Seeds.stream(seed, "lanczos-hessian"));
            r.sharpness = e.value();
            r.sharpnessResidual = e.residual();
            r.sharpnessIters = e.iterations();
        }
        if (m.nonuniformity()) {
            EigenEstimate e = Lanczos.top(c.sigma(), c.dim(), m.tol(), m.maxIters(), Seeds.stream(seed, "lanczos-sigma"));
            r.nonuniformity = Math.sqrt(Math.max(e.value(), 0.0));
            r.nonuniformityResidual = e.residual();
            r.nonuniformityIters = e.iterations();
            r.nonuniformityN = samples;
        }
        if (m.sharpness() && (m.nonuniformity() || batchSize >= n)) {
            EigenEstimate e = Lanczos.top(c.stability(lr, batchSize), c.dim(), m.tol(), m.maxIters(),
                    Seeds.stream(seed, "lanczos-stability"));
            r.stabilityMaxEig = e.value();
            r.stabilityResidual = e.residual();
            r.stabilityIters = e.iterations();
        }
    }
}

package org.sharpsweep.worker.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.blas.Gemm;

/**
 * What the network's outputs feed into, one sample per row: a per-sample function h_i(f_i)
 * with its gradient and its Hessian in output space (docs/science.md). The losses:
 * <ul>
 *   <li>mse: l_i = (1/k)||f_i - y_i||^2, gradient 2(f_i - y_i)/k, Hessian (2/k) I;</li>
 *   <li>half-sse: l_i = 0.5||f_i - y_i||^2, gradient f_i - y_i, Hessian I;</li>
 *   <li>xent: l_i = -sum_k y_ik log softmax(f_i)_k = s_i lse(f_i) - y_i.f_i with s_i = sum_k y_ik,
 *       gradient s_i p_i - y_i, Hessian s_i (diag(p_i) - p_i p_i^T); s_i = 1 for one-hot rows,
 *       which gives the usual p - y and diag(p) - p p^T;</li>
 * </ul>
 * and {@link #linear} h_i = g_i . f_i for a fixed g (gradient g_i, Hessian 0), through which
 * the model back-propagates a given output gradient (the darc1 penalty).
 *
 * <p>{@link #gradient} must be called first; {@link #hessianTimes} uses what it cached (the
 * softmax probabilities of xent).
 */
abstract class OutputHead {

    /** Writes the rows dh_i/df_i into {@code grad} [m,k]; returns sum_i h_i (NaN for {@link #linear}). */
    abstract double gradient(INDArray f, INDArray grad);

    /** Writes the rows (d^2 h_i/df_i^2) r_i into {@code out}, at the f of the last {@link #gradient}. */
    abstract void hessianTimes(INDArray r, INDArray out);

    static OutputHead of(Loss loss, INDArray y, Buffers buffers) {
        return switch (loss) {
            case MSE -> new Squared(y, 2.0 / y.columns());
            case HALF_SSE -> new Squared(y, 1.0);
            case XENT -> new SoftmaxCrossEntropy(y, buffers);
        };
    }

    static OutputHead linear(INDArray g) {
        return new Linear(g);
    }

    /** h_i = (curvature/2) ||f_i - y_i||^2. */
    private static final class Squared extends OutputHead {
        private final INDArray y;
        private final double curvature;

        Squared(INDArray y, double curvature) {
            this.y = y;
            this.curvature = curvature;
        }

        @Override
        double gradient(INDArray f, INDArray grad) {
            f.sub(y, grad);
            double squares = Gemm.dot(grad, grad); // grad is a contiguous buffer: one BLAS pass
            grad.muli(curvature);
            return 0.5 * curvature * squares;
        }

        @Override
        void hessianTimes(INDArray r, INDArray out) {
            r.mul(curvature, out);
        }
    }

    private static final class SoftmaxCrossEntropy extends OutputHead {
        private final INDArray y;
        private final Buffers buffers;

        SoftmaxCrossEntropy(INDArray y, Buffers buffers) {
            this.y = y;
            this.buffers = buffers;
        }

        @Override
        double gradient(INDArray f, INDArray grad) {
            INDArray p = buffers.probs;
            INDArray mass = buffers.targetMass;
            INDArray yDotF = buffers.rowA;
            INDArray max = f.max(true, 1);
            p.assign(f).subiColumnVector(max);
            Nd4j.exec(new Exp(p, p));
            INDArray total = p.sum(true, 1);
            p.diviColumnVector(total);
            INDArray logSumExp = Transforms.log(total, false).addi(max);
            RowOps.rowSums(y, mass, buffers);
            RowOps.rowDots(y, f, yDotF, buffers);
            RowOps.scaleRows(p, mass, grad).subi(y);
            return logSumExp.muli(mass).subi(yDotF).sumNumber().doubleValue();
        }

        @Override
        void hessianTimes(INDArray r, INDArray out) {
            INDArray p = buffers.probs;
            INDArray pDotR = buffers.rowA;
            RowOps.rowDots(p, r, pDotR, buffers);
            INDArray ppr = RowOps.scaleRows(p, pDotR, buffers.scratch(p.columns()));
            p.mul(r, out).subi(ppr).muliColumnVector(buffers.targetMass);
        }
    }

    private static final class Linear extends OutputHead {
        private final INDArray g;

        Linear(INDArray g) {
            this.g = g;
        }

        @Override
        double gradient(INDArray f, INDArray grad) {
            grad.assign(g);
            return Double.NaN;
        }

        @Override
        void hessianTimes(INDArray r, INDArray out) {
            out.assign(0.0);
        }
    }
}

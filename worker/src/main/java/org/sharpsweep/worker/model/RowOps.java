package org.sharpsweep.worker.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.worker.blas.Gemm;

/** Row-wise reductions and scalings of [m, n] matrices into preallocated buffers. */
final class RowOps {

    private RowOps() {
    }

    /** out[i] := sum_j a[i,j] b[i,j]; out is [m,1]. Uses buffers' scratch of a's width. */
    static void rowDots(INDArray a, INDArray b, INDArray out, Buffers buffers) {
        int cols = (int) a.columns();
        INDArray product = buffers.scratch(cols);
        a.mul(b, product);
        Gemm.gemm(product, buffers.onesOfLength(cols), out, false, false, 1.0, 0.0);
    }

    /** out[i] := sum_j a[i,j]; out is [m,1]. */
    static void rowSums(INDArray a, INDArray out, Buffers buffers) {
        Gemm.gemm(a, buffers.onesOfLength((int) a.columns()), out, false, false, 1.0, 0.0);
    }

    /** out[i,:] := a[i,:] * scale[i]; returns out. */
    static INDArray scaleRows(INDArray a, INDArray scale, INDArray out) {
        return out.assign(a).muliColumnVector(scale);
    }
}

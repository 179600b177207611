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

    /**
     * The forward term of the per-sample direction u_i = H_i v through a dense layer with scale c
     * (Mlp and the cnn's dense stages share it): rz += (c^2 (a.a) + 1) rg + c^2 (a.ra) g, row by
     * row, a = the layer's input rows, ra = R{a} (null where the input does not depend on theta:
     * the data), g = the layer's output gradient, rg = R{g}, both along v. {@code cols}: the
     * layer's outputs.
     */
    static void addPerSampleForward(INDArray a, INDArray ra, INDArray g, INDArray rg, double c, int cols, INDArray rz, Buffers b) {
        double c2 = c * c;
        INDArray aa = b.rowA;
        rowDots(a, a, aa, b);
        aa.muli(c2).addi(1.0);
        INDArray term = b.scratch(cols);
        rz.addi(scaleRows(rg, aa, term));
        if (ra != null) {
            INDArray aRa = b.rowB;
            rowDots(a, ra, aRa, b);
            aRa.muli(c2);
            rz.addi(scaleRows(g, aRa, term));
        }
    }

    /**
     * The backward term of the same direction: rs += c^2 [(g.g) ra + (g.rg) a], row by row, with
     * the names above; {@code cols}: the layer's inputs.
     */
    static void addPerSampleBackward(INDArray a, INDArray ra, INDArray g, INDArray rg, double c, int cols, INDArray rs, Buffers b) {
        double c2 = c * c;
        INDArray gg = b.rowA;
        INDArray gRg = b.rowB;
        rowDots(g, g, gg, b);
        rowDots(g, rg, gRg, b);
        gg.muli(c2);
        gRg.muli(c2);
        INDArray term = b.scratch(cols);
        rs.addi(scaleRows(ra, gg, term));
        rs.addi(scaleRows(a, gRg, term));
    }
}

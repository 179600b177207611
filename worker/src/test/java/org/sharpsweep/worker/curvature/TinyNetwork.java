package org.sharpsweep.worker.curvature;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.Mlp;

/**
 * A tiny network's loss Hessian as an operator (exact R-operator products, {@link Mlp#hvp}) and
 * as a dense matrix built column by column from H e_j, as model.ModelTestSupport does (that class
 * is package-private to the model tests), eigen-decomposed by commons-math3: docs/science.md's
 * oracle for sharpness and trace.
 */
record TinyNetwork(String name, int dim, SymmetricOperator hessian, RealMatrix dense) {

    static TinyNetwork of(Activation activation, Loss loss, int depth, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 7, d = 3, k = 2;
        Mlp model = new Mlp(d, depth, 4, k, activation, Init.DEFAULT, loss);
        INDArray theta = model.initParams(seed);
        INDArray x = uniform(rng, n, d);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, k);
        if (loss == Loss.XENT) {
            for (int i = 0; i < n; i++) y.putScalar(i, rng.nextInt(k), 1.0);
        } else {
            y = uniform(rng, n, k);
        }
        INDArray targets = y;
        SymmetricOperator h = (v, out) -> model.hvp(theta, x, targets, v, out);
        int p = model.numParams();
        double[][] a = new double[p][p];
        for (int j = 0; j < p; j++) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, p);
            e.putScalar(j, 1.0);
            INDArray col = Nd4j.create(DataType.DOUBLE, p);
            h.apply(e, col);
            for (int i = 0; i < p; i++) a[i][j] = col.getDouble(i);
        }
        RealMatrix dense = new Array2DRowRealMatrix(a, false);
        String name = activation + " " + loss + " depth " + depth + " seed " + seed + " (P = " + p + ")";
        return new TinyNetwork(name, p, h, dense);
    }

    /** Sum of the dense Hessian's diagonal. */
    double trace() {
        return dense.getTrace();
    }

    /** Eigenvalues of the symmetrized dense Hessian, descending. */
    double[] eigenvalues() {
        RealMatrix sym = dense.add(dense.transpose()).scalarMultiply(0.5);
        double[] ev = new EigenDecomposition(sym).getRealEigenvalues();
        java.util.Arrays.sort(ev);
        for (int i = 0; i < ev.length / 2; i++) {
            double t = ev[i];
            ev[i] = ev[ev.length - 1 - i];
            ev[ev.length - 1 - i] = t;
        }
        return ev;
    }

    private static INDArray uniform(SplittableRandom rng, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-1.5, 1.5);
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }

    @Override
    public String toString() {
        return name;
    }
}

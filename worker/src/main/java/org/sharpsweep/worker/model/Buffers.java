package org.sharpsweep.worker.model;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scratch arrays of one {@link Mlp} for one row count m: the cached state of a forward and
 * backward pass and of up to two R-operator passes. All arrays are of the model's type with one
 * row per sample; backprop signals are per sample (not divided by m).
 *
 * <p><b>Order.</b> DOUBLE arrays with at least {@link #COLUMN_MAJOR_MIN_ROWS} rows are
 * column-major (f-order) [m, units]; all others row-major. OpenBLAS blocks a product along the
 * rows of its column-major result, and its double kernel runs the forward products Z = A W (and
 * the backward ones G W^T) fastest when the long dimension m is that row: on Emerald Rapids
 * with the Cooperlake kernel, 1000x784 by 784x100 into a column-major Z takes 2.7-2.8 ms
 * against 3.4-3.5 ms into a row-major one, while at 50 rows the row-major result is the faster
 * (0.20 against 0.23 ms). The float kernel prefers the row-major result at 1000 rows too
 * (1.12 against 1.30 ms).
 *
 * <p>Layers are indexed 0..L-1 as in {@link Mlp}; arrays of hidden layers (activations and
 * their derivatives) exist for l < L-1 only.
 */
final class Buffers {

    /** Row count from which the [m, units] arrays are column-major; see the class comment. */
    static final int COLUMN_MAJOR_MIN_ROWS = 256;

    final int rows;
    /** Column of ones [m,1]: bias gradients are ones^T G. */
    final INDArray ones;
    /** Pre-activations Z_l [m, fanOut(l)]; the last one is the output f. */
    final INDArray[] z;
    /** Hidden activations A_l = act(Z_l). */
    final INDArray[] act;
    /** act'(Z_l). */
    final INDArray[] slope;
    /** Per-sample gradient of the head with respect to Z_l. */
    final INDArray[] g;
    /** (dh_i/dA_l) act''(Z_l): how the backprop signal moves with Z_l; tanh only (relu'' = 0), else null. */
    final INDArray[] curv;
    /** Backprop signal at a hidden activation, [m, width]; null when there is no hidden layer. */
    final INDArray signal;
    /** Softmax probabilities of the outputs (xent). */
    final INDArray probs;
    /** Per-row sums of the targets (xent: 1 for one-hot rows). */
    final INDArray targetMass;
    /** Two per-row scalars [m,1]. */
    final INDArray rowA;
    final INDArray rowB;

    private final int[] fanOut;
    private final int width;
    private final DataType dataType;
    private final Map<Integer, INDArray> scratchByCols = new HashMap<>();
    private final Map<Integer, INDArray> onesByLength = new HashMap<>();
    private RPass first;
    private RPass second;

    /** @param smooth whether the activation has a nonzero second derivative (tanh): allocates curv */
    Buffers(int rows, int[] fanOut, int width, boolean smooth, DataType dataType) {
        this.rows = rows;
        this.dataType = dataType;
        this.fanOut = fanOut;
        this.width = width;
        int layers = fanOut.length;
        int hidden = layers - 1;
        ones = Nd4j.ones(dataType, rows, 1);
        z = new INDArray[layers];
        g = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            z[l] = matrix(fanOut[l]);
            g[l] = matrix(fanOut[l]);
        }
        act = new INDArray[hidden];
        slope = new INDArray[hidden];
        curv = new INDArray[hidden];
        for (int l = 0; l < hidden; l++) {
            act[l] = matrix(width);
            slope[l] = matrix(width);
            if (smooth) {
                curv[l] = matrix(width);
            }
        }
        signal = hidden > 0 ? matrix(width) : null;
        int outputs = fanOut[layers - 1];
        probs = matrix(outputs);
        targetMass = matrix(1);
        rowA = matrix(1);
        rowB = matrix(1);
    }

    /** The R-operator state of the first (shared-direction) pass. */
    RPass first() {
        if (first == null) {
            first = new RPass();
        }
        return first;
    }

    /** The R-operator state of the second (per-sample direction) pass. */
    RPass second() {
        if (second == null) {
            second = new RPass();
        }
        return second;
    }

    /** A temporary [m, cols]; callers must not hold two at once with the same cols. */
    INDArray scratch(int cols) {
        return scratchByCols.computeIfAbsent(cols, this::matrix);
    }

    /** A column of ones [length, 1], for row sums by gemm. */
    INDArray onesOfLength(int length) {
        return onesByLength.computeIfAbsent(length, n -> Nd4j.ones(dataType, n, 1));
    }

    private INDArray matrix(int cols) {
        return Nd4j.create(dataType, new long[] {rows, cols}, order(dataType, rows));
    }

    /** 'f' (column-major) or 'c': the order of the [m, units] arrays for m rows of this type (see the class comment). */
    static char order(DataType dataType, int rows) {
        return dataType == DataType.DOUBLE && rows >= COLUMN_MAJOR_MIN_ROWS ? 'f' : 'c';
    }

    /** R{.} of the forward and backward state, for one direction. */
    final class RPass {
        /** R{Z_l}; the last one is R{f}. */
        final INDArray[] z;
        /** R{A_l} for hidden layers. */
        final INDArray[] a;
        /** R{G_l}. */
        final INDArray[] g;

        private RPass() {
            int layers = fanOut.length;
            z = new INDArray[layers];
            g = new INDArray[layers];
            a = new INDArray[layers - 1];
            for (int l = 0; l < layers; l++) {
                z[l] = matrix(fanOut[l]);
                g[l] = matrix(fanOut[l]);
            }
            for (int l = 0; l < layers - 1; l++) {
                a[l] = matrix(width);
            }
        }
    }
}

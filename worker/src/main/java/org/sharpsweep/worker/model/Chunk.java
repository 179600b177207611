package org.sharpsweep.worker.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays of a staged network ({@link Cnn}) for one chunk of {@code rows} samples: the value
 * x[k] at every boundary k between stages (x[0] the input, the last the output f), its per-sample
 * backprop signal g[k] = dh_i/dx[k] (not divided by m; g[0] is never formed), each stage's own
 * scratch, and up to two R-operator passes. Every array is c-order [rows, size(k)] with its own
 * buffer, so a sample is one contiguous run ({@link Flat}).
 */
final class Chunk {
    final int rows;
    final INDArray[] x;
    final INDArray[] g;
    /** Each stage's scratch ({@link Stage#scratch}), by stage index. */
    final Object[] scratch;
    /** The output head's arrays and row-wise helpers (ones, probabilities, row scalars). */
    final Buffers head;
    private final int[] sizes;
    private final DataType type;
    private Pass first;
    private Pass second;

    Chunk(int rows, Stage[] stages, int outputs, DataType type) {
        this.rows = rows;
        this.type = type;
        int n = stages.length;
        sizes = new int[n + 1];
        sizes[0] = stages[0].inSize;
        for (int k = 0; k < n; k++) {
            sizes[k + 1] = stages[k].outSize;
        }
        x = new INDArray[n + 1];
        g = new INDArray[n + 1];
        for (int k = 0; k <= n; k++) {
            x[k] = matrix(sizes[k]);
            if (k > 0) {
                g[k] = matrix(sizes[k]);
            }
        }
        scratch = new Object[n];
        for (int k = 0; k < n; k++) {
            scratch[k] = stages[k].scratch(rows, type);
        }
        head = new Buffers(rows, new int[] {outputs}, 1, false, type);
    }

    /** The R-operator state of the first (shared-direction) pass. */
    Pass first() {
        if (first == null) {
            first = new Pass(0);
        }
        return first;
    }

    /** The R-operator state of the second (per-sample direction) pass. */
    Pass second() {
        if (second == null) {
            second = new Pass(1);
        }
        return second;
    }

    INDArray matrix(int cols) {
        return Nd4j.create(type, new long[] {rows, cols}, 'c');
    }

    /** Rows [from, from + count) of a c-order array seen as [.., cols]: a view on its buffer. */
    static INDArray block(INDArray a, long from, long count, long cols) {
        return Nd4j.create(a.data(), new long[] {count, cols}, new long[] {cols, 1}, a.offset() + from * cols, 'c');
    }

    /** A contiguous c-order array seen as [rows, cols] (a view; rows * cols = its length). */
    static INDArray matrix(INDArray a, long rows, long cols) {
        return block(a, 0, rows, cols);
    }

    /**
     * R{x[k]} and R{g[k]} along one direction. r[0] stays null: the inputs do not move with the
     * parameters.
     */
    final class Pass {
        /** 0 for the first pass, 1 for the second: stages keep per-pass scratch by it. */
        final int index;
        final INDArray[] r;
        final INDArray[] rg;

        private Pass(int index) {
            this.index = index;
            r = new INDArray[sizes.length];
            rg = new INDArray[sizes.length];
            for (int k = 1; k < sizes.length; k++) {
                r[k] = matrix(sizes[k]);
                rg[k] = matrix(sizes[k]);
            }
        }
    }
}

package org.sharpsweep.worker.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to an array this package allocated itself (contiguous, from the start of its
 * buffer), straight on its memory, for the index maps of convolution (im2col), pooling and
 * flattening that ND4J has no single operation for. Each sample of a chunk is a contiguous run
 * of the array: sample r's element j is at r * len + j.
 */
abstract class Flat {

    abstract double get(int i);

    abstract void put(int i, double value);

    static Flat of(INDArray a) {
        if (a.offset() != 0 || a.ordering() != 'c' && !a.isVector()) {
            throw new IllegalStateException("Flat needs an array of its own buffer, c order, got offset " + a.offset()
                    + " order " + a.ordering());
        }
        return a.dataType() == DataType.DOUBLE ? new Doubles(a.data().asNioDouble()) : new Floats(a.data().asNioFloat());
    }

    /** out[r, j] := in[r, idx[j]], 0 where idx[j] < 0, for the first {@code rows} samples. */
    static void gather(INDArray in, int inLen, INDArray out, int outLen, int[] idx, int rows) {
        Flat from = of(in);
        Flat to = of(out);
        for (int r = 0; r < rows; r++) {
            int inBase = r * inLen;
            int outBase = r * outLen;
            for (int j = 0; j < outLen; j++) {
                int source = idx[j];
                to.put(outBase + j, source < 0 ? 0.0 : from.get(inBase + source));
            }
        }
    }

    /** The adjoint of {@link #gather}: into := 0, then into[r, idx[j]] += from[r, j]. */
    static void scatter(INDArray from, int fromLen, INDArray into, int intoLen, int[] idx, int rows) {
        into.assign(0.0);
        Flat f = of(from);
        Flat t = of(into);
        for (int r = 0; r < rows; r++) {
            int fromBase = r * fromLen;
            int intoBase = r * intoLen;
            for (int j = 0; j < fromLen; j++) {
                int target = idx[j];
                if (target >= 0) {
                    t.put(intoBase + target, t.get(intoBase + target) + f.get(fromBase + j));
                }
            }
        }
    }

    private static final class Doubles extends Flat {
        private final DoubleBuffer b;

        Doubles(DoubleBuffer b) {
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void put(int i, double value) {
            b.put(i, value);
        }
    }

    private static final class Floats extends Flat {
        private final FloatBuffer b;

        Floats(FloatBuffer b) {
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(i);
        }

        @Override
        void put(int i, double value) {
            b.put(i, (float) value);
        }
    }
}

package org.sharpsweep.worker.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.worker.blas.Gemm;

/**
 * One stage of a staged network ({@link Cnn}): x[k+1] = stage(x[k]) for stage k, with its exact
 * first and second derivatives. A stage reads and writes the arrays of a {@link Chunk}; every
 * signal is per sample (not divided by m), and parameter sums take alpha (the 1/m of a mean) and
 * beta (0 for the first chunk of a call, 1 after it).
 *
 * <p>The R-operator (Pearlmutter 1994) along a direction: {@link #rForward} sets R{x[k+1]} from
 * R{x[k]} (null: zero) and the direction's own term; {@link #rBackward} sets R{g[k]} from
 * R{g[k+1]}, plus the direction's term and, for a nonlinear stage, the curvature of the stage;
 * {@link #rGradient} adds R{dh/dtheta}. The direction is one vector v for all samples
 * ({@link Direction#shared}) or the per-sample u_i = H_i v of a first pass
 * ({@link Direction#alongV}), which the stage applies without forming it.
 */
abstract class Stage {
    /** Per-sample lengths of x[k] and x[k+1]. */
    final int inSize;
    final int outSize;

    Stage(int inSize, int outSize) {
        this.inSize = inSize;
        this.outSize = outSize;
    }

    /** This stage's arrays for a chunk of {@code rows} samples, or null. */
    Object scratch(int rows, DataType type) {
        return null;
    }

    abstract void forward(Params p, Chunk s, int k);

    /** g[k] := (dx[k+1]/dx[k])^T g[k+1], row by row; never called for stage 0. */
    abstract void backward(Params p, Chunk s, int k);

    /** into := alpha sum_i (dh_i/dtheta of this stage) + beta into. */
    void gradient(Params p, Chunk s, int k, Params into, double alpha, double beta) {
    }

    abstract void rForward(Params p, Chunk s, int k, Chunk.Pass r, Direction d);

    /** R{g[k]}; never called for stage 0. */
    abstract void rBackward(Params p, Chunk s, int k, Chunk.Pass r, Direction d);

    void rGradient(Params p, Chunk s, int k, Chunk.Pass r, Params into, double alpha, double beta) {
    }

    /** A parameter-shaped vector as per-layer weight matrices and bias rows (see {@link Cnn}'s layout). */
    record Params(INDArray[] w, INDArray[] b) {
    }

    /** The direction of an R pass: a shared vector, or the per-sample H_i v of the pass {@code alongV}. */
    record Direction(Params shared, Chunk.Pass alongV) {
    }

    // -------------------------------------------------------------------------------------------

    // -------------------------------------------------------------------------------------------

    /**
     * A dense layer z = c x W + b (W [in, out] as in the MLP, c the output scale of mean-field or
     * 1); the per-sample direction's terms are row-wise dot products times rows, as in
     * {@link Mlp#perSampleMoments}.
     */
    static final class Dense extends Stage {
        private final int layer;
        private final double scale;

        Dense(int layer, int in, int out, double scale) {
            super(in, out);
            this.layer = layer;
            this.scale = scale;
        }

        @Override
        void forward(Params p, Chunk s, int k) {
            INDArray z = s.x[k + 1];
            Gemm.gemm(s.head.ones, p.b[layer], z, false, false, 1.0, 0.0);
            Gemm.gemm(s.x[k], p.w[layer], z, false, false, scale, 1.0);
        }

        @Override
        void backward(Params p, Chunk s, int k) {
            Gemm.gemm(s.g[k + 1], p.w[layer], s.g[k], false, true, scale, 0.0);
        }

        @Override
        void gradient(Params p, Chunk s, int k, Params into, double alpha, double beta) {
            Gemm.gemm(s.x[k], s.g[k + 1], into.w[layer], true, false, alpha * scale, beta);
            Gemm.gemm(s.head.ones, s.g[k + 1], into.b[layer], true, false, alpha, beta);
        }

        @Override
        void rForward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            INDArray rz = r.r[k + 1];
            double beta = 0.0;
            if (r.r[k] != null) {
                Gemm.gemm(r.r[k], p.w[layer], rz, false, false, scale, 0.0);
                beta = 1.0;
            }
            if (d.shared() != null) {
                Gemm.gemm(s.x[k], d.shared().w[layer], rz, false, false, scale, beta);
                Gemm.gemm(s.head.ones, d.shared().b[layer], rz, false, false, 1.0, 1.0);
                return;
            }
            if (beta == 0.0) {
                rz.assign(0.0);
            }
            // c a U^T + u_b = c^2 [(a.Ra) g + (a.a) Rg] + Rg, a = x[k], g = g[k+1], R along v
            Chunk.Pass v = d.alongV();
            RowOps.addPerSampleForward(s.x[k], v.r[k], s.g[k + 1], v.rg[k + 1], scale, outSize, rz, s.head);
        }

        @Override
        void rBackward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            Gemm.gemm(r.rg[k + 1], p.w[layer], r.rg[k], false, true, scale, 0.0);
            if (d.shared() != null) {
                Gemm.gemm(s.g[k + 1], d.shared().w[layer], r.rg[k], false, true, scale, 1.0);
                return;
            }
            // c g U^T = c^2 [(g.g) Ra + (g.Rg) a]
            Chunk.Pass v = d.alongV();
            RowOps.addPerSampleBackward(s.x[k], v.r[k], s.g[k + 1], v.rg[k + 1], scale, inSize, r.rg[k], s.head);
        }

        @Override
        void rGradient(Params p, Chunk s, int k, Chunk.Pass r, Params into, double alpha, double beta) {
            Gemm.gemm(s.x[k], r.rg[k + 1], into.w[layer], true, false, alpha * scale, beta);
            if (r.r[k] != null) {
                Gemm.gemm(r.r[k], s.g[k + 1], into.w[layer], true, false, alpha * scale, 1.0);
            }
            Gemm.gemm(s.head.ones, r.rg[k + 1], into.b[layer], true, false, alpha, beta);
        }
    }

    // -------------------------------------------------------------------------------------------

    /**
     * The activation, element by element: relu (relu'(0) = 0, relu'' = 0) or tanh (tanh' = 1 - t^2,
     * tanh'' = -2 t (1 - t^2)), whose curvature enters R{g[k]} as g[k+1] tanh''(x[k]) R{x[k]}.
     */
    static final class Act extends Stage {
        private final Activation activation;

        Act(int size, Activation activation) {
            super(size, size);
            this.activation = activation;
        }

        private record Scratch(INDArray slope, INDArray curvature) {
        }

        @Override
        Object scratch(int rows, DataType type) {
            return new Scratch(Nd4j.create(type, new long[] {rows, inSize}, 'c'),
                    activation == Activation.TANH ? Nd4j.create(type, new long[] {rows, inSize}, 'c') : null);
        }

        @Override
        void forward(Params p, Chunk s, int k) {
            INDArray slope = ((Scratch) s.scratch[k]).slope;
            if (activation == Activation.RELU) {
                Nd4j.exec(new RectifiedLinear(s.x[k], s.x[k + 1], 0.0));
                Nd4j.exec(new Step(s.x[k], slope, 0.0));
            } else {
                Nd4j.exec(new Tanh(s.x[k], s.x[k + 1]));
                s.x[k + 1].mul(s.x[k + 1], slope).rsubi(1.0);
            }
        }

        @Override
        void backward(Params p, Chunk s, int k) {
            s.g[k + 1].mul(((Scratch) s.scratch[k]).slope, s.g[k]);
        }

        @Override
        void rForward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            r.r[k].mul(((Scratch) s.scratch[k]).slope, r.r[k + 1]);
        }

        @Override
        void rBackward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            Scratch c = (Scratch) s.scratch[k];
            r.rg[k + 1].mul(c.slope, r.rg[k]);
            if (c.curvature != null) {
                s.g[k + 1].mul(s.x[k + 1], c.curvature).muli(c.slope).muli(r.r[k]).muli(-2.0);
                r.rg[k].addi(c.curvature);
            }
        }
    }

    // -------------------------------------------------------------------------------------------

    /**
     * A linear map that moves elements: every output element is one input element (or 0), by a
     * fixed index map per sample. The flattening from (y, x, c) to the (c, y, x) order of the
     * dense layers is one.
     */
    static final class Move extends Stage {
        private final int[] idx;

        Move(int inSize, int[] idx) {
            super(inSize, idx.length);
            this.idx = idx;
        }

        /** (y, x, c) to (c, y, x) for an image of h x w pixels and c channels. */
        static Move channelMajor(int h, int w, int c) {
            int[] idx = new int[h * w * c];
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < h * w; p++) {
                    idx[ch * h * w + p] = p * c + ch;
                }
            }
            return new Move(h * w * c, idx);
        }

        @Override
        void forward(Params p, Chunk s, int k) {
            Flat.gather(s.x[k], inSize, s.x[k + 1], outSize, idx, s.rows);
        }

        @Override
        void backward(Params p, Chunk s, int k) {
            Flat.scatter(s.g[k + 1], outSize, s.g[k], inSize, idx, s.rows);
        }

        @Override
        void rForward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            Flat.gather(r.r[k], inSize, r.r[k + 1], outSize, idx, s.rows);
        }

        @Override
        void rBackward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            Flat.scatter(r.rg[k + 1], outSize, r.rg[k], inSize, idx, s.rows);
        }
    }

    // -------------------------------------------------------------------------------------------

    /**
     * 2x2 pooling with stride 2 on (y, x, c) images, the size rounded down (a last odd row or
     * column is dropped, as in PyTorch). Max pooling routes every derivative through the element
     * the forward pass chose (the first largest in the order (0,0), (0,1), (1,0), (1,1), a NaN
     * winning), like the relu mask: it is linear in its input on each region of fixed argmax.
     * Average pooling is linear: a quarter of each of the four.
     */
    static final class Pool2 extends Stage {
        private final boolean max;
        private final int w;
        private final int c;
        private final int h2;
        private final int w2;

        Pool2(int h, int w, int c, boolean max) {
            super(h * w * c, (h / 2) * (w / 2) * c);
            this.max = max;
            this.w = w;
            this.c = c;
            this.h2 = h / 2;
            this.w2 = w / 2;
        }

        @Override
        Object scratch(int rows, DataType type) {
            return max ? new int[rows * outSize] : null;
        }

        @Override
        void forward(Params p, Chunk s, int k) {
            if (max) {
                maxOf(Flat.of(s.x[k]), Flat.of(s.x[k + 1]), (int[]) s.scratch[k], s.rows);
            } else {
                average(Flat.of(s.x[k]), Flat.of(s.x[k + 1]), s.rows);
            }
        }

        /*
         * The window of output element j starts at input element "at" (then at + c, at + w c,
         * at + w c + c); the loops below visit j in order: samples, then the output's rows,
         * columns and channels.
         */

        private void maxOf(Flat in, Flat out, int[] chosen, int rows) {
            int down = w * c;
            int j = 0;
            for (int r = 0; r < rows; r++) {
                for (int y = 0; y < h2; y++) {
                    for (int x = 0; x < w2; x++) {
                        int first = r * inSize + (2 * y * w + 2 * x) * c;
                        for (int ch = 0; ch < c; ch++, j++) {
                            int at = first + ch;
                            int best = at;
                            double top = in.get(at);
                            if (top == top) { // else a NaN, which wins as the first one found
                                for (int t = 1; t < 4; t++) {
                                    int there = at + (t >> 1) * down + (t & 1) * c;
                                    double value = in.get(there);
                                    if (value > top || value != value) {
                                        top = value;
                                        best = there;
                                        if (value != value) break;
                                    }
                                }
                            }
                            chosen[j] = best;
                            out.put(j, top);
                        }
                    }
                }
            }
        }

        private void average(Flat in, Flat out, int rows) {
            int down = w * c;
            int j = 0;
            for (int r = 0; r < rows; r++) {
                for (int y = 0; y < h2; y++) {
                    for (int x = 0; x < w2; x++) {
                        int first = r * inSize + (2 * y * w + 2 * x) * c;
                        for (int ch = 0; ch < c; ch++, j++) {
                            int at = first + ch;
                            out.put(j, 0.25 * (in.get(at) + in.get(at + c) + in.get(at + down) + in.get(at + down + c)));
                        }
                    }
                }
            }
        }

        /** The adjoint of {@link #average}: into must be zero (the elements outside every window stay so). */
        private void averageAdjoint(Flat from, Flat into, int rows) {
            int down = w * c;
            int j = 0;
            for (int r = 0; r < rows; r++) {
                for (int y = 0; y < h2; y++) {
                    for (int x = 0; x < w2; x++) {
                        int first = r * inSize + (2 * y * w + 2 * x) * c;
                        for (int ch = 0; ch < c; ch++, j++) {
                            int at = first + ch;
                            double quarter = 0.25 * from.get(j);
                            into.put(at, quarter);
                            into.put(at + c, quarter);
                            into.put(at + down, quarter);
                            into.put(at + down + c, quarter);
                        }
                    }
                }
            }
        }

        /** out := this (linear, at the forward pass's argmax) applied to in. */
        private void apply(INDArray inArray, INDArray outArray, Chunk s, int k) {
            Flat in = Flat.of(inArray);
            Flat out = Flat.of(outArray);
            if (!max) {
                average(in, out, s.rows);
                return;
            }
            int[] chosen = (int[]) s.scratch[k];
            int n = s.rows * outSize;
            for (int j = 0; j < n; j++) {
                out.put(j, in.get(chosen[j]));
            }
        }

        /** into := the adjoint of {@link #apply} on from (windows do not overlap). */
        private void adjoint(INDArray fromArray, INDArray intoArray, Chunk s, int k) {
            intoArray.assign(0.0);
            Flat from = Flat.of(fromArray);
            Flat into = Flat.of(intoArray);
            if (!max) {
                averageAdjoint(from, into, s.rows);
                return;
            }
            int[] chosen = (int[]) s.scratch[k];
            int n = s.rows * outSize;
            for (int j = 0; j < n; j++) {
                into.put(chosen[j], from.get(j));
            }
        }

        @Override
        void backward(Params p, Chunk s, int k) {
            adjoint(s.g[k + 1], s.g[k], s, k);
        }

        @Override
        void rForward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            apply(r.r[k], r.r[k + 1], s, k);
        }

        @Override
        void rBackward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
            adjoint(r.rg[k + 1], r.rg[k], s, k);
        }
    }
}

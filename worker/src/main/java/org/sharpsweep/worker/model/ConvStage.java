package org.sharpsweep.worker.model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.worker.blas.Gemm;

/**
 * A convolution, stride 1, zero padding kernel/2, as one GEMM per chunk on the patch matrix
 * P [rows * H W, C_in k k] (im2col: row (sample, y, x), column (c, dy, dx), the order of
 * the weights [C_out, C_in, k, k]): Z = P K^T + 1 b^T, Z [rows * H W, C_out] in (y, x, c)
 * order per sample. The input is channel-major (c, y, x) for the first block (the data's
 * rows) and (y, x, c) after it.
 */
final class ConvStage extends Stage {
    private final int layer;
    private final int cout;
    private final int hw;
    private final int ckk;
    private final int cin;
    private final int h;
    private final int w;
    private final int kernel;
    private final boolean channelMajorInput;

    ConvStage(int layer, int cin, int h, int w, int cout, int kernel, boolean channelMajorInput) {
        super(cin * h * w, h * w * cout);
        this.layer = layer;
        this.cout = cout;
        this.hw = h * w;
        this.ckk = cin * kernel * kernel;
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.kernel = kernel;
        this.channelMajorInput = channelMajorInput;
    }

    /**
     * p := the patches of in (im2col) for the first {@code rows} samples, or with
     * {@code adjoint}, in := the sum of the patch entries p back onto their pixels (col2im;
     * in is zeroed first). Entries in the zero padding are never written: p's arrays start
     * as zeros and keep them, as every chunk of a Chunk has the same geometry.
     */
    private void patches(INDArray in, INDArray p, int rows, boolean adjoint) {
        if (adjoint) in.assign(0.0);
        Flat image = Flat.of(in);
        Flat patch = Flat.of(p);
        int kk = kernel * kernel;
        int pad = kernel / 2;
        for (int s = 0; s < rows; s++) {
            int inBase = s * inSize;
            int pBase = s * hw * ckk;
            for (int y = 0; y < h; y++) {
                for (int dy = 0; dy < kernel; dy++) {
                    int yy = y + dy - pad;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = 0; dx < kernel; dx++) {
                        int x0 = Math.max(0, pad - dx);
                        int x1 = Math.min(w, w + pad - dx);
                        if (channelMajorInput) { // input (c, y, x): a run along x for each channel
                            for (int c = 0; c < cin; c++) {
                                int src = inBase + (c * h + yy) * w + x0 + dx - pad;
                                int dst = pBase + (y * w + x0) * ckk + c * kk + dy * kernel + dx;
                                for (int x = x0; x < x1; x++, src++, dst += ckk) {
                                    if (adjoint) image.put(src, image.get(src) + patch.get(dst));
                                    else patch.put(dst, image.get(src));
                                }
                            }
                        } else { // input (y, x, c): a run along c for each pixel
                            for (int x = x0; x < x1; x++) {
                                int src = inBase + (yy * w + x + dx - pad) * cin;
                                int dst = pBase + (y * w + x) * ckk + dy * kernel + dx;
                                for (int c = 0; c < cin; c++, src++, dst += kk) {
                                    if (adjoint) image.put(src, image.get(src) + patch.get(dst));
                                    else patch.put(dst, image.get(src));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private final class Scratch {
        final INDArray px;
        final INDArray[] pr = new INDArray[2];
        final INDArray dp;
        final INDArray ones;
        final INDArray onesHw;
        INDArray u;
        INDArray ub;
        final int rows;
        final DataType type;

        Scratch(int rows, DataType type) {
            this.rows = rows;
            this.type = type;
            px = Nd4j.create(type, new long[] {(long) rows * hw, ckk}, 'c');
            dp = layer == 0 ? null : Nd4j.create(type, new long[] {(long) rows * hw, ckk}, 'c');
            ones = Nd4j.ones(type, (long) rows * hw, 1);
            onesHw = Nd4j.ones(type, hw, 1);
        }

        /** P(R{x[k]}) of pass {@code index}. */
        INDArray pr(int index) {
            if (pr[index] == null) {
                pr[index] = Nd4j.create(type, new long[] {(long) rows * hw, ckk}, 'c');
            }
            return pr[index];
        }

        void perSample() {
            if (u == null) {
                u = Nd4j.create(type, new long[] {(long) rows * cout, ckk}, 'c');
                ub = Nd4j.create(type, new long[] {rows, cout}, 'c');
            }
        }
    }

    @Override
    Object scratch(int rows, DataType type) {
        return new Scratch(rows, type);
    }

    private INDArray pixels(INDArray a, Chunk s) {
        return Chunk.matrix(a, (long) s.rows * hw, cout);
    }

    @Override
    void forward(Params p, Chunk s, int k) {
        Scratch c = (Scratch) s.scratch[k];
        patches(s.x[k], c.px, s.rows, false);
        INDArray z = pixels(s.x[k + 1], s);
        Gemm.gemm(c.ones, p.b()[layer], z, false, false, 1.0, 0.0);
        Gemm.gemm(c.px, p.w()[layer], z, false, true, 1.0, 1.0);
    }

    @Override
    void backward(Params p, Chunk s, int k) {
        Scratch c = (Scratch) s.scratch[k];
        Gemm.gemm(pixels(s.g[k + 1], s), p.w()[layer], c.dp, false, false, 1.0, 0.0);
        patches(s.g[k], c.dp, s.rows, true);
    }

    @Override
    void gradient(Params p, Chunk s, int k, Params into, double alpha, double beta) {
        Scratch c = (Scratch) s.scratch[k];
        INDArray g = pixels(s.g[k + 1], s);
        Gemm.gemm(g, c.px, into.w()[layer], true, false, alpha, beta);
        Gemm.gemm(c.ones, g, into.b()[layer], true, false, alpha, beta);
    }

    @Override
    void rForward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
        Scratch c = (Scratch) s.scratch[k];
        INDArray rz = pixels(r.r[k + 1], s);
        double beta = 0.0;
        if (r.r[k] != null) {
            INDArray pr = c.pr(r.index);
            patches(r.r[k], pr, s.rows, false);
            Gemm.gemm(pr, p.w()[layer], rz, false, true, 1.0, 0.0);
            beta = 1.0;
        }
        if (d.shared() != null) {
            Gemm.gemm(c.px, d.shared().w()[layer], rz, false, true, 1.0, beta);
            Gemm.gemm(c.ones, d.shared().b()[layer], rz, false, false, 1.0, 1.0);
            return;
        }
        // u_i = H_i v has the blocks U_i = R{G_i}^T P_i + G_i^T P_i(R{x}) and u_b,i = 1^T R{G_i}
        // (G_i = sample i's rows of g[k+1], R{.} along v); its term is P_i U_i^T + 1 u_b,i^T
        if (beta == 0.0) {
            rz.assign(0.0);
        }
        c.perSample();
        Chunk.Pass v = d.alongV();
        INDArray rgV = pixels(v.rg[k + 1], s);
        INDArray g = pixels(s.g[k + 1], s);
        INDArray prV = v.r[k] == null ? null : c.pr(v.index);
        for (int i = 0; i < s.rows; i++) {
            INDArray ui = Chunk.block(c.u, (long) i * cout, cout, ckk);
            INDArray rgi = Chunk.block(rgV, (long) i * hw, hw, cout);
            INDArray pxi = Chunk.block(c.px, (long) i * hw, hw, ckk);
            Gemm.gemm(rgi, pxi, ui, true, false, 1.0, 0.0);
            if (prV != null) {
                Gemm.gemm(Chunk.block(g, (long) i * hw, hw, cout), Chunk.block(prV, (long) i * hw, hw, ckk), ui,
                        true, false, 1.0, 1.0);
            }
            INDArray ubi = Chunk.block(c.ub, i, 1, cout);
            Gemm.gemm(c.onesHw, rgi, ubi, true, false, 1.0, 0.0);
            INDArray rzi = Chunk.block(rz, (long) i * hw, hw, cout);
            Gemm.gemm(pxi, ui, rzi, false, true, 1.0, 1.0);
            Gemm.gemm(c.onesHw, ubi, rzi, false, false, 1.0, 1.0);
        }
    }

    @Override
    void rBackward(Params p, Chunk s, int k, Chunk.Pass r, Direction d) {
        Scratch c = (Scratch) s.scratch[k];
        INDArray g = pixels(s.g[k + 1], s);
        Gemm.gemm(pixels(r.rg[k + 1], s), p.w()[layer], c.dp, false, false, 1.0, 0.0);
        if (d.shared() != null) {
            Gemm.gemm(g, d.shared().w()[layer], c.dp, false, false, 1.0, 1.0);
        } else { // the U_i of rForward
            for (int i = 0; i < s.rows; i++) {
                Gemm.gemm(Chunk.block(g, (long) i * hw, hw, cout), Chunk.block(c.u, (long) i * cout, cout, ckk),
                        Chunk.block(c.dp, (long) i * hw, hw, ckk), false, false, 1.0, 1.0);
            }
        }
        patches(r.rg[k], c.dp, s.rows, true);
    }

    @Override
    void rGradient(Params p, Chunk s, int k, Chunk.Pass r, Params into, double alpha, double beta) {
        Scratch c = (Scratch) s.scratch[k];
        INDArray rg = pixels(r.rg[k + 1], s);
        Gemm.gemm(rg, c.px, into.w()[layer], true, false, alpha, beta);
        if (r.r[k] != null) {
            Gemm.gemm(pixels(s.g[k + 1], s), c.pr(r.index), into.w()[layer], true, false, alpha, 1.0);
        }
        Gemm.gemm(c.ones, rg, into.b()[layer], true, false, alpha, beta);
    }
}

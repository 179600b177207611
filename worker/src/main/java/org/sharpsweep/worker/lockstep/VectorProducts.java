package org.sharpsweep.worker.lockstep;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 products of {@link Products} on the JDK's vector API ({@code jdk.incubator.vector}),
 * with the same bits (docs/lockstep.md, "Vector products"). Each output element is still one
 * sum over its index from 0 up, starting from the element's own value, each product and each sum
 * rounded on its own (a vector {@code mul} then {@code add}, never a fused multiply-add): only
 * which elements are computed side by side changes, in SIMD lanes and in a block of
 * accumulators that stays in registers, not the sequence of operations on any one element. So
 * the result is that of the scalar loops whatever the vector width of the CPU
 * ({@code VectorProductsTest} compares the two bit for bit).
 *
 * <p>Loaded only where {@link Products#VECTOR} says the module is in the JVM; every JVM the
 * project starts adds it ({@code --add-modules=jdk.incubator.vector}, scripts/java-opts.sh).
 */
final class VectorProducts {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorProducts() {
    }

    /** The lanes of the CPU's preferred double vector. */
    static int lanes() {
        return L;
    }

    /** out[m, n] += a[m, k] W, W[k, n] row-major at w[wOffset]; terms added into out in q order. */
    static void addProduct(double[] a, int m, int k, double[] w, int wOffset, int n, double[] out) {
        int i = 0;
        for (; i + 4 <= m; i += 4) { // four rows of out: each row of W read once for four rows
            int r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
            int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                DoubleVector c00 = DoubleVector.fromArray(S, out, r0 + j), c01 = DoubleVector.fromArray(S, out, r0 + j + L);
                DoubleVector c10 = DoubleVector.fromArray(S, out, r1 + j), c11 = DoubleVector.fromArray(S, out, r1 + j + L);
                DoubleVector c20 = DoubleVector.fromArray(S, out, r2 + j), c21 = DoubleVector.fromArray(S, out, r2 + j + L);
                DoubleVector c30 = DoubleVector.fromArray(S, out, r3 + j), c31 = DoubleVector.fromArray(S, out, r3 + j + L);
                for (int q = 0; q < k; q++) {
                    int wRow = wOffset + q * n + j;
                    DoubleVector w0 = DoubleVector.fromArray(S, w, wRow), w1 = DoubleVector.fromArray(S, w, wRow + L);
                    DoubleVector b = DoubleVector.broadcast(S, a[a0 + q]);
                    c00 = c00.add(b.mul(w0));
                    c01 = c01.add(b.mul(w1));
                    b = DoubleVector.broadcast(S, a[a1 + q]);
                    c10 = c10.add(b.mul(w0));
                    c11 = c11.add(b.mul(w1));
                    b = DoubleVector.broadcast(S, a[a2 + q]);
                    c20 = c20.add(b.mul(w0));
                    c21 = c21.add(b.mul(w1));
                    b = DoubleVector.broadcast(S, a[a3 + q]);
                    c30 = c30.add(b.mul(w0));
                    c31 = c31.add(b.mul(w1));
                }
                c00.intoArray(out, r0 + j);
                c01.intoArray(out, r0 + j + L);
                c10.intoArray(out, r1 + j);
                c11.intoArray(out, r1 + j + L);
                c20.intoArray(out, r2 + j);
                c21.intoArray(out, r2 + j + L);
                c30.intoArray(out, r3 + j);
                c31.intoArray(out, r3 + j + L);
            }
            for (; j + L <= n; j += L) {
                DoubleVector c0 = DoubleVector.fromArray(S, out, r0 + j), c1 = DoubleVector.fromArray(S, out, r1 + j);
                DoubleVector c2 = DoubleVector.fromArray(S, out, r2 + j), c3 = DoubleVector.fromArray(S, out, r3 + j);
                for (int q = 0; q < k; q++) {
                    DoubleVector w0 = DoubleVector.fromArray(S, w, wOffset + q * n + j);
                    c0 = c0.add(DoubleVector.broadcast(S, a[a0 + q]).mul(w0));
                    c1 = c1.add(DoubleVector.broadcast(S, a[a1 + q]).mul(w0));
                    c2 = c2.add(DoubleVector.broadcast(S, a[a2 + q]).mul(w0));
                    c3 = c3.add(DoubleVector.broadcast(S, a[a3 + q]).mul(w0));
                }
                c0.intoArray(out, r0 + j);
                c1.intoArray(out, r1 + j);
                c2.intoArray(out, r2 + j);
                c3.intoArray(out, r3 + j);
            }
            for (; j < n; j++) { // the last columns, fewer than a vector, four independent sums
                double c0 = out[r0 + j], c1 = out[r1 + j], c2 = out[r2 + j], c3 = out[r3 + j];
                for (int q = 0; q < k; q++) {
                    double wq = w[wOffset + q * n + j];
                    c0 += a[a0 + q] * wq;
                    c1 += a[a1 + q] * wq;
                    c2 += a[a2 + q] * wq;
                    c3 += a[a3 + q] * wq;
                }
                out[r0 + j] = c0;
                out[r1 + j] = c1;
                out[r2 + j] = c2;
                out[r3 + j] = c3;
            }
        }
        for (; i < m; i++) { // the last rows, one at a time
            int row = i * n, ar = i * k;
            int j = 0;
            for (; j + L <= n; j += L) {
                DoubleVector c = DoubleVector.fromArray(S, out, row + j);
                for (int q = 0; q < k; q++) {
                    c = c.add(DoubleVector.broadcast(S, a[ar + q]).mul(DoubleVector.fromArray(S, w, wOffset + q * n + j)));
                }
                c.intoArray(out, row + j);
            }
            for (; j < n; j++) {
                double c = out[row + j];
                for (int q = 0; q < k; q++) c += a[ar + q] * w[wOffset + q * n + j];
                out[row + j] = c;
            }
        }
    }

    /**
     * into[offset + q n + j] += sum_i a[i, q] g[i, j] (a [m, k], g [m, n]), the terms added in i
     * order.
     */
    static void transposedProduct(double[] a, int m, int k, double[] g, int n, double[] into, int offset) {
        int q = 0;
        for (; q + 4 <= k; q += 4) { // four rows of into: each row of g read once for four rows
            int r0 = offset + q * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                DoubleVector c00 = DoubleVector.fromArray(S, into, r0 + j), c01 = DoubleVector.fromArray(S, into, r0 + j + L);
                DoubleVector c10 = DoubleVector.fromArray(S, into, r1 + j), c11 = DoubleVector.fromArray(S, into, r1 + j + L);
                DoubleVector c20 = DoubleVector.fromArray(S, into, r2 + j), c21 = DoubleVector.fromArray(S, into, r2 + j + L);
                DoubleVector c30 = DoubleVector.fromArray(S, into, r3 + j), c31 = DoubleVector.fromArray(S, into, r3 + j + L);
                for (int i = 0; i < m; i++) {
                    int gRow = i * n + j, ar = i * k + q;
                    DoubleVector g0 = DoubleVector.fromArray(S, g, gRow), g1 = DoubleVector.fromArray(S, g, gRow + L);
                    DoubleVector b = DoubleVector.broadcast(S, a[ar]);
                    c00 = c00.add(b.mul(g0));
                    c01 = c01.add(b.mul(g1));
                    b = DoubleVector.broadcast(S, a[ar + 1]);
                    c10 = c10.add(b.mul(g0));
                    c11 = c11.add(b.mul(g1));
                    b = DoubleVector.broadcast(S, a[ar + 2]);
                    c20 = c20.add(b.mul(g0));
                    c21 = c21.add(b.mul(g1));
                    b = DoubleVector.broadcast(S, a[ar + 3]);
                    c30 = c30.add(b.mul(g0));
                    c31 = c31.add(b.mul(g1));
                }
                c00.intoArray(into, r0 + j);
                c01.intoArray(into, r0 + j + L);
                c10.intoArray(into, r1 + j);
                c11.intoArray(into, r1 + j + L);
                c20.intoArray(into, r2 + j);
                c21.intoArray(into, r2 + j + L);
                c30.intoArray(into, r3 + j);
                c31.intoArray(into, r3 + j + L);
            }
            for (; j + L <= n; j += L) {
                DoubleVector c0 = DoubleVector.fromArray(S, into, r0 + j), c1 = DoubleVector.fromArray(S, into, r1 + j);
                DoubleVector c2 = DoubleVector.fromArray(S, into, r2 + j), c3 = DoubleVector.fromArray(S, into, r3 + j);
                for (int i = 0; i < m; i++) {
                    int ar = i * k + q;
                    DoubleVector g0 = DoubleVector.fromArray(S, g, i * n + j);
                    c0 = c0.add(DoubleVector.broadcast(S, a[ar]).mul(g0));
                    c1 = c1.add(DoubleVector.broadcast(S, a[ar + 1]).mul(g0));
                    c2 = c2.add(DoubleVector.broadcast(S, a[ar + 2]).mul(g0));
                    c3 = c3.add(DoubleVector.broadcast(S, a[ar + 3]).mul(g0));
                }
                c0.intoArray(into, r0 + j);
                c1.intoArray(into, r1 + j);
                c2.intoArray(into, r2 + j);
                c3.intoArray(into, r3 + j);
            }
            for (; j < n; j++) {
                double c0 = into[r0 + j], c1 = into[r1 + j], c2 = into[r2 + j], c3 = into[r3 + j];
                for (int i = 0; i < m; i++) {
                    double gij = g[i * n + j];
                    int ar = i * k + q;
                    c0 += a[ar] * gij;
                    c1 += a[ar + 1] * gij;
                    c2 += a[ar + 2] * gij;
                    c3 += a[ar + 3] * gij;
                }
                into[r0 + j] = c0;
                into[r1 + j] = c1;
                into[r2 + j] = c2;
                into[r3 + j] = c3;
            }
        }
        for (; q < k; q++) { // the last rows of into, one at a time
            int row = offset + q * n;
            int j = 0;
            for (; j + L <= n; j += L) {
                DoubleVector c = DoubleVector.fromArray(S, into, row + j);
                for (int i = 0; i < m; i++) {
                    c = c.add(DoubleVector.broadcast(S, a[i * k + q]).mul(DoubleVector.fromArray(S, g, i * n + j)));
                }
                c.intoArray(into, row + j);
            }
            for (; j < n; j++) {
                double c = into[row + j];
                for (int i = 0; i < m; i++) c += a[i * k + q] * g[i * n + j];
                into[row + j] = c;
            }
        }
    }
    /** into[offset + q] += sum_i a[i, q] g[i] (a [m, k], g [m]), the terms added in i order. */
    static void transposedProductOne(double[] a, int m, int k, double[] g, double[] into, int offset) {
        int q = 0;
        for (; q + 4 * L <= k; q += 4 * L) { // 4 L sums in registers over all rows
            DoubleVector c0 = DoubleVector.fromArray(S, into, offset + q), c1 = DoubleVector.fromArray(S, into, offset + q + L);
            DoubleVector c2 = DoubleVector.fromArray(S, into, offset + q + 2 * L), c3 = DoubleVector.fromArray(S, into, offset + q + 3 * L);
            for (int i = 0; i < m; i++) {
                DoubleVector b = DoubleVector.broadcast(S, g[i]);
                int ar = i * k + q;
                c0 = c0.add(DoubleVector.fromArray(S, a, ar).mul(b));
                c1 = c1.add(DoubleVector.fromArray(S, a, ar + L).mul(b));
                c2 = c2.add(DoubleVector.fromArray(S, a, ar + 2 * L).mul(b));
                c3 = c3.add(DoubleVector.fromArray(S, a, ar + 3 * L).mul(b));
            }
            c0.intoArray(into, offset + q);
            c1.intoArray(into, offset + q + L);
            c2.intoArray(into, offset + q + 2 * L);
            c3.intoArray(into, offset + q + 3 * L);
        }
        for (; q + L <= k; q += L) {
            DoubleVector c = DoubleVector.fromArray(S, into, offset + q);
            for (int i = 0; i < m; i++) c = c.add(DoubleVector.fromArray(S, a, i * k + q).mul(DoubleVector.broadcast(S, g[i])));
            c.intoArray(into, offset + q);
        }
        for (; q < k; q++) {
            double c = into[offset + q];
            for (int i = 0; i < m; i++) c += a[i * k + q] * g[i];
            into[offset + q] = c;
        }
    }

    /** out[i, q] += g[i] w[wOffset + q] over m rows of k (the outer product g w^T). */
    static void addOuter(double[] g, int m, double[] w, int wOffset, int k, double[] out) {
        for (int i = 0; i < m; i++) {
            int row = i * k;
            DoubleVector b = DoubleVector.broadcast(S, g[i]);
            int q = 0;
            for (; q + L <= k; q += L) {
                DoubleVector.fromArray(S, out, row + q).add(b.mul(DoubleVector.fromArray(S, w, wOffset + q))).intoArray(out, row + q);
            }
            double gi = g[i];
            for (; q < k; q++) out[row + q] += gi * w[wOffset + q];
        }
    }
    /** a := relu(z), slope := relu'(z) over the whole vectors of len elements; returns where the caller goes on. */
    static int relu(double[] z, int len, double[] a, double[] slope) {
        DoubleVector zero = DoubleVector.zero(S), one = DoubleVector.broadcast(S, 1.0);
        int i = 0;
        for (; i + L <= len; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, z, i);
            VectorMask<Double> on = v.compare(VectorOperators.GT, 0.0);
            zero.blend(v, on).intoArray(a, i);
            zero.blend(one, on).intoArray(slope, i);
        }
        return i;
    }

    /** z[row + j] := b[j] + c z[row + j] over the whole vectors of the row's n; returns where the caller goes on. */
    static int biasAndScale(double[] z, int row, int n, double[] theta, int bOffset, double c) {
        int j = 0;
        for (; j + L <= n; j += L) {
            DoubleVector p = DoubleVector.fromArray(S, z, row + j);
            if (c != 1.0) p = p.mul(c);
            DoubleVector.fromArray(S, theta, bOffset + j).add(p).intoArray(z, row + j);
        }
        return j;
    }

    /** into[offset + j] += sum_i g[i, j] for the columns of whole vectors, each summed over i in order; returns the columns done. */
    static int addColumnSums(double[] g, int m, int n, double[] into, int offset) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            DoubleVector c0 = DoubleVector.fromArray(S, into, offset + j), c1 = DoubleVector.fromArray(S, into, offset + j + L);
            for (int i = 0; i < m; i++) {
                c0 = c0.add(DoubleVector.fromArray(S, g, i * n + j));
                c1 = c1.add(DoubleVector.fromArray(S, g, i * n + j + L));
            }
            c0.intoArray(into, offset + j);
            c1.intoArray(into, offset + j + L);
        }
        for (; j + L <= n; j += L) {
            DoubleVector c = DoubleVector.fromArray(S, into, offset + j);
            for (int i = 0; i < m; i++) c = c.add(DoubleVector.fromArray(S, g, i * n + j));
            c.intoArray(into, offset + j);
        }
        return j;
    }
}

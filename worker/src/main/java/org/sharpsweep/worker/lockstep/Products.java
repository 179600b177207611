package org.sharpsweep.worker.lockstep;

/**
 * The matrix products of {@link DenseKernel}, on row-major {@code double[]} arrays, in float64
 * or (with {@code f32}) float32: every sum runs over its index from 0 up, each term and partial
 * sum rounded on its own, so the result depends only on the operands (deterministic, the same
 * alone or in any group). Rows are taken four at a time, so each weight read serves four rows.
 *
 * <p>In float64, where the JVM has the vector API ({@link #VECTOR}), the products with more than
 * one output column run on {@link VectorProducts}, which computes the same bits.
 */
final class Products {
    /**
     * Whether the float64 products run on {@link VectorProducts}: the module
     * {@code jdk.incubator.vector} is in the JVM and the system property
     * {@code sharpsweep.vector} is not {@code false} (benches and tests compare the two paths).
     */
    static final boolean VECTOR = vectorApi();
    /** W^T for {@link #addProductTransposed} on the vector path, one per thread. */
    private static final ThreadLocal<double[]> TRANSPOSED = ThreadLocal.withInitial(() -> new double[0]);

    private Products() {
    }

    private static boolean vectorApi() {
        if ("false".equals(System.getProperty("sharpsweep.vector"))) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return true;
        // the same bits, but a float64 network of tens of thousands of parameters trains several times slower
        org.slf4j.LoggerFactory.getLogger(Products.class).warn("this JVM has no vector API: small networks train in scalar loops,"
                + " up to 5x slower (the same numbers); start it with --add-modules=jdk.incubator.vector (docs/lockstep.md)");
        return false;
    }

    /** How the float64 products run, for benches: "vector API, 8 lanes" or "scalar loops" (not recorded in rows). */
    static String describe() {
        return VECTOR ? "vector API, " + VectorProducts.lanes() + " lanes" : "scalar loops";
    }

    /** out[m, n] := a[m, k] W where W[k, n] sits at w[wOffset]. */
    static void product(double[] a, int m, int k, double[] w, int wOffset, int n, double[] out, boolean f32) {
        java.util.Arrays.fill(out, 0, m * n, 0.0);
        addProduct(a, m, k, w, wOffset, n, out, f32);
    }

    /** out[m, n] += a[m, k] W (terms accumulated into out's own values in q order). */
    static void addProduct(double[] a, int m, int k, double[] w, int wOffset, int n, double[] out, boolean f32) {
        addProduct(a, m, k, w, wOffset, n, out, f32, VECTOR);
    }

    /** As above, on {@link VectorProducts} (float64) where {@code vector}, else in the scalar loops; the same bits either way. */
    static void addProduct(double[] a, int m, int k, double[] w, int wOffset, int n, double[] out, boolean f32, boolean vector) {
        if (n == 1) { // one output: a dot product per row, the same sum in the same order
            int i = 0;
            if (!f32) { // four rows side by side: four independent sums, each in q order
                for (; i + 4 <= m; i += 4) {
                    int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
                    double c0 = out[i], c1 = out[i + 1], c2 = out[i + 2], c3 = out[i + 3];
                    for (int q = 0; q < k; q++) {
                        double wq = w[wOffset + q];
                        c0 += a[a0 + q] * wq;
                        c1 += a[a1 + q] * wq;
                        c2 += a[a2 + q] * wq;
                        c3 += a[a3 + q] * wq;
                    }
                    out[i] = c0;
                    out[i + 1] = c1;
                    out[i + 2] = c2;
                    out[i + 3] = c3;
                }
            }
            for (; i < m; i++) {
                double acc = out[i];
                int row = i * k;
                if (f32) {
                    for (int q = 0; q < k; q++) acc = (float) (acc + (float) (a[row + q] * w[wOffset + q]));
                } else {
                    for (int q = 0; q < k; q++) acc += a[row + q] * w[wOffset + q];
                }
                out[i] = acc;
            }
            return;
        }
        if (vector && !f32) {
            VectorProducts.addProduct(a, m, k, w, wOffset, n, out);
            return;
        }
        int i = 0;
        if (!f32) { // four rows at a time: each row of W is read once for four rows of out, each sum in the same order
            for (; i + 4 <= m; i += 4) {
                int r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
                for (int q = 0; q < k; q++) {
                    double a0 = a[i * k + q], a1 = a[(i + 1) * k + q], a2 = a[(i + 2) * k + q], a3 = a[(i + 3) * k + q];
                    int wRow = wOffset + q * n;
                    for (int j = 0; j < n; j++) {
                        double wj = w[wRow + j];
                        out[r0 + j] += a0 * wj;
                        out[r1 + j] += a1 * wj;
                        out[r2 + j] += a2 * wj;
                        out[r3 + j] += a3 * wj;
                    }
                }
            }
        }
        for (; i < m; i++) {
            int row = i * n;
            for (int q = 0; q < k; q++) {
                double aiq = a[i * k + q];
                int wRow = wOffset + q * n;
                if (f32) {
                    for (int j = 0; j < n; j++) out[row + j] = (float) (out[row + j] + (float) (aiq * w[wRow + j]));
                } else {
                    for (int j = 0; j < n; j++) out[row + j] += aiq * w[wRow + j];
                }
            }
        }
    }

    /** out[m, k] := g[m, n] W^T where W[k, n] sits at w[wOffset]. */
    static void productTransposed(double[] g, int m, int n, double[] w, int wOffset, int k, double[] out, boolean f32) {
        java.util.Arrays.fill(out, 0, m * k, 0.0);
        addProductTransposed(g, m, n, w, wOffset, k, out, f32);
    }

    /** out[m, k] += g[m, n] W^T. */
    static void addProductTransposed(double[] g, int m, int n, double[] w, int wOffset, int k, double[] out, boolean f32) {
        addProductTransposed(g, m, n, w, wOffset, k, out, f32, VECTOR);
    }

    /** As above, on {@link VectorProducts} (float64) where {@code vector}, else in the scalar loops; the same bits either way. */
    static void addProductTransposed(double[] g, int m, int n, double[] w, int wOffset, int k, double[] out, boolean f32, boolean vector) {
        if (n == 1) { // one output: out[i, q] + g[i] w[q], row by row
            if (vector && !f32) {
                VectorProducts.addOuter(g, m, w, wOffset, k, out);
                return;
            }
            for (int i = 0; i < m; i++) {
                double gi = g[i];
                int row = i * k;
                if (f32) {
                    for (int q = 0; q < k; q++) out[row + q] = (float) (out[row + q] + (float) (gi * w[wOffset + q]));
                } else {
                    for (int q = 0; q < k; q++) out[row + q] += gi * w[wOffset + q];
                }
            }
            return;
        }
        if (vector && !f32) { // out[i, q] + sum_j g[i, j] W^T[j, q], the same sums as below in the same order
            double[] wt = TRANSPOSED.get();
            if (wt.length < k * n) TRANSPOSED.set(wt = new double[k * n]);
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < n; j++) wt[j * k + q] = w[wOffset + q * n + j];
            }
            VectorProducts.addProduct(g, m, n, wt, 0, k, out);
            return;
        }
        for (int i = 0; i < m; i++) {
            int gRow = i * n;
            for (int q = 0; q < k; q++) {
                int wRow = wOffset + q * n;
                double acc = out[i * k + q];
                if (f32) {
                    for (int j = 0; j < n; j++) acc = (float) (acc + (float) (g[gRow + j] * w[wRow + j]));
                } else {
                    for (int j = 0; j < n; j++) acc += g[gRow + j] * w[wRow + j];
                }
                out[i * k + q] = acc;
            }
        }
    }

    /** into[offset + q n + j] += sum_i a[i, q] g[i, j] (a [m, k], g [m, n]). */
    static void transposedProduct(double[] a, int m, int k, double[] g, int n, double[] into, int offset, boolean f32) {
        transposedProduct(a, m, k, g, n, into, offset, f32, VECTOR);
    }

    /** As above, on {@link VectorProducts} (float64) where {@code vector}, else in the scalar loops; the same bits either way. */
    static void transposedProduct(double[] a, int m, int k, double[] g, int n, double[] into, int offset, boolean f32, boolean vector) {
        if (n == 1) { // one output: into[q] + a[i, q] g[i], row by row
            if (vector && !f32) {
                VectorProducts.transposedProductOne(a, m, k, g, into, offset);
                return;
            }
            for (int i = 0; i < m; i++) {
                double gi = g[i];
                int row = i * k;
                if (f32) {
                    for (int q = 0; q < k; q++) into[offset + q] = (float) (into[offset + q] + (float) (a[row + q] * gi));
                } else {
                    for (int q = 0; q < k; q++) into[offset + q] += a[row + q] * gi;
                }
            }
            return;
        }
        if (vector && !f32) {
            VectorProducts.transposedProduct(a, m, k, g, n, into, offset);
            return;
        }
        int i = 0;
        if (!f32) { // four rows of a and g at a time: each row of into is read once for four terms, added in row order
            for (; i + 4 <= m; i += 4) {
                int g0 = i * n, g1 = g0 + n, g2 = g1 + n, g3 = g2 + n;
                for (int q = 0; q < k; q++) {
                    double a0 = a[i * k + q], a1 = a[(i + 1) * k + q], a2 = a[(i + 2) * k + q], a3 = a[(i + 3) * k + q];
                    int row = offset + q * n;
                    for (int j = 0; j < n; j++) {
                        into[row + j] = (((into[row + j] + a0 * g[g0 + j]) + a1 * g[g1 + j]) + a2 * g[g2 + j]) + a3 * g[g3 + j];
                    }
                }
            }
        }
        for (; i < m; i++) {
            int gRow = i * n;
            for (int q = 0; q < k; q++) {
                double aiq = a[i * k + q];
                int row = offset + q * n;
                if (f32) {
                    for (int j = 0; j < n; j++) into[row + j] = (float) (into[row + j] + (float) (aiq * g[gRow + j]));
                } else {
                    for (int j = 0; j < n; j++) into[row + j] += aiq * g[gRow + j];
                }
            }
        }
    }
    // The element-wise passes of the forward and backward passes, on the same footing.

    /** a := relu(z), slope := relu'(z) (1 where z > 0, else 0; relu'(0) = 0) over len elements. */
    static void relu(double[] z, int len, double[] a, double[] slope) {
        relu(z, len, a, slope, VECTOR);
    }

    /** As above, on {@link VectorProducts} where {@code vector}; the same bits either way. */
    static void relu(double[] z, int len, double[] a, double[] slope, boolean vector) {
        int start = vector ? VectorProducts.relu(z, len, a, slope) : 0;
        for (int i = start; i < len; i++) {
            boolean on = z[i] > 0;
            a[i] = on ? z[i] : 0.0;
            slope[i] = on ? 1.0 : 0.0;
        }
    }

    /** z[i, j] := b[j] + c z[i, j] over m rows of n, b at theta[bOffset], each operation rounded to the precision. */
    static void biasAndScale(double[] z, int m, int n, double[] theta, int bOffset, double c, boolean f32) {
        biasAndScale(z, m, n, theta, bOffset, c, f32, VECTOR);
    }

    /** As above, on {@link VectorProducts} (float64) where {@code vector}; the same bits either way. */
    static void biasAndScale(double[] z, int m, int n, double[] theta, int bOffset, double c, boolean f32, boolean vector) {
        for (int i = 0; i < m; i++) {
            int row = i * n;
            int j = vector && !f32 ? VectorProducts.biasAndScale(z, row, n, theta, bOffset, c) : 0;
            for (; j < n; j++) {
                double p = c == 1.0 ? z[row + j] : c * z[row + j];
                if (f32) p = (float) p;
                double sum = theta[bOffset + j] + p;
                z[row + j] = f32 ? (float) sum : sum;
            }
        }
    }

    /** into[offset + j] += sum_i g[i, j] over m rows of n, each column summed over i in order. */
    static void addColumnSums(double[] g, int m, int n, double[] into, int offset, boolean f32) {
        addColumnSums(g, m, n, into, offset, f32, VECTOR);
    }

    /** As above, on {@link VectorProducts} (float64) where {@code vector}; the same bits either way. */
    static void addColumnSums(double[] g, int m, int n, double[] into, int offset, boolean f32, boolean vector) {
        int j = vector && !f32 ? VectorProducts.addColumnSums(g, m, n, into, offset) : 0;
        if (j == n) return;
        for (int i = 0; i < m; i++) { // row by row over the columns left
            int row = i * n;
            if (f32) {
                for (int q = j; q < n; q++) into[offset + q] = (float) (into[offset + q] + g[row + q]);
            } else {
                for (int q = j; q < n; q++) into[offset + q] += g[row + q];
            }
        }
    }
}

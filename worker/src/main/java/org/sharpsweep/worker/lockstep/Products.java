package org.sharpsweep.worker.lockstep;

/**
 * The matrix products of {@link DenseKernel}, on row-major {@code double[]} arrays, in float64
 * or (with {@code f32}) float32: every sum runs over its index from 0 up, each term and partial
 * sum rounded on its own, so the result depends only on the operands (deterministic, the same
 * alone or in any group). Rows are taken four at a time, so each weight read serves four rows.
 */
final class Products {
    private Products() {
    }

    /** out[m, n] := a[m, k] W where W[k, n] sits at w[wOffset]. */
    static void product(double[] a, int m, int k, double[] w, int wOffset, int n, double[] out, boolean f32) {
        java.util.Arrays.fill(out, 0, m * n, 0.0);
        addProduct(a, m, k, w, wOffset, n, out, f32);
    }

    /** out[m, n] += a[m, k] W (terms accumulated into out's own values in q order). */
    static void addProduct(double[] a, int m, int k, double[] w, int wOffset, int n, double[] out, boolean f32) {
        if (n == 1) { // one output: a dot product per row, the same sum in the same order
            for (int i = 0; i < m; i++) {
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
        if (n == 1) { // one output: out[i, q] + g[i] w[q], row by row
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
        if (n == 1) { // one output: into[q] + a[i, q] g[i], row by row
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
}

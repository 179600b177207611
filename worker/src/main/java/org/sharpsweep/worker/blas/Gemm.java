package org.sharpsweep.worker.blas;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C := alpha op(A) op(B) + beta C straight through OpenBLAS's {@code cblas_dgemm} /
 * {@code cblas_sgemm} on the arrays' own memory: the same arithmetic as {@link Nd4j#gemm}
 * without its op machinery, which costs 0.3-0.5 ms on each 1000x784x100 product (a copy of an
 * operand or of the result, measured against the direct call on the same buffers) and 15-40 us
 * on each small one, more than the small products themselves.
 *
 * <p>Each matrix may be row-major (unit column stride, any row stride: c-order arrays and
 * views of a c-order block) or column-major (unit row stride: f-order arrays and transposes
 * of c-order ones); C must be row-major. Anything else (other strides, mixed or other data
 * types, a non-CPU backend) goes to {@link Nd4j#gemm}, which gives the same result.
 * Deterministic: one thread (OMP_NUM_THREADS=1) gives bit-identical results run after run.
 * Thread-safe as OpenBLAS is. {@code -Dsharpsweep.blas.direct=false} sends everything to
 * {@link Nd4j#gemm} (to compare the two).
 */
public final class Gemm {
    static {
        Blas.prepare(); // the kernel is chosen when OpenBLAS loads
    }

    private static final boolean DIRECT = directAvailable();

    private Gemm() {
    }

    private static boolean directAvailable() {
        if (!Boolean.parseBoolean(System.getProperty("sharpsweep.blas.direct", "true"))) return false; // A/B benches
        try {
            String backend = Nd4j.getBackend().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            if (backend.contains("cuda") || backend.contains("cublas")) return false;
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, 0, 0, 0, 1.0, (DoublePointer) null, 1, (DoublePointer) null, 1, 0.0,
                    (DoublePointer) null, 1);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Whether products go straight to OpenBLAS here (CPU backend with the bytedeco binding). */
    public static boolean direct() {
        return DIRECT;
    }

    /**
     * C := alpha op(A) op(B) + beta C, op(X) = X^T when its flag is set; A, B, C rank 2 of one
     * type (DOUBLE or FLOAT). With beta = 0, C's old contents are ignored (NaN included).
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        DataType type = c.dataType();
        if (!DIRECT || a.dataType() != type || b.dataType() != type || (type != DataType.DOUBLE && type != DataType.FLOAT)
                || a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        long m = c.size(0);
        long n = c.size(1);
        long k = transA ? a.size(0) : a.size(1);
        if ((transA ? a.size(1) : a.size(0)) != m || (transB ? b.size(1) : b.size(0)) != k || (transB ? b.size(0) : b.size(1)) != n) {
            throw new IllegalArgumentException("gemm shapes do not match: op(A) " + shape(a, transA) + " op(B) "
                    + shape(b, transB) + " C [" + m + ", " + n + "]");
        }
        Layout la = Layout.of(a, transA);
        Layout lb = Layout.of(b, transB);
        Layout lc = Layout.of(c, false);
        if (la == null || lb == null || lc == null || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        if (!lc.trans && beta == 0.0 && type == DataType.DOUBLE && throughTranspose(m, n, k)) {
            INDArray t = scratchColumnMajor(type, m, n);
            gemm(a, b, t, transA, transB, alpha, 0.0);
            transposeCopy(t, c, m, n, lc.ld);
            return;
        }
        if (lc.trans) { // C column-major: C^T = op(B)^T op(A)^T, row-major [n, m]
            call(type, !lb.trans, !la.trans, n, m, k, alpha, b, lb.ld, a, la.ld, beta, c, lc.ld);
        } else {
            call(type, la.trans, lb.trans, m, n, k, alpha, a, la.ld, b, lb.ld, beta, c, lc.ld);
        }
    }

    /**
     * OpenBLAS computes a row-major C [m, n] as the column-major C^T, blocking and vectorising
     * along n; with n much smaller than m (a weight gradient [fan_in, fan_out] = A^T G summed
     * over many samples) the transposed problem runs markedly faster: on Emerald Rapids with the
     * Cooperlake kernel, 784x100 from 1000 samples takes 2.7-2.9 ms as the column-major product
     * against 3.5-3.8 ms row-major, and the transposing copy back (OpenBLAS omatcopy) about
     * 0.11 ms; at 50 samples the copy costs more than it saves, and in float the two orders run
     * equally fast (1.33-1.36 ms), so the copy is never worth it. Hence, for double only: through
     * the transpose when n is at most half of m and both k and the work are large.
     */
    static boolean throughTranspose(long m, long n, long k) {
        return TRANSPOSE_COPY != null && 2 * n <= m && k >= 256 && m * n * k >= 8_000_000L;
    }

    private static void call(DataType type, boolean transA, boolean transB, long m, long n, long k, double alpha,
                             INDArray a, int lda, INDArray b, int ldb, double beta, INDArray c, int ldc) {
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (type == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, (int) m, (int) n, (int) k, alpha,
                    doubles(a), lda, doubles(b), ldb, beta, doubles(c), ldc);
        } else {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, (int) m, (int) n, (int) k, (float) alpha,
                    floats(a), lda, floats(b), ldb, (float) beta, floats(c), ldc);
        }
    }

    /**
     * The per-thread column-major scratch [m, n] of {@link #throughTranspose}, for the last few
     * shapes (a point has one or two; an executor thread runs many points of many widths).
     */
    private static final ThreadLocal<java.util.Map<String, INDArray>> SCRATCH = ThreadLocal.withInitial(() ->
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, INDArray> eldest) {
                    return size() > 4;
                }
            });

    private static INDArray scratchColumnMajor(DataType type, long m, long n) {
        return SCRATCH.get().computeIfAbsent(type + "/" + m + "x" + n, key -> Nd4j.create(type, new long[] {m, n}, 'f'));
    }

    /** OpenBLAS's {@code cblas_?omatcopy} (not in the bytedeco binding ND4J brings), by JNA; null if unavailable. */
    private static final com.sun.jna.Function[] TRANSPOSE_COPY = transposeCopyFunctions();

    private static com.sun.jna.Function[] transposeCopyFunctions() {
        if (!DIRECT) return null;
        try {
            for (String lib : Blas.loadedOpenBlas()) {
                if (!lib.contains("nolapack")) continue;
                com.sun.jna.NativeLibrary nl = com.sun.jna.NativeLibrary.getInstance(lib);
                return new com.sun.jna.Function[] {nl.getFunction("cblas_domatcopy"), nl.getFunction("cblas_somatcopy")};
            }
        } catch (Throwable e) {
            // fall through: products are computed as they come
        }
        return null;
    }

    /** c (row-major [m, n], row stride ldc) := t (column-major [m, n], contiguous). */
    private static void transposeCopy(INDArray t, INDArray c, long m, long n, int ldc) {
        com.sun.jna.Pointer from = new com.sun.jna.Pointer(t.dataType() == DataType.DOUBLE ? doubles(t).address() + 8 * doubles(t).position()
                : floats(t).address() + 4 * floats(t).position());
        com.sun.jna.Pointer to = new com.sun.jna.Pointer(c.dataType() == DataType.DOUBLE ? doubles(c).address() + 8 * doubles(c).position()
                : floats(c).address() + 4 * floats(c).position());
        // t read as row-major [n, m] (its transpose), transposed into c: cblas_?omatcopy(RowMajor, Trans, rows n, cols m)
        if (t.dataType() == DataType.DOUBLE) {
            TRANSPOSE_COPY[0].invoke(new Object[] {openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, (int) n, (int) m,
                    1.0, from, (int) m, to, ldc});
        } else {
            TRANSPOSE_COPY[1].invoke(new Object[] {openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, (int) n, (int) m,
                    1.0f, from, (int) m, to, ldc});
        }
    }

    /** Sum of x[i] y[i] over two contiguous vectors of one type (length and element-wise stride 1 checked). */
    public static double dot(INDArray x, INDArray y) {
        if (!DIRECT || x.dataType() != y.dataType() || x.length() != y.length() || x.elementWiseStride() != 1
                || y.elementWiseStride() != 1 || x.length() > Integer.MAX_VALUE
                || (x.dataType() != DataType.DOUBLE && x.dataType() != DataType.FLOAT)) {
            return Nd4j.getBlasWrapper().dot(x.reshape(x.length()), y.reshape(y.length()));
        }
        int len = (int) x.length();
        return x.dataType() == DataType.DOUBLE
                ? openblas_nolapack.cblas_ddot(len, doubles(x), 1, doubles(y), 1)
                : openblas_nolapack.cblas_sdot(len, floats(x), 1, floats(y), 1);
    }

    /**
     * The array's first element. ND4J's {@code data().addressPointer()} already points at the
     * buffer's own offset (views share their parent's memory through a buffer with an offset),
     * and {@code offset()} counts from the same origin, so only their difference is added.
     */
    private static DoublePointer doubles(INDArray a) {
        return new DoublePointer(a.data().addressPointer()).position(a.offset() - a.data().offset());
    }

    private static FloatPointer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer()).position(a.offset() - a.data().offset());
    }

    private static String shape(INDArray a, boolean trans) {
        return trans ? "[" + a.size(1) + ", " + a.size(0) + "]" : "[" + a.size(0) + ", " + a.size(1) + "]";
    }

    /**
     * How a matrix X (possibly with the transpose flag {@code t}) is passed as a row-major
     * operand: a row-major X is passed as is (leading dimension its row stride); a column-major
     * X is the row-major X^T, passed with the flag flipped (leading dimension its column stride).
     */
    private record Layout(boolean trans, int ld) {
        static Layout of(INDArray x, boolean t) {
            long rows = x.size(0);
            long cols = x.size(1);
            long s0 = x.stride(0);
            long s1 = x.stride(1);
            if (cols == 1 || s1 == 1) { // row-major: element (i, j) at i s0 + j
                long ld = rows == 1 ? Math.max(cols, 1) : s0;
                return ld >= Math.max(cols, 1) && ld <= Integer.MAX_VALUE ? new Layout(t, (int) ld) : null;
            }
            if (rows == 1 || s0 == 1) { // column-major: element (i, j) at i + j s1
                long ld = cols == 1 ? Math.max(rows, 1) : s1;
                return ld >= Math.max(rows, 1) && ld <= Integer.MAX_VALUE ? new Layout(!t, (int) ld) : null;
            }
            return null;
        }
    }
}

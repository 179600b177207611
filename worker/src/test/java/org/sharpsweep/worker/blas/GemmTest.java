package org.sharpsweep.worker.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * The direct OpenBLAS product against ND4J's own gemm (the oracle) on every layout the model
 * passes: c- and f-order operands, transposed views, views at an offset inside a larger buffer
 * (the per-layer views of a parameter vector), row and column vectors, beta 0 and 1.
 */
class GemmTest {
    /** Both compute the same sums in possibly different orders: a few ulps of the terms' size. */
    private static final double TOL64 = 1e-12;
    private static final double TOL32 = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void matchesNd4jGemmOnEveryLayout(String typeName) {
        DataType type = DataType.valueOf(typeName);
        double tol = type == DataType.DOUBLE ? TOL64 : TOL32;
        Nd4j.getRandom().setSeed(11);
        int[][] shapes = {{7, 5, 3}, {1, 6, 4}, {6, 1, 4}, {5, 4, 1}, {13, 9, 11}};
        for (int[] mnk : shapes) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (char oa : new char[] {'c', 'f'}) {
                        for (char ob : new char[] {'c', 'f'}) {
                            INDArray a = Nd4j.rand(type, ta ? new long[] {k, m} : new long[] {m, k}).dup(oa);
                            INDArray b = Nd4j.rand(type, tb ? new long[] {n, k} : new long[] {k, n}).dup(ob);
                            INDArray c0 = Nd4j.rand(type, m, n);
                            for (double beta : new double[] {0.0, 1.0}) {
                                INDArray expected = c0.dup();
                                Nd4j.gemm(a, b, expected, ta, tb, 0.5, beta);
                                INDArray actual = c0.dup();
                                Gemm.gemm(a, b, actual, ta, tb, 0.5, beta);
                                String what = typeName + " m,n,k=" + m + "," + n + "," + k + " ta=" + ta + " tb=" + tb
                                        + " orders " + oa + ob + " beta " + beta;
                                assertTrue(expected.equalsWithEps(actual, tol), what + "\n" + expected + "\n" + actual);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void viewsAtAnOffsetInsideAParameterVectorAndTransposedViews() {
        Nd4j.getRandom().setSeed(12);
        INDArray theta = Nd4j.rand(DataType.DOUBLE, 1, 3 * 4 + 4 + 4 * 2 + 2);
        // W2 [4, 2] row-major at offset 16, as Mlp views it
        INDArray w2 = Nd4j.create(theta.data(), new long[] {4, 2}, new long[] {2, 1}, 16, 'c');
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4);
        INDArray expected = Nd4j.create(DataType.DOUBLE, 5, 2);
        Nd4j.gemm(x, w2, expected, false, false, 1.0, 0.0);
        INDArray actual = Nd4j.create(DataType.DOUBLE, 5, 2);
        Gemm.gemm(x, w2, actual, false, false, 1.0, 0.0);
        assertTrue(expected.equalsWithEps(actual, TOL64));
        INDArray w2Copy = theta.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(16, 24)).dup().reshape('c', 4, 2);
        assertTrue(x.mmul(w2Copy).equalsWithEps(actual, TOL64), "reads the block at offset 16");
        // into a view at an offset: the gradient block of W2
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 26);
        INDArray g2 = Nd4j.create(grad.data(), new long[] {4, 2}, new long[] {2, 1}, 16, 'c');
        INDArray gOut = Nd4j.rand(DataType.DOUBLE, 5, 2);
        Gemm.gemm(x, gOut, g2, true, false, 1.0, 0.0);
        INDArray ref = x.transpose().mmul(gOut);
        assertTrue(ref.equalsWithEps(g2, TOL64));
        assertEquals(0.0, grad.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16)).sumNumber().doubleValue(), 0.0, "writes only its block");
        // a transposed view as an operand
        INDArray xt = x.transpose(); // [4, 5], column-major view
        INDArray viaView = Nd4j.create(DataType.DOUBLE, 4, 2);
        Gemm.gemm(xt, gOut, viaView, false, false, 1.0, 0.0);
        assertTrue(ref.equalsWithEps(viaView, TOL64));
    }

    @Test
    void dotOfContiguousVectors() {
        INDArray x = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray y = Nd4j.createFromArray(4.0, -5.0, 6.0);
        assertEquals(4 - 10 + 18, Gemm.dot(x, y), 0.0);
        assertEquals(14.0, Gemm.dot(x.castTo(DataType.FLOAT), x.castTo(DataType.FLOAT)), 0.0);
    }
}

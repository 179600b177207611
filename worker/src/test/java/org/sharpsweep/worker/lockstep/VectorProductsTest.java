package org.sharpsweep.worker.lockstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The products on the vector API give the bits of the scalar loops (docs/lockstep.md, "Vector
 * products"): every shape around the vector width and its blocks (1 to 2 vectors of columns,
 * 4-row blocks and their remainders), offsets into the weights, accumulation into values already
 * there, and operands spread over many binades so that every rounding shows.
 */
class VectorProductsTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 50, 65};

    @Test
    void theTestJvmHasTheVectorApi() {
        assertTrue(Products.VECTOR, "the tests' JVM runs without --add-modules=jdk.incubator.vector (pom.xml java17.opens)");
        assertTrue(VectorProducts.lanes() >= 2, "lanes " + VectorProducts.lanes());
    }

    @Test
    void everyProductEqualsTheScalarLoopsBitForBit() {
        Random r = new Random(17);
        int cases = 0;
        for (int m : SIZES) {
            for (int k : SIZES) {
                for (int n : SIZES) {
                    if (r.nextInt(3) != 0 && m * k * n > 64) continue; // a third of the larger shapes, every small one
                    int offset = r.nextInt(5);
                    double[] a = values(r, m * k), w = values(r, offset + k * n), g = values(r, m * n), start = values(r, m * n);
                    // out[m, n] += a W
                    double[] scalar = start.clone(), vector = start.clone();
                    Products.addProduct(a, m, k, w, offset, n, scalar, false, false);
                    Products.addProduct(a, m, k, w, offset, n, vector, false, true);
                    assertSameBits(scalar, vector, "addProduct", m, k, n);
                    // out[m, k] += g W^T
                    double[] startT = values(r, m * k), scalarT = startT.clone(), vectorT = startT.clone();
                    Products.addProductTransposed(g, m, n, w, offset, k, scalarT, false, false);
                    Products.addProductTransposed(g, m, n, w, offset, k, vectorT, false, true);
                    assertSameBits(scalarT, vectorT, "addProductTransposed", m, k, n);
                    // into[offset + q n + j] += a^T g
                    double[] into = values(r, offset + k * n), scalarI = into.clone(), vectorI = into.clone();
                    Products.transposedProduct(a, m, k, g, n, scalarI, offset, false, false);
                    Products.transposedProduct(a, m, k, g, n, vectorI, offset, false, true);
                    assertSameBits(scalarI, vectorI, "transposedProduct", m, k, n);
                    cases++;
                }
            }
        }
        assertTrue(cases > 500, "cases " + cases);
    }

    @Test
    void everyElementWisePassEqualsTheScalarLoopsBitForBit() {
        Random r = new Random(23);
        for (int m : SIZES) {
            for (int n : SIZES) {
                double[] z = values(r, m * n);
                z[0] = 0.0; // relu'(0) = 0
                if (z.length > 1) z[1] = -0.0;
                double[] a1 = new double[m * n], s1 = new double[m * n], a2 = new double[m * n], s2 = new double[m * n];
                Products.relu(z, m * n, a1, s1, false);
                Products.relu(z, m * n, a2, s2, true);
                assertSameBits(a1, a2, "relu", m, 0, n);
                assertSameBits(s1, s2, "relu'", m, 0, n);
                int offset = r.nextInt(4);
                double[] theta = values(r, offset + n);
                for (double c : new double[] {1.0, 0.37}) {
                    double[] zs = z.clone(), zv = z.clone();
                    Products.biasAndScale(zs, m, n, theta, offset, c, false, false);
                    Products.biasAndScale(zv, m, n, theta, offset, c, false, true);
                    assertSameBits(zs, zv, "biasAndScale c=" + c, m, 0, n);
                }
                double[] into = values(r, offset + n), is = into.clone(), iv = into.clone();
                Products.addColumnSums(z, m, n, is, offset, false, false);
                Products.addColumnSums(z, m, n, iv, offset, false, true);
                assertSameBits(is, iv, "addColumnSums", m, 0, n);
            }
        }
    }

    @Test
    void theVectorPathComputesTheProducts() {
        // not only the same as the loops: the right numbers (a 2 x 3 by 3 x 2 product by hand)
        double[] a = {1, 2, 3, 4, 5, 6}, w = {9, 1, 2, 3, 4, 5, 6}, out = {0.5, 0, 0, 0};
        Products.addProduct(a, 2, 3, w, 1, 2, out, false, true);
        assertEquals(0.5 + 1 * 1 + 2 * 3 + 3 * 5, out[0]);
        assertEquals(1 * 2 + 2 * 4 + 3 * 6, out[1]);
        assertEquals(4 * 1 + 5 * 3 + 6 * 5, out[2]);
        assertEquals(4 * 2 + 5 * 4 + 6 * 6, out[3]);
    }

    private static double[] values(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * Math.exp(6 * r.nextGaussian());
        return v;
    }

    private static void assertSameBits(double[] expected, double[] actual, String what, int m, int k, int n) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + " m=" + m + " k=" + k + " n=" + n + " element " + i + ": scalar "
                        + expected[i] + ", vector " + actual[i]);
            }
        }
    }
}

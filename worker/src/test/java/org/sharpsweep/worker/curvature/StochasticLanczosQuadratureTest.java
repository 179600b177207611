package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.curvature.StochasticLanczosQuadrature.Probe;
import org.sharpsweep.worker.curvature.StochasticLanczosQuadrature.Quadrature;

/**
 * Stochastic Lanczos quadrature against closed forms: on a diagonal operator the Gauss quadrature
 * of a full-dimension run is the probe's spectral measure itself (nodes d_i, weights v_i^2 for
 * the unit probe v); with repeated eigenvalues the run breaks down after as many steps as distinct
 * eigenvalues and each weight is the probe's squared norm in that eigenspace; on a tiny network
 * the top node is the dense Hessian's lambda_max (commons-math3).
 */
class StochasticLanczosQuadratureTest {

    /** The weights of one probe sum to 1: rounding of an orthogonal eigenvector matrix. */
    static final double WEIGHT_SUM_TOL = 1e-12;
    /** The bound on |top node - sharpness|, relative to the sharpness. */
    static final double SHARPNESS_TOL = 1e-6;
    /** Nodes and weights of a full-dimension run with well separated eigenvalues (gaps >= 1e-2 ||A||). */
    static final double FULL_RUN_TOL = 1e-9;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static double sum(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s;
    }

    @ParameterizedTest(name = "{0} {1} depth {2}")
    @CsvSource({"TANH, MSE, 1", "RELU, XENT, 1", "TANH, HALF_SSE, 2", "TANH, XENT, 0"})
    void tinyNetworkTopNodeIsTheSharpnessAndWeightsSumToOne(Activation act, Loss loss, int depth) {
        TinyNetwork net = TinyNetwork.of(act, loss, depth, 20261129L + depth);
        double sharpness = net.eigenvalues()[0]; // oracle: commons-math3 on the dense Hessian
        for (Probe kind : Probe.values()) {
            // PyHessian's 100 steps exceed P: each run stops at P steps or an earlier breakdown
            List<Quadrature> qs = StochasticLanczosQuadrature.run(net.hessian(), net.dim(),
                    StochasticLanczosQuadrature.DEFAULT_STEPS, 3, kind, 17);
            assertEquals(3, qs.size());
            for (Quadrature q : qs) {
                String ctx = net + ", " + kind + " probes, seed 17: sharpness " + sharpness + ", nodes "
                        + Arrays.toString(q.nodes());
                assertTrue(q.steps() <= net.dim(), ctx);
                assertEquals(1.0, sum(q.weights()), WEIGHT_SUM_TOL, ctx);
                for (double w : q.weights()) assertTrue(w >= 0, ctx);
                assertEquals(sharpness, q.nodes()[0], SHARPNESS_TOL * Math.abs(sharpness), ctx);
            }
        }
    }

    /**
     * Truncated runs on a larger operator: m steps, no breakdown, weights summing to 1 (which is
     * what makes the smoothed density integrate to 1; SpectralDensityTest in analysis checks that).
     */
    @Test
    void truncatedRunsHaveUnitWeights() {
        double[][] m = HutchinsonTraceTest.randomSymmetric(120, 5);
        List<Quadrature> qs = StochasticLanczosQuadrature.run(LanczosTest.dense(m), 120, 30, 4, Probe.RADEMACHER, 5);
        assertEquals(4, qs.size());
        for (Quadrature q : qs) {
            assertEquals(30, q.steps());
            assertFalse(q.breakdown());
            assertEquals(1.0, sum(q.weights()), WEIGHT_SUM_TOL, "seed 5");
            for (double w : q.weights()) assertTrue(w >= 0, "seed 5");
        }
    }

    @Test
    void fullDimensionRunOnADiagonalReproducesSpectrumAndProbe() {
        int dim = 40;
        SplittableRandom rng = new SplittableRandom(3);
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = (i - 10) * 0.1 + rng.nextDouble(0, 0.02); // gaps >= 0.08
        double[] expected = LanczosTopKTest.descending(d);
        for (Probe kind : Probe.values()) {
            for (int steps : new int[] {dim, 3 * dim}) { // m = dim, and m > dim stopping at dim
                long seed = 11;
                List<Quadrature> qs = StochasticLanczosQuadrature.run(LanczosTest.diagonal(d), dim, steps, 1, kind, seed);
                Quadrature q = qs.get(0);
                String ctx = kind + ", m " + steps + ", seed " + seed;
                assertEquals(dim, q.steps(), ctx);
                assertFalse(q.breakdown(), ctx);
                double[] probe = probeSquares(kind, dim, seed);
                for (int j = 0; j < dim; j++) {
                    assertEquals(expected[j], q.nodes()[j], FULL_RUN_TOL, ctx + ", node " + j);
                    int i = indexOf(d, expected[j]);
                    // the eigenvector of d_i is e_i: weight (e_i^T v)^2 = v_i^2
                    assertEquals(probe[i], q.weights()[j], FULL_RUN_TOL, ctx + ", weight of " + d[i]);
                }
            }
        }
    }

    /** v_i^2 of the first unit probe, drawn here as documented: +-1 / sqrt(dim), or g / ||g||. */
    static double[] probeSquares(Probe kind, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[dim];
        if (kind == Probe.RADEMACHER) {
            Arrays.fill(v, 1.0 / dim);
            return v;
        }
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = rng.nextGaussian();
            sq += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) v[i] = v[i] * v[i] / sq;
        return v;
    }

    static int indexOf(double[] d, double value) {
        for (int i = 0; i < d.length; i++) if (d[i] == value) return i;
        throw new AssertionError(value + " not in " + Arrays.toString(d));
    }

    @Test
    void repeatedEigenvaluesBreakDownWithEigenspaceWeights() {
        // closed form: eigenvalues 2 (x5), -1 (x10), 0.5 (x15); Krylov dimension 3
        int dim = 30;
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = i < 5 ? 2.0 : i < 15 ? -1.0 : 0.5;
        for (long seed = 1; seed <= 3; seed++) {
            Quadrature q = StochasticLanczosQuadrature.run(LanczosTest.diagonal(d), dim, 100, 1, Probe.GAUSSIAN, seed).get(0);
            String ctx = "seed " + seed + ": " + q.steps() + " steps, nodes " + Arrays.toString(q.nodes());
            assertEquals(3, q.steps(), ctx);
            assertTrue(q.breakdown(), ctx);
            double[] v2 = probeSquares(Probe.GAUSSIAN, dim, seed);
            double[] mass = {0, 0, 0};
            for (int i = 0; i < dim; i++) mass[i < 5 ? 0 : i < 15 ? 2 : 1] += v2[i];
            double[] nodes = {2.0, 0.5, -1.0};
            for (int j = 0; j < 3; j++) {
                assertEquals(nodes[j], q.nodes()[j], 1e-12, ctx);
                assertEquals(mass[j], q.weights()[j], 1e-12, ctx);
            }
        }
        // Rademacher probe of a diagonal with equal entries: one step, one node, weight 1
        Quadrature one = StochasticLanczosQuadrature.run(LanczosTest.diagonal(new double[] {3, 3, 3, 3}), 4, 10, 1,
                Probe.RADEMACHER, 1).get(0);
        assertEquals(1, one.steps());
        assertTrue(one.breakdown());
        assertEquals(3.0, one.nodes()[0], 1e-15);
        assertEquals(1.0, one.weights()[0], 0.0);
        // the zero operator breaks down at once
        Quadrature zero = StochasticLanczosQuadrature.run((v, out) -> out.assign(0.0), 5, 100, 1, Probe.GAUSSIAN, 2).get(0);
        assertEquals(1, zero.steps());
        assertEquals(0.0, zero.nodes()[0], 0.0);
    }

    @Test
    void sameSeedSameResultAndBadArguments() {
        double[][] m = HutchinsonTraceTest.randomSymmetric(20, 4);
        List<Quadrature> a = StochasticLanczosQuadrature.run(LanczosTest.dense(m), 20, 8, 2, Probe.RADEMACHER, 4);
        List<Quadrature> b = StochasticLanczosQuadrature.run(LanczosTest.dense(m), 20, 8, 2, Probe.RADEMACHER, 4);
        for (int p = 0; p < 2; p++) {
            assertTrue(Arrays.equals(a.get(p).nodes(), b.get(p).nodes()));
            assertTrue(Arrays.equals(a.get(p).weights(), b.get(p).weights()));
        }
        assertFalse(Arrays.equals(a.get(0).nodes(), a.get(1).nodes()), "probes must differ");
        SymmetricOperator op = LanczosTest.diagonal(new double[] {1, 2});
        LanczosTest.assertMessage("steps must be >= 1, got 0", () -> StochasticLanczosQuadrature.run(op, 2, 0, 1, Probe.GAUSSIAN, 1));
        LanczosTest.assertMessage("probes must be >= 1, got 0", () -> StochasticLanczosQuadrature.run(op, 2, 5, 0, Probe.GAUSSIAN, 1));
        LanczosTest.assertMessage("dim must be >= 1, got 0", () -> StochasticLanczosQuadrature.run(op, 0, 5, 1, Probe.GAUSSIAN, 1));
    }
}

package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The smoothed density of {@link SpectralDensity} against closed forms, without Spark; the nodes
 * and weights here are also what {@link SpectralDensityIT} writes as a results directory.
 */
class SpectralDensityTest {
    /** lr 0.1: two probes, nodes -1 and 4 in both, 1.5 in the second only. */
    static final double[][] TWO_PROBE_NODES = {{4.0, -1.0}, {4.0, 1.5, -1.0}};
    static final double[][] TWO_PROBE_WEIGHTS = {{0.5, 0.5}, {0.2, 0.5, 0.3}};

    /** The trapezoid rule on a grid of step sigma / 8 integrates a Gaussian to about this (moved from the worker's test). */
    static final double INTEGRAL_TOL = 1e-6;

    /** lr 0.2: two probes of 41 nodes spread over [-1, 5], extreme weights 1e-4, the rest equal. */
    static double[][] spreadNodes(int probe) {
        double[] nodes = new double[41];
        double[] weights = new double[41];
        for (int j = 0; j < 41; j++) {
            nodes[j] = 5.0 - 6.0 * j / 40 + (j == 0 || j == 40 ? 0 : 0.013 * probe);
            weights[j] = j == 0 || j == 40 ? 1e-4 : (1 - 2e-4) / 39;
        }
        return new double[][] {nodes, weights};
    }

    static double trapezoid(double[] grid, double[] phi) {
        double s = 0;
        for (int i = 1; i < grid.length; i++) s += 0.5 * (phi[i] + phi[i - 1]) * (grid[i] - grid[i - 1]);
        return s;
    }

    /** Moved from the worker's StochasticLanczosQuadratureTest: on a grid 10 sigma beyond the extreme nodes (-1 and 5), 1. */
    @Test
    void densityIntegratesToOneOnAWideGrid() {
        List<SpectralDensity.Quadrature> qs = List.of(new SpectralDensity.Quadrature(spreadNodes(0)[0], spreadNodes(0)[1]),
                new SpectralDensity.Quadrature(spreadNodes(1)[0], spreadNodes(1)[1]),
                new SpectralDensity.Quadrature(TWO_PROBE_NODES[1], TWO_PROBE_WEIGHTS[1]));
        for (double sigma : new double[] {SpectralDensity.defaultSigma(qs), 0.5}) {
            // 10 sigma beyond every node (PyHessian's range is the mean over probes, which a probe's extreme can exceed)
            double lo = -1 - 10 * sigma, hi = 5 + 10 * sigma;
            int bins = (int) Math.ceil((hi - lo) / (sigma / 8)) + 1;
            double[] grid = SpectralDensity.linspace(lo, hi, bins);
            double[] phi = SpectralDensity.density(qs, grid, sigma);
            assertEquals(1.0, trapezoid(grid, phi), INTEGRAL_TOL, "sigma " + sigma + ": integral over " + bins + " points");
        }
    }

    /** Moved from the worker's test: one node is the Gaussian kernel itself; PyHessian's width for a range under 1. */
    @Test
    void densityOfOneNodeIsTheGaussianKernel() {
        SpectralDensity.Quadrature q = new SpectralDensity.Quadrature(new double[] {1.5}, new double[] {1.0});
        double sigma = 0.2;
        double[] phi = SpectralDensity.density(List.of(q, q), new double[] {1.5, 1.7}, sigma);
        double peak = 1 / (sigma * Math.sqrt(2 * Math.PI)); // closed form N(0; 0, sigma^2)
        assertEquals(peak, phi[0], 1e-14);
        assertEquals(peak * Math.exp(-0.5), phi[1], 1e-14); // one sigma away
        // PyHessian's width: variance 1e-5 max(1, range), range = mean extreme nodes +- 0.01
        assertEquals(Math.sqrt(1e-5), SpectralDensity.defaultSigma(List.of(q)), 1e-18);
        assertEquals(List.of(1.49, 1.51), List.of(SpectralDensity.defaultRange(List.of(q))[0], SpectralDensity.defaultRange(List.of(q))[1]));
        double[] grid = SpectralDensity.linspace(-1, 1, 5);
        assertEquals(List.of(-1.0, -0.5, 0.0, 0.5, 1.0), java.util.Arrays.stream(grid).boxed().toList());
    }
}

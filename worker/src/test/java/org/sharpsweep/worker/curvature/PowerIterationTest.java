package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.curvature.LanczosTest.assertMessage;
import static org.sharpsweep.worker.curvature.LanczosTest.clusteredSpectrum;
import static org.sharpsweep.worker.curvature.LanczosTest.diagonal;
import static org.sharpsweep.worker.curvature.LanczosTest.trueResidual;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Power iteration on diagonal operators, whose spectra are their entries (closed form). */
class PowerIterationTest {

    /** The reported residual is recomputed, so it matches ||A v - lambda v|| / |lambda| to rounding. */
    static final double RESIDUAL_MATCH = 1e-12;

    @Test
    void convergesOnWellSeparatedSpectrum() {
        int dim = 500;
        SplittableRandom rng = new SplittableRandom(3);
        double[] d = new double[dim];
        d[0] = 10.0;
        d[1] = 5.0;
        for (int i = 2; i < dim; i++) d[i] = rng.nextDouble(0, 1.0);
        SymmetricOperator op = diagonal(d);
        double tol = 1e-12;
        EigenEstimate.WithVector pair = PowerIteration.topWithVector(op, dim, tol, 1000, 3);
        EigenEstimate e = pair.estimate();
        // ratio 0.5 per step: the papers' criterion stops after ~ log2(1/tol) / 2 = 20 steps
        assertTrue(e.iterations() < 1000, e.toString());
        assertEquals(trueResidual(op, dim, pair), e.residual(), RESIDUAL_MATCH);
        // Kato-Temple: the Rayleigh quotient's error is <= ||A v - lambda v||^2 / gap, gap = 5 here
        assertEquals(10.0, e.value(), 1e-8);
    }

    @Test
    void clusteredTopNeedsManyMoreProductsThanLanczos() {
        int dim = 300;
        long seed = 7;
        double[] d = clusteredSpectrum(dim, 4, 1e-3, 0.9, seed); // 1, 0.999, 0.998, 0.997, bulk in [0, 0.9]
        SymmetricOperator op = diagonal(d);
        double tol = 1e-4;
        EigenEstimate power = PowerIteration.topByResidual(op, dim, tol, 20_000, seed);
        EigenEstimate lanczos = Lanczos.top(op, dim, tol, dim, seed);
        assertTrue(power.converged(), power.toString());
        assertTrue(lanczos.converged(), lanczos.toString());
        // power iteration's weight on the eigenvalue 1 - 1e-3 j decays like (1 - 1e-3 j)^k, and the
        // residual reaches 1e-4 only once those weights are below about 0.1 / j: about a thousand
        // products. Lanczos separates the cluster with a Chebyshev-like polynomial in a few dozen.
        assertTrue(power.iterations() >= 20 * lanczos.iterations(),
                "power " + power.iterations() + " vs Lanczos " + lanczos.iterations());
        // both are Rayleigh quotients (<= lambda_max = 1) within r |value| of an eigenvalue of the cluster
        assertTrue(power.value() <= 1.0 + 1e-15 && power.value() >= 0.997 - tol, power.toString());
        assertTrue(lanczos.value() <= 1.0 + 1e-15 && lanczos.value() >= 0.997 - tol, lanczos.toString());
    }

    @Test
    void papersCriterionCanStopFarFromConvergence() {
        int dim = 1000;
        double[] d = clusteredSpectrum(dim, 1, 0.99, 9);
        d[1] = 0.99;
        SymmetricOperator op = diagonal(d);
        double tol = 1e-4;
        EigenEstimate.WithVector pair = PowerIteration.topWithVector(op, dim, tol, 5000, 9);
        EigenEstimate e = pair.estimate();
        // lambda_k changes by about 2 (1 - 0.99) of its error per step, so |lambda_k - lambda_{k-1}|
        // <= 1e-4 is met while the residual (about the square root of that error) is near 1e-1
        assertTrue(e.iterations() < 5000, e.toString());
        assertTrue(e.residual() > 10 * tol, e.toString());
        assertFalse(e.converged(), e.toString());
        assertEquals(trueResidual(op, dim, pair), e.residual(), RESIDUAL_MATCH);
    }

    @Test
    void findsLargestMagnitudeNotLargestValue() {
        double[] d = {-3.0, 1.0, 0.5, 0.25};
        SymmetricOperator op = diagonal(d);
        EigenEstimate power = PowerIteration.top(op, d.length, 1e-12, 1000, 1);
        EigenEstimate lanczos = Lanczos.top(op, d.length, 1e-12, 10, 1);
        assertEquals(-3.0, power.value(), 1e-9, "power iteration converges to the dominant eigenvalue -3");
        assertEquals(1.0, lanczos.value(), 1e-12, "Lanczos gives lambda_max = 1");
    }

    @Test
    void zeroOperatorAndDimensionOne() {
        assertEquals(new EigenEstimate(0.0, 0.0, 1, true),
                PowerIteration.top((v, out) -> out.assign(0.0), 5, 1e-4, 10, 1));
        EigenEstimate one = PowerIteration.topByResidual((v, out) -> out.assign(v).muli(-4.0), 1, 1e-4, 10, 1);
        assertEquals(new EigenEstimate(-4.0, 0.0, 1, true), one);
    }

    @Test
    void iterationsNeverExceedMaxIters() {
        double[] d = clusteredSpectrum(200, 3, 0.99, 5);
        EigenEstimate e = PowerIteration.topByResidual(diagonal(d), 200, 1e-10, 17, 5);
        assertEquals(17, e.iterations());
        assertFalse(e.converged(), e.toString());
    }

    @Test
    void badArgumentsAreNamed() {
        SymmetricOperator op = diagonal(new double[] {1, 2});
        assertMessage("dim must be >= 1, got -1", () -> PowerIteration.top(op, -1, 1e-4, 10, 1));
        assertMessage("tol must be in (0, 1), got 2.0", () -> PowerIteration.top(op, 2, 2.0, 10, 1));
        assertMessage("maxIters must be >= 1, got -5", () -> PowerIteration.topByResidual(op, 2, 1e-4, -5, 1));
    }
}

package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Mlp;

/**
 * m-sharpness (measure.m_sharpness) against its definition (docs/science.md) on a tiny tanh
 * network (3-4-1, P = 21) whose batch Hessians are formed densely.
 *
 * <p>The small-rho oracle needs a minimum of every batch: the targets are the network's own outputs
 * at theta plus noise of 1e-9, so each batch gradient is of that size and L_B(theta + delta) -
 * L_B(theta) = delta^T H_B delta / 2 + O(|delta|^3). Then the worst case over ||delta / c|| &lt;= rho
 * is rho^2/2 lambda_max(D H_B D) + O(rho^3) and the Gaussian average rho^2/2 tr(D H_B D) + O(rho^4),
 * with D = diag(c), c = |theta| (adaptive) or 1; the uniform draws of linf have variance rho^2 c^2 / 3,
 * so their average is rho^2/6 tr(D H_B D).
 */
class MSharpnessTest {
    private static final long SEED = 20240611L;
    private static final int N = 24;
    private static final int M = 8;
    /** The targets' distance from the network's outputs: the batch gradients are this small. */
    private static final double TARGET_NOISE = 1e-9;
    /**
     * APGD (20 iterations of their schedule) against rho^2/2 lambda_max(D H_B D): a lower bound to
     * O(rho^3), observed within 3e-5 relative at rho = 1e-3 on every batch, adaptive or not.
     */
    private static final double LIMIT_RTOL = 1e-3;
    /** Their being the same computation: one batch in a run over all batches, or on its own. */
    private static final double SAME_RTOL = 1e-12;

    private static final Mlp MODEL = new Mlp(3, 1, 4, 1, Activation.TANH, Init.DEFAULT, Loss.MSE);

    /** theta, inputs and targets at (almost) a minimum of every batch. */
    private record Problem(INDArray theta, INDArray x, INDArray y) {
        INDArray rows(INDArray a, int b) {
            return a.get(NDArrayIndex.interval((long) b * M, (long) (b + 1) * M), NDArrayIndex.all()).dup();
        }
    }

    private static Problem atMinimum() {
        INDArray theta = MODEL.initParams(SEED);
        theta.muli(2.0); // weights of order 1: a curved tanh
        SplittableRandom r = new SplittableRandom(SEED);
        double[][] x = new double[N][3];
        for (double[] row : x) for (int j = 0; j < 3; j++) row[j] = 2 * r.nextDouble() - 1;
        INDArray xs = Nd4j.createFromArray(x);
        INDArray y = MODEL.predict(theta, xs);
        for (int i = 0; i < N; i++) y.putScalar(i, 0, y.getDouble(i, 0) + TARGET_NOISE * (2 * r.nextDouble() - 1));
        return new Problem(theta, xs, y);
    }

    /** A generic point, not a minimum: targets of another network. */
    private static Problem generic() {
        Problem p = atMinimum();
        return new Problem(p.theta(), p.x(), MODEL.predict(MODEL.initParams(SEED + 1), p.x()));
    }

    private static MeasureSpec spec(double rho, int m, boolean adaptive, String norm, int samples) {
        return MeasureSpec.defaults().with(Measures.M_SHARPNESS_ON, true).with(Measures.M_SHARPNESS_RHO, rho)
                .with(Measures.M_SHARPNESS_M, m).with(Measures.M_SHARPNESS_ADAPTIVE, adaptive).with(Measures.M_SHARPNESS_NORM, norm)
                .with(Measures.M_SHARPNESS_SAMPLES, samples);
    }

    /** The measure as the engine computes it at the end of training, on rows x, y. */
    private static Map<String, Object> measure(INDArray theta, INDArray x, INDArray y, MeasureSpec spec, long seed) {
        Curvature c = new Curvature(MODEL, theta, x, y, (int) x.rows());
        Map<String, Object> out = new HashMap<>();
        Measurements.of(Measures.M_SHARPNESS_MEASURE).measure(new MeasureContext(c, spec, 0.1, (int) x.rows(), seed, 0, null, out::put,
                (table, row) -> { }));
        return out;
    }

    /** D H_B D, dense, on rows x, y. */
    private static RealMatrix denseDhd(INDArray theta, INDArray x, INDArray y, boolean adaptive) {
        Curvature c = new Curvature(MODEL, theta, x, y, (int) x.rows());
        RealMatrix h = CurvatureTest.dense(c.dim(), c.hessian());
        if (!adaptive) return h;
        for (int i = 0; i < c.dim(); i++) {
            for (int j = 0; j < c.dim(); j++) h.setEntry(i, j, h.getEntry(i, j) * Math.abs(theta.getDouble(i)) * Math.abs(theta.getDouble(j)));
        }
        return h;
    }

    @Test
    void atSmallRhoTheWorstCaseOfEachBatchApproachesHalfRhoSquaredTimesTheTopEigenvalueOfDHD() {
        Problem p = atMinimum();
        for (boolean adaptive : new boolean[]{false, true}) {
            double meanLimit = 0;
            double meanValue = 0;
            double rho = 1e-3;
            for (int b = 0; b < N / M; b++) {
                INDArray xb = p.rows(p.x(), b);
                INDArray yb = p.rows(p.y(), b);
                double[] ev = CurvatureTest.eigenvalues(denseDhd(p.theta(), xb, yb, adaptive));
                double limit = rho * rho / 2 * ev[ev.length - 1];
                double value = (Double) measure(p.theta(), xb, yb, spec(rho, M, adaptive, "l2", M), SEED).get(Measures.M_SHARPNESS);
                System.out.printf("adaptive %s, batch %d: m-sharpness / (rho^2/2 lambda_max(D H_B D)) - 1 = %.2e%n", adaptive, b,
                        value / limit - 1);
                assertTrue(Math.abs(value - limit) <= LIMIT_RTOL * limit,
                        "adaptive " + adaptive + ", batch " + b + ": m-sharpness " + value + " vs rho^2/2 lambda_max(D H_B D) " + limit);
                meanLimit += limit / (N / M);
                meanValue += value / (N / M);
            }
            Map<String, Object> all = measure(p.theta(), p.x(), p.y(), spec(rho, M, adaptive, "l2", N), SEED);
            assertEquals(N / M, all.get(Measures.M_SHARPNESS_BATCHES));
            assertEquals(meanValue, (Double) all.get(Measures.M_SHARPNESS), SAME_RTOL * meanValue, "the mean over the batches");
            assertTrue(Math.abs(meanValue - meanLimit) <= LIMIT_RTOL * meanLimit, "adaptive " + adaptive);
        }
    }

    @Test
    void theWorstCaseConvergesToTheLimitAsRhoShrinks() {
        Problem p = atMinimum();
        INDArray xb = p.rows(p.x(), 0);
        INDArray yb = p.rows(p.y(), 0);
        double[] ev = CurvatureTest.eigenvalues(denseDhd(p.theta(), xb, yb, false));
        double top = ev[ev.length - 1];
        double previous = Double.POSITIVE_INFINITY;
        for (double rho : new double[]{1e-1, 1e-2, 1e-3}) {
            double value = (Double) measure(p.theta(), xb, yb, spec(rho, M, false, "l2", M), SEED).get(Measures.M_SHARPNESS);
            double err = Math.abs(value / (rho * rho / 2) - top) / top;
            System.out.printf("rho %.0e: m-sharpness / (rho^2/2) = %.8f, lambda_max %.8f, relative error %.2e%n", rho,
                    value / (rho * rho / 2), top, err);
            assertTrue(err <= Math.max(previous, LIMIT_RTOL), "rho " + rho + ": " + err + " after " + previous);
            previous = err;
        }
    }

    @Test
    void itIsNeverBelowOneStepOfPlainGradientAscent() {
        Problem p = generic();
        for (String norm : List.of("l2", "linf")) {
            for (boolean adaptive : new boolean[]{false, true}) {
                double rho = norm.equals("l2") ? 0.5 : 0.05;
                for (int b = 0; b < N / M; b++) {
                    INDArray xb = p.rows(p.x(), b);
                    INDArray yb = p.rows(p.y(), b);
                    INDArray g = Nd4j.create(DataType.DOUBLE, MODEL.numParams());
                    double base = MODEL.lossAndGradient(p.theta(), xb, yb, g);
                    INDArray c = adaptive ? org.nd4j.linalg.ops.transforms.Transforms.abs(p.theta(), true) : Nd4j.ones(DataType.DOUBLE,
                            MODEL.numParams());
                    // the maximiser of the linearised increase g . delta over ||delta / c|| <= rho: SAM's (ASAM's) perturbation
                    INDArray step = norm.equals("l2")
                            ? c.mul(c).muli(g).muli(rho / c.mul(g).norm2Number().doubleValue())
                            : org.nd4j.linalg.ops.transforms.Transforms.sign(g, true).muli(c).muli(rho);
                    double ascent = MODEL.loss(p.theta().add(step), xb, yb) - base;
                    double value = (Double) measure(p.theta(), xb, yb, spec(rho, M, adaptive, norm, M), SEED).get(Measures.M_SHARPNESS);
                    assertTrue(ascent > 0, "the step ascends");
                    assertTrue(value >= ascent, norm + ", adaptive " + adaptive + ", batch " + b + ": APGD " + value
                            + " below the gradient-ascent step's " + ascent);
                }
            }
        }
    }

    @Test
    void theAverageCaseAtSmallRhoIsHalfRhoSquaredTimesTheTraceWithinItsStandardError() {
        Problem p = atMinimum();
        double rho = 1e-3;
        for (String norm : List.of("l2", "linf")) {
            for (boolean adaptive : new boolean[]{false, true}) {
                double expected = 0;
                for (int b = 0; b < N / M; b++) {
                    expected += rho * rho / (norm.equals("l2") ? 2 : 6) * denseDhd(p.theta(), p.rows(p.x(), b), p.rows(p.y(), b), adaptive)
                            .getTrace() / (N / M);
                }
                MeasureSpec s = spec(rho, M, adaptive, norm, N).with(Measures.M_SHARPNESS_ITERS, 200);
                Map<String, Object> r = measure(p.theta(), p.x(), p.y(), s, SEED);
                double avg = (Double) r.get(Measures.AVG_SHARPNESS);
                double se = (Double) r.get(Measures.AVG_SHARPNESS_STDERR);
                assertTrue(se > 0 && se < 0.2 * expected, norm + ", adaptive " + adaptive + ": stderr " + se);
                assertTrue(Math.abs(avg - expected) <= 4 * se, norm + ", adaptive " + adaptive + ": average " + avg + " +- " + se
                        + " vs " + expected + " (seed " + SEED + ")");
            }
        }
    }

    @Test
    void theDrawsComeFromThePointsSeedAndTheBatchesFromTheLeadingRows() {
        Problem p = generic();
        MeasureSpec s = spec(0.1, M, true, "l2", N);
        Map<String, Object> a = measure(p.theta(), p.x(), p.y(), s, SEED);
        assertEquals(a, measure(p.theta(), p.x(), p.y(), s, SEED), "the same seed, the same values");
        Map<String, Object> b = measure(p.theta(), p.x(), p.y(), s, SEED + 1);
        assertEquals(a.get(Measures.M_SHARPNESS), b.get(Measures.M_SHARPNESS), "the worst case draws nothing");
        assertTrue(!a.get(Measures.AVG_SHARPNESS).equals(b.get(Measures.AVG_SHARPNESS)), "the average case draws from the seed");
        assertEquals(2, measure(p.theta(), p.x(), p.y(), spec(0.1, 10, false, "linf", 1024), SEED).get(Measures.M_SHARPNESS_BATCHES),
                "samples beyond n_train: the n rows, in whole batches of m");
        assertEquals(1, measure(p.theta(), p.x(), p.y(), spec(0.1, 128, false, "linf", 1024), SEED).get(Measures.M_SHARPNESS_BATCHES),
                "m beyond the rows: one batch of all");
        assertNull(measure(p.theta(), p.x(), p.y(), spec(0.1, M, false, "l2", N).with(Measures.M_SHARPNESS_ITERS, 1), SEED)
                .get(Measures.AVG_SHARPNESS_STDERR), "one draw: no standard error");
    }
}

package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.model.ModelTestSupport.relativeError;
import static org.sharpsweep.worker.model.ModelTestSupport.zerosLike;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.ModelTestSupport.Problem;

/**
 * The batched per-sample moments against the loop over samples (the reference), against hvp,
 * against the closed form of a linear model, and the invariants of Sigma = (1/n) sum_i H_i^2 - H^2.
 */
class MlpPerSampleMomentsTest {

    /** Batched and loop versions are two exact computations; the brief asks for 1e-8. */
    private static final double BATCHED_TOLERANCE = 1e-8;
    /** sumHv / n against hvp, and closed forms: round-off only. */
    private static final double EXACT_TOLERANCE = 1e-12;
    /**
     * |u.Sigma w - w.Sigma u| relative to sqrt(u.M u w.M w) (Cauchy-Schwarz bound of u.M w), and
     * -v.Sigma v relative to v.M v, with M = (1/n) sum_i H_i^2: the terms that cancel.
     */
    private static final double INVARIANT_TOLERANCE = 1e-10;

    @BeforeAll
    static void setUp() {
        ModelTestSupport.configureNd4j();
    }

    static Stream<Arguments> everyConfiguration() {
        return ModelTestSupport.everyConfiguration(700);
    }

    @ParameterizedTest(name = "{0} {1} {2} depth {3} seed {4}")
    @MethodSource("everyConfiguration")
    void batchedMomentsEqualTheLoopOverSamples(Loss loss, Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 5, 3, 7, activation, init, loss);
        INDArray v = ModelTestSupport.gaussianVector(new Random(seed), p.mlp().numParams());
        INDArray sumHv = zerosLike(p.mlp());
        INDArray sumHHv = zerosLike(p.mlp());
        INDArray loopHv = zerosLike(p.mlp());
        INDArray loopHHv = zerosLike(p.mlp());

        p.mlp().perSampleMoments(p.theta(), p.x(), p.y(), v, sumHv, sumHHv);
        p.mlp().perSampleMomentsLoop(p.theta(), p.x(), p.y(), v, loopHv, loopHHv);

        double errorHv = relativeError(sumHv, loopHv);
        double errorHHv = relativeError(sumHHv, loopHHv);
        assertTrue(errorHv < BATCHED_TOLERANCE, p + ": sum H_i v relative error " + errorHv);
        assertTrue(errorHHv < BATCHED_TOLERANCE, p + ": sum H_i H_i v relative error " + errorHHv);
        assertTrue(sumHHv.norm2Number().doubleValue() > 0, p + ": sum H_i H_i v vanished");

        INDArray hv = zerosLike(p.mlp());
        p.mlp().hvp(p.theta(), p.x(), p.y(), v, hv);
        assertTrue(relativeError(sumHv.div(p.rows()), hv) < EXACT_TOLERANCE, p + ": sum H_i v / n differs from H v");
    }

    /** Sigma is symmetric (u.Sigma w = w.Sigma u) and positive semi-definite (v.Sigma v >= 0). */
    @ParameterizedTest(name = "{0} {1} {2} depth {3} seed {4}")
    @MethodSource("everyConfiguration")
    void sigmaIsSymmetricAndPositiveSemidefinite(Loss loss, Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 5, 3, 7, activation, init, loss);
        Random random = new Random(seed);
        int n = p.mlp().numParams();
        INDArray u = ModelTestSupport.gaussianVector(random, n);
        INDArray w = ModelTestSupport.gaussianVector(random, n);
        double scale = Math.sqrt(secondMoment(p, u) * secondMoment(p, w));

        double uSigmaW = u.mul(sigmaTimes(p, w)).sumNumber().doubleValue();
        double wSigmaU = w.mul(sigmaTimes(p, u)).sumNumber().doubleValue();

        assertTrue(Math.abs(uSigmaW - wSigmaU) <= INVARIANT_TOLERANCE * scale,
                p + ": u.Sigma w = " + uSigmaW + " but w.Sigma u = " + wSigmaU);
        for (int trial = 0; trial < 5; trial++) {
            INDArray v = ModelTestSupport.gaussianVector(random, n);
            double vSigmaV = v.mul(sigmaTimes(p, v)).sumNumber().doubleValue();
            double vScale = secondMoment(p, v);
            assertTrue(vSigmaV >= -INVARIANT_TOLERANCE * vScale, p + ": v.Sigma v = " + vSigmaV + " < 0, trial " + trial);
        }
    }

    /**
     * Linear model with mse: H_i = (2/k) z_i z_i^T in each output block (z_i = [x_i, 1]), so
     * sum_i H_i v has the block (2/k) sum_i (z_i . v_j) z_i and sum_i H_i H_i v the block
     * (4/k^2) sum_i ||z_i||^2 (z_i . v_j) z_i, where v_j = (W[:,j], b_j) of v.
     */
    @Test
    void linearModelWithMseHasClosedFormMoments() {
        int d = 3;
        int k = 2;
        int n = 5;
        Problem p = ModelTestSupport.problem(61, d, 0, 1, k, n, Activation.TANH, Init.DEFAULT, Loss.MSE);
        double[] v = ModelTestSupport.gaussianVector(new Random(61), d * k + k).toDoubleVector();
        double[] expectedHv = new double[v.length];
        double[] expectedHHv = new double[v.length];
        for (double[] xi : p.x().toDoubleMatrix()) {
            double[] z = new double[d + 1];
            System.arraycopy(xi, 0, z, 0, d);
            z[d] = 1.0;
            double zz = 0;
            for (double value : z) {
                zz += value * value;
            }
            for (int j = 0; j < k; j++) {
                double zv = 0;
                for (int r = 0; r <= d; r++) {
                    zv += z[r] * v[index(r, j, d, k)];
                }
                for (int r = 0; r <= d; r++) {
                    expectedHv[index(r, j, d, k)] += 2.0 / k * zv * z[r];
                    expectedHHv[index(r, j, d, k)] += 4.0 / (k * k) * zz * zv * z[r];
                }
            }
        }
        INDArray sumHv = zerosLike(p.mlp());
        INDArray sumHHv = zerosLike(p.mlp());

        p.mlp().perSampleMoments(p.theta(), p.x(), p.y(), Nd4j.createFromArray(v), sumHv, sumHHv);

        assertTrue(relativeError(sumHv, Nd4j.createFromArray(expectedHv)) < EXACT_TOLERANCE, p + ": " + sumHv);
        assertTrue(relativeError(sumHHv, Nd4j.createFromArray(expectedHHv)) < EXACT_TOLERANCE, p + ": " + sumHHv);
    }

    /** Layout index of W[r, j] (r < d) or b_j (r = d) in a linear model. */
    private static int index(int r, int j, int d, int k) {
        return r < d ? r * k + j : d * k + j;
    }

    /** Sigma w = (1/n) sum_i H_i (H_i w) - H (H w). */
    private static INDArray sigmaTimes(Problem p, INDArray w) {
        INDArray sumHw = zerosLike(p.mlp());
        INDArray sumHHw = zerosLike(p.mlp());
        p.mlp().perSampleMoments(p.theta(), p.x(), p.y(), w, sumHw, sumHHw);
        INDArray hw = zerosLike(p.mlp());
        INDArray hhw = zerosLike(p.mlp());
        p.mlp().hvp(p.theta(), p.x(), p.y(), w, hw);
        p.mlp().hvp(p.theta(), p.x(), p.y(), hw, hhw);
        return sumHHw.divi(p.rows()).subi(hhw);
    }

    /** v.(1/n) sum_i H_i^2 v = (1/n) sum_i ||H_i v||^2: the positive part of v.Sigma v, the scale of its round-off. */
    private static double secondMoment(Problem p, INDArray v) {
        INDArray sumHv = zerosLike(p.mlp());
        INDArray sumHHv = zerosLike(p.mlp());
        p.mlp().perSampleMoments(p.theta(), p.x(), p.y(), v, sumHv, sumHHv);
        return v.mul(sumHHv).sumNumber().doubleValue() / p.rows();
    }
}

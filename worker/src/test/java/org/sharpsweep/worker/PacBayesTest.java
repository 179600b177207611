package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Mlp;

/**
 * PAC-Bayes flatness (measure.pacbayes) on a model whose accuracy under noise is known in closed
 * form (docs/science.md): a linear two-class classifier f(x) = x W + b. With independent noise
 * u on every parameter, the margin of row i toward its label, m_i = s_i (f_0 - f_1)(x_i) (s_i = +1
 * for label 0, -1 for label 1), moves by a Gaussian of variance
 *
 * <pre>
 *   V_i = sum_j x_ij^2 (v_j0 + v_j1) + v_b0 + v_b1      (v the variance of each parameter's noise)
 * </pre>
 *
 * so row i stays correct with probability Phi(m_i / sqrt(V_i)) and the expected training accuracy
 * under the noise is A = (1/n) sum_i Phi(m_i / sqrt(V_i)). With v = sigma^2 (eq. 53) or
 * sigma'^2 theta^2 + eps^2 (eq. 61) the sigma the measure reports must give clean accuracy - A
 * = 0.1 within the search's tolerance 0.01 and the error of its 10-draw Monte-Carlo mean.
 */
class PacBayesTest {
    private static final long SEED = 42L;
    private static final int N = 400;
    /**
     * Features: row i is 3 e_(i mod D), so each feature's weights serve N / D rows and the rows'
     * margins move nearly independently under noise (only the two biases are shared): the
     * accuracy under one draw is then close to its expectation (sd about 0.02), which makes the
     * 10-draw search's answer checkable to a few hundredths.
     */
    private static final int D = 100;
    private static final double INPUT = 3.0;
    private static final Mlp MODEL = new Mlp(D, 0, 1, 2, Activation.RELU, Init.DEFAULT, Loss.XENT);
    /** theta = [W (D x 2, row-major), b (2)]: weights N(0, 0.25), biases 0.1 and -0.1. */
    private static final double[] THETA = theta();
    private static final double EPS = 1e-3;

    private static double[] theta() {
        SplittableRandom r = new SplittableRandom(SEED);
        double[] t = new double[2 * D + 2];
        for (int i = 0; i < 2 * D; i++) t[i] = 0.5 * r.nextGaussian();
        t[2 * D] = 0.1;
        t[2 * D + 1] = -0.1;
        return t;
    }

    private record Data(INDArray x, INDArray y, int[] labels) {
    }

    /** Each row's label is the model's prediction, flipped for about 15% of the rows, so the clean accuracy is near 0.85. */
    private static Data data() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        double[][] x = new double[N][D];
        double[][] y = new double[N][2];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            int j = i % D;
            x[i][j] = INPUT;
            int predicted = INPUT * THETA[2 * j] + THETA[2 * D] >= INPUT * THETA[2 * j + 1] + THETA[2 * D + 1] ? 0 : 1;
            labels[i] = r.nextDouble() < 0.15 ? 1 - predicted : predicted;
            y[i][labels[i]] = 1;
        }
        return new Data(Nd4j.createFromArray(x), Nd4j.createFromArray(y), labels);
    }

    /** The closed-form expected accuracy under noise with per-parameter variance v. */
    private static double expectedAccuracy(Data d, double[] v) {
        NormalDistribution phi = new NormalDistribution();
        double sum = 0;
        for (int i = 0; i < N; i++) {
            double margin = THETA[2 * D] - THETA[2 * D + 1];
            double var = v[2 * D] + v[2 * D + 1];
            for (int j = 0; j < D; j++) {
                double xj = d.x().getDouble(i, j);
                margin += xj * (THETA[2 * j] - THETA[2 * j + 1]);
                var += xj * xj * (v[2 * j] + v[2 * j + 1]);
            }
            double s = d.labels()[i] == 0 ? 1 : -1;
            sum += phi.cumulativeProbability(s * margin / Math.sqrt(var));
        }
        return sum / N;
    }

    private static double[] variances(double sigma, boolean magnitude) {
        double[] v = new double[THETA.length];
        for (int i = 0; i < v.length; i++) v[i] = magnitude ? sigma * sigma * THETA[i] * THETA[i] + EPS * EPS : sigma * sigma;
        return v;
    }

    /** The standard deviation of the training accuracy under one draw of the noise, by sampling (the test's own stream). */
    private static double singleDrawSd(Data d, double sigma, boolean magnitude) {
        SplittableRandom r = new SplittableRandom(SEED + 7);
        double[] v = variances(sigma, magnitude);
        int draws = 400;
        double sum = 0;
        double sq = 0;
        for (int k = 0; k < draws; k++) {
            double[] p = new double[THETA.length];
            for (int i = 0; i < p.length; i++) p[i] = THETA[i] + Math.sqrt(v[i]) * r.nextGaussian();
            double a = Metrics.accuracy(MODEL.predict(Nd4j.createFromArray(p), d.x()), d.labels());
            sum += a;
            sq += a * a;
        }
        double mean = sum / draws;
        return Math.sqrt((sq - draws * mean * mean) / (draws - 1));
    }

    private static Map<String, Object> measure(Data d, long seed) {
        Curvature c = new Curvature(MODEL, Nd4j.createFromArray(THETA.clone()), d.x(), d.y(), N);
        Map<String, Object> out = new HashMap<>();
        MeasureSpec spec = MeasureSpec.defaults().with(Measures.PACBAYES_ON, true);
        Measurements.of(Measures.PACBAYES).measure(new MeasureContext(c, spec, 0.1, N, seed, 0, null, out::put, (t, r) -> { }));
        return out;
    }

    @Test
    void theSigmaFoundLowersTheClosedFormAccuracyByATenth() {
        Data d = data();
        double clean = Metrics.accuracy(MODEL.predict(Nd4j.createFromArray(THETA), d.x()), d.labels());
        assertTrue(clean > 0.75 && clean < 0.95, "some rows wrong, most right: " + clean);
        assertEquals(clean, expectedAccuracy(d, variances(1e-12, false)), 1e-9, "the closed form at no noise");
        Map<String, Object> r = measure(d, SEED);
        for (boolean magnitude : new boolean[]{false, true}) {
            double flatness = (Double) r.get(magnitude ? Measures.PACBAYES_MAG_FLATNESS : Measures.PACBAYES_FLATNESS);
            double recorded = (Double) r.get(magnitude ? Measures.PACBAYES_MAG_ACC_DROP : Measures.PACBAYES_ACC_DROP);
            double sigma = 1 / Math.sqrt(flatness);
            double drop = clean - expectedAccuracy(d, variances(sigma, magnitude));
            // the search stops with its 10-draw mean within 0.01 of a drop of 0.1; that mean is off the
            // expectation by its Monte-Carlo error, sd(one draw)/sqrt(10): allow 4 of those
            double mc = singleDrawSd(d, sigma, magnitude) / Math.sqrt(10);
            System.out.printf("magnitude %s: sigma %.6f, drop in closed form %.4f, recorded %.4f, MC error %.4f%n", magnitude, sigma,
                    drop, recorded, mc);
            assertTrue(Math.abs(recorded - 0.1) < 0.01, "the search converged: " + recorded);
            assertTrue(Math.abs(drop - 0.1) <= 0.01 + 4 * mc, "magnitude " + magnitude + ": sigma " + sigma + " lowers the expected "
                    + "accuracy by " + drop + ", not 0.1 +- (0.01 + 4 x " + mc + ") (seed " + SEED + ")");
        }
    }

    @Test
    void theDrawsComeFromThePointsSeed() {
        Data d = data();
        Map<String, Object> a = measure(d, SEED);
        assertEquals(a, measure(d, SEED), "the same seed, the same values");
        Map<String, Object> b = measure(d, SEED + 1);
        assertTrue(!a.get(Measures.PACBAYES_FLATNESS).equals(b.get(Measures.PACBAYES_FLATNESS))
                || !a.get(Measures.PACBAYES_ACC_DROP).equals(b.get(Measures.PACBAYES_ACC_DROP)), "another seed, other draws");
    }

    @Test
    void aRegressionPointHasNoAccuracyAndSoNoFlatness() {
        GridPoint p = SweepSpec.parse("""
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
                model: {depth: 1, width: 4}
                train: {steps: 10, lr: 0.1}
                measure: {pacbayes: true, nonuniformity: false}
                """).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        assertNull(r.get(Measures.PACBAYES_FLATNESS));
        assertNull(r.get(Measures.PACBAYES_MAG_FLATNESS));
    }
}

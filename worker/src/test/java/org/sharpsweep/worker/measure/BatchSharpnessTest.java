package org.sharpsweep.worker.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.model.Model;

/**
 * Batch sharpness (measure.batch_sharpness) against its definition (docs/science.md, "Batch
 * sharpness") on tiny networks whose minibatch Hessians are formed densely. The oracle builds, for
 * each minibatch the measure draws, H_B = (1/B) sum_i H_i from the per-sample Hessians (each a
 * dense matrix of per-sample Hessian-vector products with the unit vectors) and g_B = (1/B) sum_i
 * g_i from the per-sample gradients, then g_B^T H_B g_B / ||g_B||^2 in Commons Math and their mean:
 * a different path from the measure's (one batched gradient and one batched product per minibatch)
 * that agrees to rounding. For B = n the value is the Rayleigh quotient of the full Hessian (dense,
 * from the curvature's H v) at the full gradient.
 */
class BatchSharpnessTest {
    private static final long SEED = 20241229L;
    private static final int N = 24;
    /** Batched products against per-sample dense matrices summed: rounding of a few hundred flops. */
    private static final double ORACLE_RTOL = 1e-10;

    /** A 3-4-1 tanh network (P = 21) under mse, and a 3-4-3 relu network (P = 31) under xent. */
    private static final Mlp TANH_MSE = new Mlp(3, 1, 4, 1, Activation.TANH, Init.DEFAULT, Loss.MSE);
    private static final Mlp RELU_XENT = new Mlp(3, 1, 4, 3, Activation.RELU, Init.DEFAULT, Loss.XENT);

    private record Problem(Model model, INDArray theta, INDArray x, INDArray y) {
    }

    private static Problem problem(Mlp model, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray theta = model.initParams(seed).muli(2.0); // weights of order 1: curved
        double[][] x = new double[N][3];
        for (double[] row : x) for (int j = 0; j < 3; j++) row[j] = 2 * r.nextDouble() - 1;
        int k = (int) model.predict(theta, Nd4j.zeros(DataType.DOUBLE, 1, 3)).columns();
        double[][] y = new double[N][k];
        for (double[] row : y) {
            if (k == 1) row[0] = 2 * r.nextDouble() - 1;
            else row[r.nextInt(k)] = 1.0;
        }
        return new Problem(model, theta, Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    private static String name(Mlp model) {
        return model == TANH_MSE ? "tanh, mse" : "relu, xent";
    }

    private static MeasureSpec spec(int batches) {
        return MeasureSpec.defaults().with(Measures.BATCH_SHARPNESS_ON, true).with(Measures.BATCH_SHARPNESS_BATCHES, batches);
    }

    /** The measure as the engine computes it, at the final parameters ({@code step} null) or along training. */
    private static Map<String, Object> measure(Problem p, int batchSize, MeasureSpec spec, long seed, Integer step) {
        Curvature c = new Curvature(p.model(), p.theta(), p.x(), p.y(), N);
        Map<String, Object> out = new HashMap<>();
        Measurements.of(Measures.BATCH_SHARPNESS_MEASURE).measure(new MeasureContext(c, spec, 0.1, batchSize, seed, step,
                step == null ? null : new MeasureContext.Memory(), out::put, (table, row) -> { }));
        return out;
    }

    private static INDArray row(INDArray a, int i) {
        return a.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
    }

    /** g_B^T H_B g_B / ||g_B||^2 from per-sample dense Hessians and gradients of the rows {@code batch}; NaN for g_B = 0. */
    private static double oracle(Problem p, int[] batch) {
        int dim = p.model().numParams();
        RealMatrix h = new Array2DRowRealMatrix(dim, dim);
        RealVector g = new ArrayRealVector(dim);
        INDArray gi = Nd4j.create(DataType.DOUBLE, dim);
        INDArray col = Nd4j.create(DataType.DOUBLE, dim);
        for (int i : batch) {
            INDArray xi = row(p.x(), i);
            INDArray yi = row(p.y(), i);
            p.model().lossAndGradient(p.theta(), xi, yi, gi);
            g = g.add(new ArrayRealVector(gi.toDoubleVector()).mapDivide(batch.length));
            for (int j = 0; j < dim; j++) {
                INDArray e = Nd4j.zeros(DataType.DOUBLE, dim);
                e.putScalar(j, 1.0);
                p.model().hvp(p.theta(), xi, yi, e, col);
                for (int r = 0; r < dim; r++) h.addToEntry(r, j, col.getDouble(r) / batch.length);
            }
        }
        double gg = g.dotProduct(g);
        return gg == 0 ? Double.NaN : g.dotProduct(h.operate(g)) / gg;
    }

    /** The mean of the oracle over the minibatches the measure draws (from its stream), skipping zero gradients. */
    private static double[] oracleMean(Problem p, int batchSize, int batches, long seed, String stream) {
        double sum = 0;
        int count = 0;
        for (int[] b : BatchSharpness.draws(N, batchSize, batches, Seeds.stream(seed, stream))) {
            double r = oracle(p, b);
            if (Double.isNaN(r)) continue;
            sum += r;
            count++;
        }
        return new double[] {sum / count, count};
    }

    private static void assertRelative(double expected, double actual, double rtol, String what) {
        assertTrue(Math.abs(expected - actual) <= rtol * Math.abs(expected),
                what + ": " + actual + " vs the oracle's " + expected + " (relative " + Math.abs(expected - actual) / Math.abs(expected)
                        + ", seed " + SEED + ")");
    }

    @Test
    void theMeanOverTheDrawnMinibatchesOfTheirRayleighQuotientsMatchesPerBatchDenseHessians() {
        for (Mlp model : new Mlp[] {TANH_MSE, RELU_XENT}) {
            Problem p = problem(model, SEED);
            for (int b : new int[] {1, 6, 17}) {
                int batches = 5;
                Map<String, Object> out = measure(p, b, spec(batches), SEED, null);
                double[] expected = oracleMean(p, b, batches, SEED, "batch-sharpness");
                String what = name(model) + ", B = " + b;
                assertRelative(expected[0], (Double) out.get(Measures.BATCH_SHARPNESS), ORACLE_RTOL, what);
                assertEquals((int) expected[1], out.get(Measures.BATCH_SHARPNESS_N), what);
                assertTrue((Double) out.get(Measures.BATCH_SHARPNESS_STDERR) > 0, what);
                System.out.printf("%s: batch sharpness %.10f +- %.2e%n", what, (Double) out.get(Measures.BATCH_SHARPNESS),
                        (Double) out.get(Measures.BATCH_SHARPNESS_STDERR));
            }
        }
    }

    @Test
    void alongTrainingEachStepDrawsItsOwnMinibatches() {
        Problem p = problem(TANH_MSE, SEED);
        for (int step : new int[] {0, 20}) {
            Map<String, Object> out = measure(p, 6, spec(4), SEED, step);
            double[] expected = oracleMean(p, 6, 4, SEED, "batch-sharpness-" + step);
            assertRelative(expected[0], (Double) out.get(Measures.BATCH_SHARPNESS), ORACLE_RTOL, "step " + step);
        }
        assertNotEquals(measure(p, 6, spec(4), SEED, 0).get(Measures.BATCH_SHARPNESS),
                measure(p, 6, spec(4), SEED, 20).get(Measures.BATCH_SHARPNESS), "other steps, other minibatches");
    }

    @Test
    void forFullBatchItIsTheRayleighQuotientOfTheFullHessianAtTheGradient() {
        for (Mlp model : new Mlp[] {TANH_MSE, RELU_XENT}) {
            Problem p = problem(model, SEED);
            Curvature c = new Curvature(p.model(), p.theta(), p.x(), p.y(), N);
            RealMatrix h = new Array2DRowRealMatrix(c.dim(), c.dim());
            INDArray col = Nd4j.create(DataType.DOUBLE, c.dim());
            for (int j = 0; j < c.dim(); j++) { // H column by column, through the curvature's H v on all n rows
                INDArray e = Nd4j.zeros(DataType.DOUBLE, c.dim());
                e.putScalar(j, 1.0);
                c.hessian().apply(e, col);
                for (int r = 0; r < c.dim(); r++) h.setEntry(r, j, col.getDouble(r));
            }
            INDArray grad = Nd4j.create(DataType.DOUBLE, c.dim());
            p.model().lossAndGradient(p.theta(), p.x(), p.y(), grad);
            RealVector g = new ArrayRealVector(grad.toDoubleVector());
            double rayleigh = g.dotProduct(h.operate(g)) / g.dotProduct(g);

            Map<String, Object> out = measure(p, N, spec(32), SEED, null);
            String what = name(model) + ", B = n";
            assertRelative(rayleigh, (Double) out.get(Measures.BATCH_SHARPNESS), ORACLE_RTOL, what);
            assertEquals(1, out.get(Measures.BATCH_SHARPNESS_N), what + ": every draw is the whole set, one batch");
            assertNull(out.get(Measures.BATCH_SHARPNESS_STDERR), what);
            double[] ev = new EigenDecomposition(h.add(h.transpose()).scalarMultiply(0.5)).getRealEigenvalues();
            Arrays.sort(ev);
            assertTrue(ev[0] <= rayleigh && rayleigh <= ev[ev.length - 1], what + ": a Rayleigh quotient lies in H's spectrum");
            assertRelative(oracle(p, BatchSharpness.draws(N, N, 1, 0)[0]), rayleigh, ORACLE_RTOL, what + ": per-sample oracle");
        }
    }

    @Test
    void theSameSeedGivesTheSameValueAndAnotherSeedAnother() {
        Problem p = problem(RELU_XENT, SEED);
        Map<String, Object> a = measure(p, 6, spec(8), SEED, null);
        Map<String, Object> b = measure(p, 6, spec(8), SEED, null);
        assertEquals(a, b, "bit for bit");
        assertNotEquals(a.get(Measures.BATCH_SHARPNESS), measure(p, 6, spec(8), SEED + 1, null).get(Measures.BATCH_SHARPNESS));
    }

    @Test
    void eachMinibatchIsBDistinctRowsAndTheBatchesAreDrawnAfresh() {
        int[][] d = BatchSharpness.draws(N, 6, 50, SEED);
        assertEquals(50, d.length);
        int[] hits = new int[N];
        for (int[] b : d) {
            assertEquals(6, b.length);
            assertEquals(6, Arrays.stream(b).distinct().count(), "without replacement within a batch: " + Arrays.toString(b));
            for (int i : b) {
                assertTrue(i >= 0 && i < N);
                hits[i]++;
            }
        }
        // 300 draws of 24 rows, each row in a batch with probability 6/24: 12.5 expected, sd 3.1
        for (int i = 0; i < N; i++) assertTrue(hits[i] > 0 && hits[i] < 30, "row " + i + " drawn " + hits[i] + " times (seed " + SEED + ")");
        assertEquals(Arrays.deepToString(d), Arrays.deepToString(BatchSharpness.draws(N, 6, 50, SEED)));
        assertEquals(1, BatchSharpness.draws(N, N, 50, SEED).length, "B = n: one batch");
    }

    @Test
    void aMinibatchWithAZeroGradientIsSkippedAndTheMeanIsOverTheOthers() {
        // A linear model (P = 3) with dyadic parameters and inputs, so that its outputs are exact: rows 0..3
        // have their outputs as targets (a zero residual, so a zero gradient, on any batch of them alone),
        // rows 4..5 do not.
        Mlp linear = new Mlp(2, 0, 1, 1, Activation.RELU, Init.DEFAULT, Loss.MSE);
        INDArray theta = Nd4j.createFromArray(0.5, -0.25, 0.125);
        double[][] x = {{1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}, {1, -1}, {0, 0.5}};
        INDArray xs = Nd4j.createFromArray(x);
        INDArray y = linear.predict(theta, xs).dup();
        y.putScalar(4, 0, 2.0);
        y.putScalar(5, 0, -1.0);
        Curvature c = new Curvature(linear, theta, xs, y, x.length);
        int batches = 40;
        Map<String, Object> out = new HashMap<>();
        Measurements.of(Measures.BATCH_SHARPNESS_MEASURE).measure(new MeasureContext(c, spec(batches), 0.1, 2, SEED, null, null,
                out::put, (table, row) -> { }));
        int[][] drawn = BatchSharpness.draws(x.length, 2, batches, Seeds.stream(SEED, "batch-sharpness"));
        long zero = Arrays.stream(drawn).filter(b -> b[0] < 4 && b[1] < 4).count();
        assertTrue(zero > 0 && zero < batches, "some batches, not all, have a zero gradient: " + zero);
        assertEquals((int) (batches - zero), out.get(Measures.BATCH_SHARPNESS_N));
        Problem p = new Problem(linear, theta, xs, y);
        double sum = 0;
        for (int[] b : drawn) if (!(b[0] < 4 && b[1] < 4)) sum += oracle(p, b);
        assertRelative(sum / (batches - zero), (Double) out.get(Measures.BATCH_SHARPNESS), ORACLE_RTOL, "over the nonzero gradients");

        Map<String, Object> none = new HashMap<>();
        Curvature fitted = new Curvature(linear, theta, xs.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()).dup(),
                y.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()).dup(), 4);
        Measurements.of(Measures.BATCH_SHARPNESS_MEASURE).measure(new MeasureContext(fitted, spec(batches), 0.1, 2, SEED, null, null,
                none::put, (table, row) -> { }));
        assertNull(none.get(Measures.BATCH_SHARPNESS), "no minibatch with a direction: null, not a made-up number");
        assertEquals(0, none.get(Measures.BATCH_SHARPNESS_N));
    }
}

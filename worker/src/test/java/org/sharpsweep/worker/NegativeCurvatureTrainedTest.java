package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.NegativeCurvature;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * The negative curvature of a network trained short of a minimum, as the quickstart's points are
 * (many small negative Hessian eigenvalues, clustered near 0), against its dense Hessian: the
 * number of eigenvalues below -delta, lambda_min, and the stability criterion on the complement
 * of the directions found.
 */
class NegativeCurvatureTrainedTest {
    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static final int CAP = 20;

    private static final String SPEC = """
            name: q
            seed: 42
            data: {dataset: teacher, target: single-neuron, input_dim: 10, n_train: 100, n_test: 100}
            model: {depth: 1, width: %s, activation: relu, init: default}
            loss: mse
            train: {steps: 1000, lr: %s, batch_size: %s}
            measure: {tol: 1.0e-4, max_iters: 100}
            """;

    /** Quickstart points: 19 eigenvalues below -delta, between -1e-2 and -5e-4; 49 (more than the cap), -3e-3 to -5e-4. */
    @ParameterizedTest
    @CsvSource({"20, 0.05, 10", "50, 0.2, 25"})
    void theDirectionsBelowTheThresholdAreTheDenseHessians(int width, double lr0, int batch) {
        GridPoint p = SweepSpec.parse(SPEC.formatted(width, lr0, batch)).point(0);
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        Trainer.train(model, theta, data.trainX(), data.trainY(), spec.train(), spec.penalty(), p.orderSeed(), 0, null);
        Curvature c = new Curvature(model, theta, data.trainX(), data.trainY(), data.nTrain());
        double lr = spec.train().lr();
        double tol = spec.measure().tol();
        double delta = tol / (2 * lr);
        RealMatrix h = CurvatureTest.dense(c.dim(), c.hessian());
        RealMatrix a = CurvatureTest.dense(c.dim(), c.stability(lr, spec.train().batchSize()));
        EigenDecomposition eig = new EigenDecomposition(h.add(h.transpose()).scalarMultiply(0.5));
        RealMatrix proj = MatrixUtils.createRealIdentityMatrix(c.dim());
        int negatives = 0;
        double min = Double.POSITIVE_INFINITY;
        StringBuilder below = new StringBuilder();
        for (int i = 0; i < c.dim(); i++) {
            double mu = eig.getRealEigenvalue(i);
            min = Math.min(min, mu);
            if (mu < 0) below.append(String.format(" %.3g", mu));
            if (mu < -delta) {
                RealVector q = eig.getEigenvector(i);
                proj = proj.subtract(q.outerProduct(q));
                negatives++;
            }
        }
        double[] pap = CurvatureTest.eigenvalues(proj.multiply(a).multiply(proj));
        double expected = pap[pap.length - 1];
        NegativeCurvature neg = NegativeCurvature.find(c.hessian(), c.dim(), delta, CAP, tol, spec.measure().maxIters(), 7);
        double found = neg.capped() ? Double.NaN
                : Lanczos.top(neg.complementOf(c.stability(lr, spec.train().batchSize()), c.dim()), c.dim(), tol, 100, 9).value();
        String ctx = "dense eigenvalues below 0:" + below;
        assertTrue(negatives > 5, "the test needs many negative directions: " + ctx);
        assertEquals(min, neg.minEigenvalue(), tol * Math.abs(min), ctx);
        assertEquals(Math.min(negatives, CAP), neg.directions().size(), ctx);
        assertEquals(negatives > CAP, neg.capped(), ctx);
        assertTrue(neg.products() <= spec.measure().maxIters(), "one Lanczos run: " + neg.products());
        double[] mus = eig.getRealEigenvalues().clone();
        java.util.Arrays.sort(mus);
        // beyond the cap only the count is used (the criterion on the positive part is then null)
        for (int j = 0; j < (neg.capped() ? 0 : neg.directions().size()); j++) {
            INDArray x = neg.directions().get(j);
            INDArray hx = Nd4j.create(DataType.DOUBLE, c.dim());
            c.hessian().apply(x, hx);
            double rayleigh = Nd4j.getBlasWrapper().dot(x, hx);
            assertEquals(mus[j], rayleigh, 2 * tol * Math.abs(min), "direction " + j + " is the eigenvector of the " + (j + 1) + "-th most negative eigenvalue");
        }
        if (!neg.capped()) assertEquals(expected, found, 2 * tol * expected, "the criterion on the complement, P A P formed densely");
    }
}

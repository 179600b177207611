package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.curvature.NegativeCurvature;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Mlp;

/**
 * The stability criterion on the positive part of H's spectrum. On a quadratic whose Hessian has
 * known negative directions (diagonal H and Sigma, closed form: the criterion's eigenvalues are
 * (1 - lr mu_i)^2 + c sigma_i, and the positive part keeps those with mu_i >= -tol/(2 lr)); and on
 * a tiny tanh network away from a minimum, against P A P formed densely from the dense Hessian's
 * eigenvectors (Commons Math).
 */
class StabilityPositivePartTest {
    private static final double TOL = 1e-10;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static SymmetricOperator diagonal(double[] d) {
        INDArray diag = Nd4j.createFromArray(d);
        return (v, out) -> out.assign(v).muli(diag);
    }

    @Test
    void onAQuadraticTheNegativeDirectionsAreFoundAndLeftOut() {
        double lr = 0.1, c = 0.3;
        // H: two clearly negative directions, one within the tolerance of 0, the rest positive
        double[] mu = {4.0, -0.5, 2.0, -2e-11, 0.7, -0.05, 1.5, 3.0};
        double[] sigma = {0.1, 3.0, 0.2, 0.0, 0.4, 0.1, 0.0, 0.3};
        int dim = mu.length;
        double delta = TOL / (2 * lr);
        NegativeCurvature neg = NegativeCurvature.find(diagonal(mu), dim, delta, 20, TOL, 50, 5);
        assertEquals(-0.5, neg.minEigenvalue(), 1e-9);
        assertEquals(2, neg.directions().size(), "-0.5 and -0.05; -2e-11 is above -tol/(2 lr)");
        assertTrue(!neg.capped());
        double[] a = new double[dim];
        double full = Double.NEGATIVE_INFINITY, positive = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < dim; i++) {
            a[i] = (1 - lr * mu[i]) * (1 - lr * mu[i]) + c * sigma[i];
            full = Math.max(full, a[i]);
            if (mu[i] >= -delta) positive = Math.max(positive, a[i]);
        }
        SymmetricOperator pap = neg.complementOf(diagonal(a), dim);
        double found = org.sharpsweep.worker.curvature.Lanczos.top(pap, dim, TOL, 50, 9).value();
        assertEquals(positive, found, 1e-9, "closed form: the largest (1 - lr mu)^2 + c sigma over mu >= -delta");
        assertTrue(full > 1.1 && positive < full, "the negative direction with large sigma is what made the criterion large");

        NegativeCurvature capped = NegativeCurvature.find(diagonal(mu), dim, delta, 1, TOL, 50, 5);
        assertEquals(1, capped.directions().size());
        assertTrue(capped.capped(), "a second negative direction beyond the cap");
        NegativeCurvature none = NegativeCurvature.find(diagonal(new double[] {1, 2, 3}), 3, delta, 20, TOL, 50, 5);
        assertEquals(0, none.directions().size());
        assertEquals(1.0, none.minEigenvalue(), 1e-9);

        // a repeated negative eigenvalue: the run breaks down on its eigenspace and restarts, so each copy is a direction
        double[] repeated = {3.0, -0.4, 1.0, -0.4, -0.4, 2.0, -0.1, 0.5};
        NegativeCurvature three = NegativeCurvature.find(diagonal(repeated), repeated.length, delta, 20, TOL, 50, 5);
        assertEquals(4, three.directions().size(), "-0.4 three times and -0.1");
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1.0 : 0.0, Nd4j.getBlasWrapper().dot(three.directions().get(i), three.directions().get(j)), 1e-9, "orthonormal");
            }
            for (int e : new int[] {0, 2, 5, 7}) {
                assertEquals(0.0, three.directions().get(i).getDouble(e), 1e-8, "no component along a positive eigenvector");
            }
        }
    }

    private static final String TINY = """
            name: t
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: tanh}
            train: {steps: 3, lr: 0.3, batch_size: 8}
            measure: {tol: 1e-10, max_iters: 200}
            """;

    @Test
    void onATinyNetworkItIsTheTopOfTheDenseCriterionOnHsPositivePart() {
        GridPoint p = SweepSpec.parse(TINY).point(0);
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init")); // far from a minimum: H is indefinite
        Curvature c = new Curvature(model, theta, data.trainX(), data.trainY(), data.nTrain());
        double lr = spec.train().lr();
        RealMatrix h = CurvatureTest.dense(c.dim(), c.hessian());
        RealMatrix a = CurvatureTest.dense(c.dim(), c.stability(lr, spec.train().batchSize()));
        EigenDecomposition eig = new EigenDecomposition(h.add(h.transpose()).scalarMultiply(0.5));
        double delta = 1e-10 / (2 * lr);
        RealMatrix proj = MatrixUtils.createRealIdentityMatrix(c.dim());
        int negatives = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.dim(); i++) {
            double mu = eig.getRealEigenvalue(i);
            min = Math.min(min, mu);
            if (mu < -delta) {
                RealVector q = eig.getEigenvector(i);
                proj = proj.subtract(q.outerProduct(q));
                negatives++;
            }
        }
        assertTrue(negatives > 0, "the test needs an indefinite Hessian");
        double[] pap = CurvatureTest.eigenvalues(proj.multiply(a).multiply(proj));
        double expected = pap[pap.length - 1];

        Map<String, Object> row = new HashMap<>();
        Measurements.of(Measures.STABILITY).measure(new MeasureContext(c, spec.measure(), lr, spec.train().batchSize(), p.seed(), 0,
                null, row::put, (table, r) -> { }));
        String ctx = row.toString();
        assertEquals(min, (Double) row.get(Measures.HESSIAN_MIN_EIG), 1e-8 * Math.abs(min), ctx);
        assertEquals(negatives, row.get(Measures.STABILITY_NEG_DIRS), ctx);
        assertEquals(expected, (Double) row.get(Measures.STABILITY_MAX_EIG_POS), 1e-8 * expected, ctx);
        double[] full = CurvatureTest.eigenvalues(a);
        assertEquals(full[full.length - 1], (Double) row.get(ResultSchema.STABILITY_MAX_EIG), 1e-8 * full[full.length - 1], ctx);
        assertTrue((Double) row.get(Measures.STABILITY_MAX_EIG_POS) <= (Double) row.get(ResultSchema.STABILITY_MAX_EIG) + 1e-9, ctx);
    }

    @Test
    void withoutSigmaForSgdOnlyTheMinimumEigenvalueIsMeasured() {
        GridPoint p = SweepSpec.parse(TINY.replace("max_iters: 200}", "max_iters: 200, nonuniformity: false}")).point(0);
        PointResult r = PointRunner.run(p);
        assertNull(r.get(ResultSchema.STABILITY_MAX_EIG), "SGD without the non-uniformity: no criterion");
        assertNull(r.get(Measures.STABILITY_MAX_EIG_POS));
        assertTrue(r.get(Measures.HESSIAN_MIN_EIG) != null, "lambda_min(H) needs no Sigma");
    }
}

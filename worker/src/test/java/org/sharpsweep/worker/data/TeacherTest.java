package org.sharpsweep.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.Target;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;

class TeacherTest {
    /** Unit norms are computed in double precision from d <= 20 squares: a few ulps. */
    private static final double NORM_TOL = 1e-14;
    /** Targets are recomputed here from the same doubles by the same formula: equal up to rounding. */
    private static final double TARGET_TOL = 1e-15;
    /**
     * The rectangle rule with M equally spaced angles on a periodic integrand with two kinks
     * (where b.x = 0) has error O((2 pi / M)^2) times r <= 1; M = 20000 gives ~1e-7.
     */
    private static final int ANGLES = 20_000;
    private static final double CIRCLE_QUADRATURE_TOL = 1e-6;

    private static DataSpec spec(Target target, int d, int nTrain, int nTest) {
        return SmallSpecs.teacher().with(Setting.TARGET, target).with(Setting.INPUT_DIM, d).with(Setting.N_TRAIN, nTrain)
                .with(Setting.N_TEST, nTest).data();
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void shapesAndRegressionConventions(Target target) {
        Data data = Datasets.load(spec(target, 7, 30, 11), 5L);
        assertArrayEquals(new long[] {30, 7}, data.trainX().shape());
        assertArrayEquals(new long[] {30, 1}, data.trainY().shape());
        assertArrayEquals(new long[] {11, 7}, data.testX().shape());
        assertArrayEquals(new long[] {11, 1}, data.testY().shape());
        assertEquals(DataType.DOUBLE, data.trainX().dataType());
        assertEquals(DataType.DOUBLE, data.testY().dataType());
        assertNull(data.trainLabels());
        assertNull(data.testLabels());
        assertEquals(1, data.outputs());
        assertFalse(data.isClassification());
        assertEquals(30, data.nTrain());
        assertEquals(11, data.nTest());
        assertEquals(7, data.inputs());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void pointsOnTheUnitSphereAndTargetsFollowTheFormulas(Target target) {
        long seed = 123L;
        Data data = Datasets.load(spec(target, 20, 200, 50), seed);
        for (INDArray[] xy : new INDArray[][] {{data.trainX(), data.trainY()}, {data.testX(), data.testY()}}) {
            double[][] x = xy[0].toDoubleMatrix();
            double[] y = xy[1].reshape(-1).toDoubleVector();
            for (int i = 0; i < x.length; i++) {
                double norm2 = 0;
                for (double v : x[i]) norm2 += v * v;
                assertEquals(1.0, Math.sqrt(norm2), NORM_TOL, "norm of row " + i + ", seed " + seed);
                double expected = switch (target) {
                    case SINGLE_NEURON -> Math.max(x[i][0], 0.0);
                    case CIRCLE_NEURON -> Math.sqrt(x[i][0] * x[i][0] + x[i][1] * x[i][1]) / Math.PI;
                    case LINEAR -> x[i][0];
                };
                assertEquals(expected, y[i], TARGET_TOL, "target of row " + i + ", seed " + seed);
            }
        }
    }

    /** The closed form r/pi against the definition: the mean of relu(b.x) over b on the circle. */
    @Test
    void circleNeuronIsTheAverageOfReluOverTheCircle() {
        long seed = 77L;
        Data data = Datasets.load(spec(Target.CIRCLE_NEURON, 3, 40, 1), seed);
        double[][] x = data.trainX().toDoubleMatrix();
        double[] y = data.trainY().reshape(-1).toDoubleVector();
        for (int i = 0; i < x.length; i++) {
            double sum = 0;
            for (int m = 0; m < ANGLES; m++) {
                double t = 2 * Math.PI * m / ANGLES;
                sum += Math.max(Math.cos(t) * x[i][0] + Math.sin(t) * x[i][1], 0.0);
            }
            assertEquals(sum / ANGLES, y[i], CIRCLE_QUADRATURE_TOL, "row " + i + ", seed " + seed);
        }
    }

    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() {
        DataSpec spec = spec(Target.SINGLE_NEURON, 5, 50, 20);
        Data a = Datasets.load(spec, 42L);
        Data b = Datasets.load(spec, 42L);
        Data c = Datasets.load(spec, 43L);
        assertArrayEquals(a.trainX().data().asDouble(), b.trainX().data().asDouble(), 0.0);
        assertArrayEquals(a.testX().data().asDouble(), b.testX().data().asDouble(), 0.0);
        assertArrayEquals(a.trainY().data().asDouble(), b.trainY().data().asDouble(), 0.0);
        assertFalse(a.trainX().equals(c.trainX()), "seeds 42 and 43 gave the same training inputs");
        assertFalse(a.testX().equals(c.testX()), "seeds 42 and 43 gave the same test inputs");
    }

    @Test
    void trainAndTestComeFromIndependentStreams() {
        long seed = 9L;
        Data data = Datasets.load(spec(Target.LINEAR, 4, 100, 100), seed);
        double[][] train = data.trainX().toDoubleMatrix();
        double[][] test = data.testX().toDoubleMatrix();
        for (double[] tr : train) {
            for (double[] te : test) {
                assertFalse(Arrays.equals(tr, te), "a test point equals a training point, seed " + seed);
            }
        }
        Data longer = Datasets.load(spec(Target.LINEAR, 4, 300, 100), seed);
        assertArrayEquals(test, longer.testX().toDoubleMatrix(), "the test set must not depend on n_train");
        assertArrayEquals(train, Arrays.copyOf(longer.trainX().toDoubleMatrix(), 100),
                "the first 100 training points must not depend on n_train");
    }

    /**
     * Uniform on S^{d-1}: E x_j = 0, E x_j^2 = 1/d, E x_j^4 = 3/(d(d+2)) (moments of the uniform
     * distribution on the sphere, e.g. from x = g/|g| with g Gaussian). Tolerances are ~6 standard
     * errors of the sample means over n*d coordinates (Var x^2 = 3/(d(d+2)) - 1/d^2,
     * Var x^4 = 105/(d(d+2)(d+4)(d+6)) - (3/(d(d+2)))^2).
     */
    @Test
    void coordinatesHaveTheMomentsOfTheUniformSphere() {
        long seed = 2024L;
        int d = 5;
        int n = 20_000;
        double[] x = Datasets.load(spec(Target.LINEAR, d, n, 1), seed).trainX().data().asDouble();
        double m1 = 0, m2 = 0, m4 = 0;
        for (double v : x) {
            m1 += v;
            m2 += v * v;
            m4 += v * v * v * v;
        }
        int count = n * d;
        m1 /= count;
        m2 /= count;
        m4 /= count;
        double e2 = 1.0 / d;
        double e4 = 3.0 / (d * (d + 2.0));
        double e8 = 105.0 / (d * (d + 2.0) * (d + 4.0) * (d + 6.0));
        // coordinates of one point are dependent, so use n (not n*d) in the standard errors: conservative
        assertEquals(0.0, m1, 6 * Math.sqrt(e2 / n), "mean, seed " + seed);
        assertEquals(e2, m2, 6 * Math.sqrt((e4 - e2 * e2) / n), "second moment, seed " + seed);
        assertEquals(e4, m4, 6 * Math.sqrt((e8 - e4 * e4) / n), "fourth moment, seed " + seed);
    }

    /** The point's checks refuse the spec (PointChecks.checkData, since cb50481), so no point can reach the worker with it. */
    @Test
    void circleNeuronNeedsTwoInputs() {
        SpecException e = assertThrows(SpecException.class,
                () -> SmallSpecs.point(SmallSpecs.teacher().with(Setting.TARGET, Target.CIRCLE_NEURON).with(Setting.INPUT_DIM, 1)));
        assertTrue(e.getMessage().contains("data.input_dim") && e.getMessage().contains("circle-neuron"), e.getMessage());
        Datasets.verify(spec(Target.SINGLE_NEURON, 1, 10, 10));
        Datasets.verify(spec(Target.CIRCLE_NEURON, 2, 10, 10));
    }

    @Test
    void oneDimensionalSphereIsPlusMinusOne() {
        double[] x = Datasets.load(spec(Target.LINEAR, 1, 200, 1), 3L).trainX().data().asDouble();
        boolean plus = false, minus = false;
        for (double v : x) {
            assertEquals(1.0, Math.abs(v), 0.0);
            plus |= v > 0;
            minus |= v < 0;
        }
        assertTrue(plus && minus, "S^0 = {-1, +1}: both signs should occur in 200 draws");
    }
}

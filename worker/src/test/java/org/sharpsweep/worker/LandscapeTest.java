package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Pool;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.model.Cnn;
import org.sharpsweep.worker.model.Mlp;

/**
 * The loss landscape (docs/science.md, "Loss landscapes") against what a run of the same point
 * measured: the value at alpha = 0 is the results row's train_loss and test_loss, the path's
 * value at alpha = 0 is the trajectory's step-0 train_loss (the initial parameters as the run drew
 * them) and at 1 the final one; the filter normalization against the MLP's documented layout;
 * the eigenvector line's second difference at 0 against lambda_max.
 */
class LandscapeTest {
    /** Same parameters, same data: the landscape's loss and the run's differ only in rounding (model.loss against lossAndGradient). */
    static final double SAME_LOSS = 1e-12;
    /** Central second difference with h = 1e-3 of a smooth (tanh) loss: O(h^2) truncation. */
    static final double SECOND_DIFFERENCE = 1e-3;

    static final String SPEC = """
            name: t
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 5, activation: tanh}
            train: {steps: 60, lr: 0.1, batch_size: 8}
            measure: {max_iters: 60, every: 60, save_params: true}
            """;

    static GridPoint point;
    static PointResult run;
    static double[] theta;

    @BeforeAll
    static void train() {
        point = SweepSpec.parse(SPEC).point(0);
        run = PointRunner.run(point);
        assertEquals(Status.OK, run.status(), run.error());
        theta = (double[]) run.rows(ResultSchema.PARAMS_TABLE).get(0).get(ResultSchema.PARAMS);
    }

    static int indexOf(double[] a, double x) {
        for (int i = 0; i < a.length; i++) if (a[i] == x) return i;
        throw new AssertionError(x + " is not on the grid");
    }

    @Test
    void atZeroEveryLineButThePathIsTheRunsLossAndThePathRunsFromTheStartToTheEnd() {
        Landscape.Result r = Landscape.compute(point, theta, null, Landscape.Options.defaults());
        double trainLoss = run.number(ResultSchema.TRAIN_LOSS);
        double testLoss = run.number(ResultSchema.TEST_LOSS);
        assertEquals(trainLoss, r.trainLoss(), SAME_LOSS * trainLoss);
        assertEquals(testLoss, r.testLoss(), SAME_LOSS * testLoss);
        assertEquals(List.of("eigenvector", "random", "path"), r.lines().stream().map(Landscape.Line::direction).toList());
        for (Landscape.Line l : r.lines().subList(0, 2)) {
            assertEquals(51, l.alpha().length);
            int zero = indexOf(l.alpha(), 0.0);
            assertEquals(trainLoss, l.train()[zero], SAME_LOSS * trainLoss, l.direction());
            assertEquals(testLoss, l.test()[zero], SAME_LOSS * testLoss, l.direction());
        }
        // the path: the trajectory's row at step 0 is the loss at the initial parameters as training drew them
        Map<String, Object> first = run.rows(ResultSchema.TRAJECTORIES).stream()
                .filter(row -> ((Number) row.get(ResultSchema.STEP)).intValue() == 0).findFirst().orElseThrow();
        double startLoss = ((Number) first.get(ResultSchema.TRAIN_LOSS)).doubleValue();
        Landscape.Line path = r.lines().get(2);
        assertEquals(Landscape.pathSteps(51), path.alpha().length);
        assertEquals(startLoss, path.train()[indexOf(path.alpha(), 0.0)], SAME_LOSS * startLoss, "path at 0: theta_0");
        assertEquals(startLoss, r.startTrainLoss(), SAME_LOSS * startLoss);
        assertEquals(trainLoss, path.train()[indexOf(path.alpha(), 1.0)], SAME_LOSS * trainLoss, "path at 1: theta");
        assertEquals(testLoss, path.test()[indexOf(path.alpha(), 1.0)], SAME_LOSS * testLoss);
        assertTrue(r.start().startsWith("initialization"), r.start());
        assertNull(r.plane());
    }

    /** A point restarted from saved parameters: its path starts at them (here the first run's theta, whose loss that run measured). */
    @Test
    void aPointStartedFromSavedParametersHasItsPathStartThere() {
        GridPoint restarted = SweepSpec.parse(SPEC.replace("batch_size: 8}", "batch_size: 8, from_sweep: t, from_point: " + point.pointId() + "}"))
                .point(0);
        PointResult second = PointRunner.run(restarted, null, theta);
        assertEquals(Status.OK, second.status(), second.error());
        double[] theta2 = (double[]) second.rows(ResultSchema.PARAMS_TABLE).get(0).get(ResultSchema.PARAMS);
        Landscape.Result r = Landscape.compute(restarted, theta2, theta, new Landscape.Options(-1, 1, 5, false));
        double trainLoss = run.number(ResultSchema.TRAIN_LOSS);
        assertEquals(trainLoss, r.startTrainLoss(), SAME_LOSS * trainLoss, "the path starts at the source's saved parameters");
        assertTrue(r.start().contains("point " + point.pointId() + " of sweep t"), r.start());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Landscape.compute(restarted, theta2, null, Landscape.Options.defaults()));
        assertTrue(e.getMessage().contains("train.from_sweep"), e.getMessage());
    }

    @Test
    void theEigenvectorLinesSecondDifferenceAtZeroIsLambdaMax() {
        double h = 1e-3;
        Landscape.Result r = Landscape.compute(point, theta, null, new Landscape.Options(-h, h, 3, false));
        Landscape.Line eigen = r.lines().get(0);
        double s = r.directionNorm();
        double second = (eigen.train()[0] - 2 * eigen.train()[1] + eigen.train()[2]) / (h * s * h * s);
        assertEquals(run.number(ResultSchema.SHARPNESS), r.sharpness(), 1e-10 * r.sharpness(), "the sharpness measure's eigenvector");
        assertEquals(r.sharpness(), second, SECOND_DIFFERENCE * r.sharpness(),
                "d^2/dalpha^2 L(theta + alpha s v) / s^2 = v^T H v = lambda_max");
    }

    @Test
    void thePlaneIsCentredOnTheta() {
        Landscape.Result r = Landscape.compute(point, theta, null, new Landscape.Options(-1, 1, 5, true));
        assertNotNull(r.plane());
        assertEquals(5, r.plane().train().length);
        assertEquals(r.trainLoss(), r.plane().train()[2][2], SAME_LOSS * r.trainLoss());
        // the plane's x axis is the random line's direction
        assertEquals(r.lines().get(1).train()[4], r.plane().train()[2][4], SAME_LOSS * r.lines().get(1).train()[4]);
    }

    /** Against the MLP's layout as Mlp documents it (W_l[i, j] at weightOffset + i fanOut + j, then b_l), not the export. */
    @Test
    void eachDenseFilterOfTheDirectionHasItsWeightsNormAndBiasesAreZero() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Mlp mlp = new Mlp(4, 2, 6, 3, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray theta = mlp.initParams(7);
        double[] t = theta.toDoubleVector();
        double[] d = Landscape.filterNormalized(mlp, theta, 11).toDoubleVector();
        double weights = 0;
        for (int l = 0; l < mlp.layers(); l++) {
            for (int j = 0; j < mlp.fanOut(l); j++) {
                double dn = 0, tn = 0;
                for (int i = 0; i < mlp.fanIn(l); i++) {
                    int k = (int) mlp.weightOffset(l) + i * mlp.fanOut(l) + j;
                    dn += d[k] * d[k];
                    tn += t[k] * t[k];
                }
                weights += tn;
                assertEquals(Math.sqrt(tn), Math.sqrt(dn), 1e-9 * Math.sqrt(tn), "layer " + l + " unit " + j);
                assertEquals(0.0, d[(int) mlp.biasOffset(l) + j], "bias of layer " + l + " unit " + j);
            }
        }
        assertEquals(Math.sqrt(weights), Landscape.weightNorm(mlp, theta), 1e-12 * Math.sqrt(weights));
        assertEquals(Math.sqrt(weights), Nd4j.createFromArray(d).norm2Number().doubleValue(), 1e-9 * Math.sqrt(weights));
    }

    /** A convolution kernel [out, in, k, k]: each output channel is a filter. */
    @Test
    void eachConvolutionFilterOfTheDirectionHasItsKernelsNorm() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Cnn cnn = new Cnn(new ImageShape(2, 5, 5), 2, 2, 3, Pool.MAX, 1, 3, 3, Activation.RELU, Init.DEFAULT, Loss.XENT);
        INDArray theta = cnn.initParams(3);
        INDArray d = Landscape.filterNormalized(cnn, theta, 5);
        Map<String, INDArray> t = cnn.exportArrays(theta);
        Map<String, INDArray> e = cnn.exportArrays(d);
        int filters = 0;
        for (String name : List.of("K1", "K2")) {
            for (int o = 0; o < t.get(name).size(0); o++) {
                double tn = t.get(name).slice(o).norm2Number().doubleValue();
                assertEquals(tn, e.get(name).slice(o).norm2Number().doubleValue(), 1e-9 * tn, name + " channel " + o);
                filters++;
            }
        }
        assertEquals(2 + 4, filters);
        for (String bias : List.of("k1", "k2", "b1", "b2")) assertEquals(0.0, e.get(bias).norm2Number().doubleValue(), bias);
    }

    @Test
    void badOptionsAndParametersAreRefusedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Landscape.Options(1, -1, 51, false)).getMessage().contains("1.0 to -1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Landscape.Options(-1, 1, 2, false)).getMessage().contains("got 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Landscape.compute(point, new double[3], null, Landscape.Options.defaults()))
                .getMessage().contains("3 values"));
        assertThrows(IllegalArgumentException.class, () -> Landscape.compute(point, theta, theta, Landscape.Options.defaults()),
                "start parameters for a point that starts from its initialization");
    }
}

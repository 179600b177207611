package org.sharpsweep.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.ModelSpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.BatchOrder;
import org.sharpsweep.worker.train.Trainer;

/**
 * DL4J Spark's parameter averaging after every step, W = 1, 2 and 4 workers in local Spark, is
 * the engine's own minibatch SGD step after step (parameters to 1e-10, the step's reported loss
 * the minibatch loss to 1e-12): on given batches, and on the engine's batch order
 * ({@link BatchOrder}), where it ends where {@link Trainer} ends, to 1e-10.
 */
class DataParallelSgdIT {
    private static JavaSparkContext sc;

    @BeforeAll
    static void spark() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("data-parallel-sgd").set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @ParameterizedTest(name = "W = {0}")
    @ValueSource(ints = {1, 2, 4})
    void workersAveragingEveryStepAreMinibatchSgd(int workers) {
        Loss loss = Loss.MSE;
        ModelSpec spec = SmallSpecs.teacher().with(Setting.DEPTH, 1).with(Setting.WIDTH, 6)
                .with(Setting.ACTIVATION, Activation.TANH).model();
        Mlp mlp = new Mlp(4, 1, 6, 2, Activation.TANH, Init.DEFAULT, loss);
        INDArray theta = mlp.initParams(3);
        INDArray x = gaussian(new Random(3), 24, 4);
        INDArray y = gaussian(new Random(4), 24, 2);
        double lr = 0.2;
        MultiLayerNetwork net = Dl4jNetworks.mlp(spec, loss, 4, 2, lr);
        Dl4jNetworks.setParams(net, theta);
        DataParallelSgd sgd = new DataParallelSgd(sc, net, workers, 8);
        INDArray grad = Nd4j.create(DataType.DOUBLE, mlp.numParams());
        for (int step = 0; step < 4; step++) {
            int from = (step * 8) % 24;
            INDArray xb = x.get(NDArrayIndex.interval(from, from + 8), NDArrayIndex.all()).dup();
            INDArray yb = y.get(NDArrayIndex.interval(from, from + 8), NDArrayIndex.all()).dup();
            double batchLoss = mlp.lossAndGradient(theta, xb, yb, grad);
            theta.subi(grad.mul(lr));
            sgd.step(xb, yb);
            double error = relativeError(Dl4jNetworks.engineParams(sgd.network()), theta);
            assertTrue(error < 1e-10, "W = " + workers + ", after step " + step + ": relative error " + error);
            assertEquals(batchLoss, sgd.lastLoss(), 1e-12 * Math.max(1, batchLoss), "W = " + workers + ", the step's minibatch loss");
        }
    }

    @Test
    void onTheEnginesBatchOrderItEndsWhereTheTrainerEnds() {
        Loss loss = Loss.XENT;
        ModelSpec spec = SmallSpecs.teacher().with(Setting.DEPTH, 2).with(Setting.WIDTH, 5).model();
        Mlp mlp = new Mlp(6, 2, 5, 3, Activation.RELU, Init.DEFAULT, loss);
        long seed = 12345;
        INDArray x = gaussian(new Random(5), 30, 6);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 30, 3);
        for (int i = 0; i < 30; i++) y.putScalar(i, i % 3, 1.0);
        TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, 9).with(Setting.LR, 0.1)
                .with(Setting.BATCH_SIZE, 10).train();
        INDArray engine = mlp.initParams(seed);
        INDArray start = engine.dup();
        Trainer.train(mlp, engine, x, y, train, SmallSpecs.noPenalty(), seed);

        MultiLayerNetwork net = Dl4jNetworks.mlp(spec, loss, 6, 3, train.lr());
        Dl4jNetworks.setParams(net, start);
        DataParallelSgd sgd = new DataParallelSgd(sc, net, 2, train.batchSize());
        BatchOrder order = new BatchOrder(30, train.batchSize(), seed);
        INDArray xb = Nd4j.create(DataType.DOUBLE, train.batchSize(), 6);
        INDArray yb = Nd4j.create(DataType.DOUBLE, train.batchSize(), 3);
        for (int step = 0; step < train.steps(); step++) {
            int[] rows = order.next();
            Nd4j.pullRows(x, xb, 1, rows);
            Nd4j.pullRows(y, yb, 1, rows);
            sgd.step(xb.dup(), yb.dup());
        }
        double error = relativeError(Dl4jNetworks.engineParams(sgd.network()), engine);
        assertTrue(error < 1e-10, "after " + train.steps() + " steps (3 epochs of 3 batches), relative error " + error);
    }

    private static INDArray gaussian(Random random, int rows, int cols) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) for (int j = 0; j < cols; j++) row[j] = random.nextGaussian();
        return Nd4j.createFromArray(v);
    }

    private static double relativeError(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }
}

package org.sharpsweep.parallel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.ModelSpec;
import org.sharpsweep.worker.model.Mlp;

/**
 * DL4J Spark's parameter averaging after every step, W = 2 workers in local Spark, reproduces the
 * engine's own SGD on the same batches to 1e-10.
 */
class DataParallelSgdIT {
    @Test
    void twoWorkersAveragingEveryStepAreMinibatchSgd() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Loss loss = Loss.MSE;
        ModelSpec spec = new ModelSpec(1, 6, Activation.TANH, Init.DEFAULT);
        Mlp mlp = new Mlp(4, 1, 6, 2, Activation.TANH, Init.DEFAULT, loss);
        INDArray theta = mlp.initParams(3);
        Random random = new Random(3);
        double[][] xs = new double[24][4];
        double[][] ys = new double[24][2];
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j < 4; j++) xs[i][j] = random.nextGaussian();
            for (int j = 0; j < 2; j++) ys[i][j] = random.nextGaussian();
        }
        INDArray x = Nd4j.createFromArray(xs);
        INDArray y = Nd4j.createFromArray(ys);
        double lr = 0.2;
        MultiLayerNetwork net = Dl4jNetworks.mlp(spec, loss, 4, 2, lr);
        Dl4jNetworks.setParams(net, theta);
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("data-parallel-sgd").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            DataParallelSgd sgd = new DataParallelSgd(sc, net, 2, 8);
            INDArray grad = Nd4j.create(DataType.DOUBLE, mlp.numParams());
            for (int step = 0; step < 4; step++) {
                int from = (step * 8) % 24;
                INDArray xb = x.get(NDArrayIndex.interval(from, from + 8), NDArrayIndex.all()).dup();
                INDArray yb = y.get(NDArrayIndex.interval(from, from + 8), NDArrayIndex.all()).dup();
                mlp.lossAndGradient(theta, xb, yb, grad);
                theta.subi(grad.mul(lr));
                sgd.step(xb, yb);
            }
            INDArray got = Dl4jNetworks.engineParams(sgd.network());
            double error = got.sub(theta).norm2Number().doubleValue() / theta.norm2Number().doubleValue();
            assertTrue(error < 1e-10, "after 4 averaged steps, relative error " + error);
        }
    }
}
